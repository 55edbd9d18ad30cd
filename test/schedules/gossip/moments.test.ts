import { describe, expect, it } from "vitest";
import {
  a2cid2Moments,
  type Block,
  expectedConsensus,
  gossipJumps,
  secondMomentRate,
  secondMoments,
} from "./moments.ts";

/** The second-moment oracle itself, against the dense formula M S + S Mᵀ + Σ λ (J S Jᵀ − S). */

function dense(d: number, b: Block, diagonal: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = diagonal;
  b.index.forEach((r, a) => {
    b.index.forEach((c, k) => {
      m[r * d + c] = b.matrix[a]![k]!;
    });
  });
  return m;
}

function multiply(d: number, a: Float64Array, b: Float64Array, transposeB = false): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++)
      for (let j = 0; j < d; j++)
        c[i * d + j]! += a[i * d + k]! * (transposeB ? b[j * d + k]! : b[k * d + j]!);
  return c;
}

describe("second-moment oracle (moments.ts)", () => {
  it("its right-hand side equals the dense formula (A²CiD² blocks on 4 workers, random rates)", () => {
    const n = 4;
    const d = 2 * n;
    const edges: [number, number, number][] = [
      [0, 1, 0.3],
      [1, 2, 0.7],
      [2, 3, 0.2],
      [0, 3, 0.5],
      [0, 2, 0.1],
    ];
    const { generators, jumps } = a2cid2Moments(n, edges, 0.3, 0.8);
    const s = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j <= i; j++) {
        s[i * d + j] = Math.sin(7 * i + 3 * j);
        s[j * d + i] = s[i * d + j]!;
      }
    const out = new Float64Array(d * d);
    secondMomentRate(d, generators, jumps, s, out);
    const expected = new Float64Array(d * d);
    for (const g of generators) {
      const m = dense(d, g, 0);
      const left = multiply(d, m, s);
      const right = multiply(d, s, m, true);
      for (let i = 0; i < d * d; i++) expected[i]! += left[i]! + right[i]!;
    }
    for (const jump of jumps) {
      const j = dense(d, jump, 1);
      const jsj = multiply(d, multiply(d, j, s), j, true);
      for (let i = 0; i < d * d; i++) expected[i]! += jump.rate * (jsj[i]! - s[i]!);
    }
    for (let i = 0; i < d * d; i++) expect(out[i]).toBeCloseTo(expected[i]!, 12);
  });

  it("gossip: d/dt E‖x − x̄‖² at t = 0 is −½·xᵀΛx/n (reference §6.2), and the RK4 solution matches it", () => {
    const edges: [number, number, number][] = [
      [0, 1, 0.3],
      [1, 2, 0.7],
      [2, 3, 0.2],
      [0, 3, 0.5],
    ];
    const x = [1, -0.5, 2, 0.3];
    const quadratic = edges.reduce((a, [i, j, r]) => a + r * (x[i]! - x[j]!) ** 2, 0);
    const h = 1e-4;
    const [s0, s1] = secondMoments(x, [], gossipJumps(edges), [0, h]);
    const slope = (expectedConsensus(s1!, 4, 4) - expectedConsensus(s0!, 4, 4)) / h;
    expect(slope).toBeCloseTo(-quadratic / 2 / 4, 3);
  });
});
