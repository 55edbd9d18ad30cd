/**
 * Exact moment dynamics of linear gossip schemes driven by Poisson clocks that do not depend on the
 * state (reference §6.2–6.3), for Monte Carlo oracles. The state z ∈ ℝ^D (one coordinate per worker
 * and vector) evolves by dz = M z dt between events and jumps z ← J_e z at rate λ_e, so
 *
 *   d/dt E[z]    = (M + Σ_e λ_e (J_e − I)) E[z]
 *   d/dt E[zzᵀ]  = M S + S Mᵀ + Σ_e λ_e (J_e S J_eᵀ − S),   S = E[zzᵀ]
 *
 * exactly. M is a sum of small blocks and each J_e is the identity outside a few coordinates, so the
 * right-hand side costs O(D·Σ|block|²); the ODE is integrated by classical RK4.
 */

/** A square block acting on the coordinates `index` (M or J restricted to them; zero / identity elsewhere). */
export interface Block {
  readonly index: readonly number[];
  readonly matrix: readonly (readonly number[])[];
}

export interface Jump extends Block {
  readonly rate: number;
}

/** d/dt S for S = E[zzᵀ] (D × D, row-major), accumulated into `out` (zeroed first). */
export function secondMomentRate(
  d: number,
  generators: readonly Block[],
  jumps: readonly Jump[],
  s: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  for (const { index, matrix } of generators) {
    const k = index.length;
    for (let a = 0; a < k; a++) {
      const ra = index[a]!;
      for (let c = 0; c < d; c++) {
        let left = 0;
        let right = 0;
        for (let b = 0; b < k; b++) {
          left += matrix[a]![b]! * s[index[b]! * d + c]!;
          right += s[c * d + index[b]!]! * matrix[a]![b]!;
        }
        out[ra * d + c]! += left; // (M S)[ra, c]
        out[c * d + ra]! += right; // (S Mᵀ)[c, ra]
      }
    }
  }
  const position = new Int32Array(d);
  for (const { index, matrix, rate } of jumps) {
    const k = index.length;
    position.fill(-1);
    index.forEach((r, a) => {
      position[r] = a;
    });
    // R = J[I, I] · S[I, :]: the rows I of T = J S.
    const rows = new Float64Array(k * d);
    for (let a = 0; a < k; a++)
      for (let c = 0; c < d; c++) {
        let v = 0;
        for (let b = 0; b < k; b++) v += matrix[a]![b]! * s[index[b]! * d + c]!;
        rows[a * d + c] = v;
      }
    // U = T Jᵀ: columns outside I are T's; rows I of those come from R.
    for (let a = 0; a < k; a++)
      for (let c = 0; c < d; c++)
        if (position[c]! < 0) out[index[a]! * d + c]! += rate * (rows[a * d + c]! - s[index[a]! * d + c]!);
    // Columns I of U, every row.
    for (let r = 0; r < d; r++) {
      const pr = position[r]!;
      for (let a = 0; a < k; a++) {
        let u = 0;
        for (let b = 0; b < k; b++) {
          const t = pr >= 0 ? rows[pr * d + index[b]!]! : s[r * d + index[b]!]!;
          u += t * matrix[a]![b]!;
        }
        out[r * d + index[a]!]! += rate * (u - s[r * d + index[a]!]!);
      }
    }
  }
}

/** E[zzᵀ] at each of `times` (ascending, ≥ 0) from S(0) = z0 z0ᵀ, by RK4 with steps of at most `h`. */
export function secondMoments(
  z0: ArrayLike<number>,
  generators: readonly Block[],
  jumps: readonly Jump[],
  times: readonly number[],
  h = 0.02,
): Float64Array[] {
  const d = z0.length;
  let s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j] = z0[i]! * z0[j]!;
  const k1 = new Float64Array(d * d);
  const k2 = new Float64Array(d * d);
  const k3 = new Float64Array(d * d);
  const k4 = new Float64Array(d * d);
  const tmp = new Float64Array(d * d);
  const step = (dt: number) => {
    secondMomentRate(d, generators, jumps, s, k1);
    for (let i = 0; i < s.length; i++) tmp[i] = s[i]! + (dt / 2) * k1[i]!;
    secondMomentRate(d, generators, jumps, tmp, k2);
    for (let i = 0; i < s.length; i++) tmp[i] = s[i]! + (dt / 2) * k2[i]!;
    secondMomentRate(d, generators, jumps, tmp, k3);
    for (let i = 0; i < s.length; i++) tmp[i] = s[i]! + dt * k3[i]!;
    secondMomentRate(d, generators, jumps, tmp, k4);
    const next = new Float64Array(d * d);
    for (let i = 0; i < s.length; i++)
      next[i] = s[i]! + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    s = next;
  };
  const out: Float64Array[] = [];
  let t = 0;
  for (const target of times) {
    const steps = Math.ceil((target - t) / h - 1e-9);
    for (let m = 0; m < steps; m++) step((target - t) / steps);
    t = target;
    out.push(s.slice());
  }
  return out;
}

/** (1/n) Σ_i E[(x_i − x̄)²] from S = E[zzᵀ], x being z's first n coordinates (D = dimension of z). */
export function expectedConsensus(s: Float64Array, d: number, n: number): number {
  let trace = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    trace += s[i * d + i]!;
    for (let j = 0; j < n; j++) total += s[i * d + j]!;
  }
  return (trace - total / n) / n;
}

/** Pairwise averaging on each edge (the gossip baseline), z = x. */
export function gossipJumps(edges: readonly (readonly [number, number, number])[]): Jump[] {
  return edges.map(([i, j, rate]) => ({
    rate,
    index: [i, j],
    matrix: [
      [0.5, 0.5],
      [0.5, 0.5],
    ],
  }));
}

/** A²CiD² (theory variant), z = (x, x̃): the mixing blocks and the exchange jumps (reference §3.2). */
export function a2cid2Moments(
  n: number,
  edges: readonly (readonly [number, number, number])[],
  eta: number,
  alphaTilde: number,
): { generators: Block[]; jumps: Jump[] } {
  const generators = Array.from({ length: n }, (_, i) => ({
    index: [i, n + i],
    matrix: [
      [-eta, eta],
      [eta, -eta],
    ],
  }));
  const a = alphaTilde;
  const jumps = edges.map(([i, j, rate]) => ({
    rate,
    index: [i, j, n + i, n + j],
    matrix: [
      [0.5, 0.5, 0, 0],
      [0.5, 0.5, 0, 0],
      [-a, a, 1, 0],
      [a, -a, 0, 1],
    ],
  }));
  return { generators, jumps };
}
