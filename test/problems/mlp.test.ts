import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { type MlpOptions, MlpProblem, mlpDimension } from "../../sim/problems/mlp.ts";
import { loadMnist, mnistPixels } from "../../sim/problems/mnist-data.ts";
import { finiteDifferenceGradient } from "./helpers.ts";

const base: MlpOptions = {
  hidden: 16,
  samplesPerWorker: 100,
  batchSize: 10,
  skew: 0,
  testPerClass: 50,
  lossSamples: 200,
};

function make(options: Partial<MlpOptions> = {}, workers = 4, seed = 7): MlpProblem {
  return new MlpProblem({ ...base, ...options }, workers, new RandomStreams(seed), loadMnist());
}

const labelsOf = (p: MlpProblem, images: ArrayLike<number>) => Array.from(images, (i) => p.images.labels[i]!);

describe("MNIST data", () => {
  it("loads the package's 10 000 digits, grouped by digit, pixels in [0, 1]", () => {
    const data = loadMnist();
    expect(data.count).toBe(10_000);
    expect(data.classStart).toEqual([0, 1001, 2128, 3119, 4151, 5131, 5994, 7008, 8078, 9022, 10_000]);
    expect(data.pixels.length).toBe(10_000 * mnistPixels);
    expect(data.labels[1000]).toBe(0);
    expect(data.labels[1001]).toBe(1);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of data.pixels) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(loadMnist()).toBe(data);
  });
});

describe("MLP on MNIST", () => {
  it("has 784·h + h + 10·h + 10 parameters and 6 FLOPs per parameter per sample", () => {
    expect(mlpDimension(64)).toBe(50_890);
    const p = make();
    expect(p.dimension).toBe(mlpDimension(16));
    expect(p.flopsPerSample).toBe(6 * p.dimension);
    expect(p.bytesPerValue).toBe(4);
  });

  it("backpropagates the gradient of its loss (finite differences on a float64 recompute)", () => {
    const p = make({ hidden: 6, samplesPerWorker: 3, batchSize: 3 }, 1);
    const kernels = new CpuKernels();
    const x = p.initialParameters(kernels);
    // Move off the initialisation (biases 0) so that every block of parameters matters.
    const rng = new RandomStreams(3).stream("shift");
    for (let j = 0; j < p.dimension; j++) x.data![j] = x.data![j]! + 0.05 * rng.normal();
    const g = kernels.alloc(p.dimension);
    const loss = p.gradient(0, x, g, rng);
    const shard = p.shards[0]!;
    const params = Float64Array.from(x.data!);
    expect(loss).toBeCloseTo(p.meanLoss(params, shard), 10);
    const exact = new Float64Array(p.dimension);
    p.meanGradient(params, shard, exact);
    const fd = finiteDifferenceGradient((y) => p.meanLoss(y, shard), params, 1e-6);
    let checked = 0;
    for (const [j, v] of fd) {
      expect(Math.abs(exact[j]! - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
      expect(Math.abs(g.data![j]! - v)).toBeLessThan(1e-5 * Math.max(1e-2, Math.abs(v)));
      if (v !== 0) checked++;
    }
    // Many coordinates have zero gradient (blank pixels, inactive units); enough do not.
    expect(checked).toBeGreaterThan(500);
  });

  it("holds out a test set and gives disjoint iid shards while the pool lasts", () => {
    const p = make({ samplesPerWorker: 500 }, 8);
    const test = new Set(p.testSet);
    expect(test.size).toBe(500);
    const seen = new Set<number>();
    for (const shard of p.shards) {
      for (const i of shard) {
        expect(test.has(i)).toBe(false);
        seen.add(i);
      }
    }
    expect(seen.size).toBe(8 * 500);
    // iid: every digit appears in every shard, in proportion to its size (≈10% each).
    for (const shard of p.shards) {
      const counts = new Array(10).fill(0);
      for (const y of labelsOf(p, shard)) counts[y]++;
      for (const c of counts) expect(c).toBeGreaterThan(20);
    }
    expect(p.lossSet.length).toBe(200);
  });

  it("skews labels: skew 1 gives worker i only digits 2i, 2i+1 (mod 10); 0.9 mostly those", () => {
    const full = make({ skew: 1 }, 6);
    full.shards.forEach((shard, w) => {
      const allowed = new Set([(2 * w) % 10, (2 * w + 1) % 10]);
      expect(labelsOf(full, shard).every((y) => allowed.has(y))).toBe(true);
    });
    const mostly = make({ skew: 0.9, samplesPerWorker: 400 }, 3);
    mostly.shards.forEach((shard, w) => {
      const labels = labelsOf(mostly, shard);
      const own = labels.filter((y) => y === (2 * w) % 10 || y === (2 * w + 1) % 10).length;
      expect(own / labels.length).toBeGreaterThan(0.85);
      expect(own / labels.length).toBeLessThan(0.99);
    });
  });

  it("is deterministic per seed and gives worker i the same shard whatever n", () => {
    for (const skew of [0, 0.9]) {
      const four = make({ skew }, 4);
      const eight = make({ skew }, 8);
      expect([...eight.shards[2]!]).toEqual([...four.shards[2]!]);
    }
    const kernels = new CpuKernels();
    const a = make({}, 2, 5);
    const b = make({}, 2, 5);
    expect([...a.initialParameters(kernels).data!]).toEqual([...b.initialParameters(kernels).data!]);
    expect([...a.shards[1]!]).toEqual([...b.shards[1]!]);
    expect([...make({}, 2, 6).shards[1]!]).not.toEqual([...a.shards[1]!]);
  });

  it("reaches > 80% test accuracy after a short plain-SGD run on one worker", () => {
    // 250 steps of batch 32 (8000 images from a 3000-image shard), lr 0.1, h = 32: ≈0.5 s.
    const p = make(
      { hidden: 32, samplesPerWorker: 3000, batchSize: 32, testPerClass: 100, lossSamples: 1000 },
      1,
    );
    const kernels = new CpuKernels();
    const x = p.initialParameters(kernels);
    const g = kernels.alloc(p.dimension);
    const rng = new RandomStreams(1).stream("gradient-samples", 0);
    const before = p.accuracy(x);
    const loss0 = p.loss(x);
    for (let t = 0; t < 250; t++) {
      p.gradient(0, x, g, rng);
      kernels.axpy(x, -0.1, g);
    }
    const after = p.accuracy(x);
    expect(before).toBeLessThan(0.3);
    expect(after).toBeGreaterThan(0.8);
    expect(p.loss(x)).toBeLessThan(loss0 / 3);
  });
});
