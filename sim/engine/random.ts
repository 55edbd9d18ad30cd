import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/**
 * One seeded stream of uniform numbers. Streams are derived from the run seed and a name
 * (purpose plus indices: `("gossip-clock", worker)`, `("edge", i, j)`…) by hashing, never by
 * drawing from a shared generator, so adding a worker, an edge or a purpose leaves every other
 * stream's draws unchanged, and a stream's draws do not depend on the order in which streams are made.
 */
export class RandomStream {
  private readonly generator: RandomGenerator;

  constructor(generator: RandomGenerator) {
    this.generator = generator;
  }

  /** Uniform on [0, 1), 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform on (0, 1]: safe under a logarithm. */
  uniformPositive(): number {
    return 1 - uniformFloat64(this.generator);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(uniformFloat64(this.generator) * n);
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(this.uniformPositive()) / rate;
  }

  /** Standard normal (Box–Muller; one of the pair is discarded so draws stay stateless). */
  normal(): number {
    const u = this.uniformPositive();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** Factory of independent named streams for one run seed. */
export class RandomStreams {
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    this.seed = seed;
  }

  /** The stream for `purpose` and optional integer indices. Same arguments, same stream. */
  stream(purpose: string, ...indices: number[]): RandomStream {
    return new RandomStream(xoroshiro128plusFromState(deriveState(this.seed, purpose, indices)));
  }
}

/**
 * 128 bits of generator state from (seed, purpose, indices), by murmur3-style 32-bit mixing: four hash
 * lanes with different initial values, one per state word, so that the state carries 128 bits of the name
 * (one 32-bit hash stretched to four words gave only 2^32 distinct streams: distinct names shared one).
 */
function deriveState(seed: number, purpose: string, indices: readonly number[]): number[] {
  const state: number[] = [];
  for (let word = 0; word < 4; word++) {
    let h = (0x9e3779b9 + Math.imul(word, 0x7f4a7c15)) ^ purpose.length;
    h = mix(h, seed >>> 0);
    h = mix(h, Math.floor(seed / 0x100000000) >>> 0);
    for (let i = 0; i < purpose.length; i++) h = mix(h, purpose.charCodeAt(i));
    h = mix(h, indices.length);
    for (const index of indices) {
      h = mix(h, index >>> 0);
      h = mix(h, Math.floor(index / 0x100000000) >>> 0);
    }
    state.push(finalize(mix(h, 0x85ebca6b + word)) | 0);
  }
  // xoroshiro's all-zero state is a fixed point; the chance is 2^-128 but make it impossible.
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
  return state;
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
