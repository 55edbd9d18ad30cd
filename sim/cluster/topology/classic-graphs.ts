import { InputError } from "../../errors.ts";
import { EdgeListBuilder, type Graph } from "./graph.ts";
import { checkEdgeBudget, checkWorkerCount } from "./input-checks.ts";

/**
 * The parameter-free families. Each takes the number of workers and the field path used in errors
 * (the topology's own path: the worker count is the only thing that can be wrong).
 */

/** Cycle 0–1–…–(n−1)–0. n = 2 gives the single edge, n = 1 no edge. */
export function ringGraph(n: number, path = "topology"): Graph {
  checkWorkerCount(n, path);
  const builder = new EdgeListBuilder(n);
  for (let i = 0; i + 1 < n; i++) builder.add(i, i + 1);
  if (n >= 3) builder.add(n - 1, 0);
  return builder.build();
}

/** 0–1–…–(n−1). */
export function pathGraph(n: number, path = "topology"): Graph {
  checkWorkerCount(n, path);
  const builder = new EdgeListBuilder(n);
  for (let i = 0; i + 1 < n; i++) builder.add(i, i + 1);
  return builder.build();
}

/** Worker 0 linked to every other worker. */
export function starGraph(n: number, path = "topology"): Graph {
  checkWorkerCount(n, path);
  const builder = new EdgeListBuilder(n);
  for (let i = 1; i < n; i++) builder.add(0, i);
  return builder.build();
}

export function completeGraph(n: number, path = "topology"): Graph {
  checkWorkerCount(n, path);
  checkEdgeBudget((n * (n - 1)) / 2, n, path);
  const builder = new EdgeListBuilder(n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) builder.add(i, j);
  return builder.build();
}

/** Workers are the corners of a log2(n)-cube: i and j linked when they differ in exactly one bit. */
export function hypercubeGraph(n: number, path = "topology"): Graph {
  checkWorkerCount(n, path);
  if (!isPowerOfTwo(n)) {
    const below = 2 ** Math.floor(Math.log2(n));
    throw new InputError(
      path,
      n,
      `a power-of-two number of workers for a hypercube (nearest: ${below} or ${2 * below})`,
    );
  }
  const builder = new EdgeListBuilder(n);
  for (let i = 0; i < n; i++) {
    for (let bit = 1; bit < n; bit *= 2) if ((i & bit) === 0) builder.add(i, i | bit);
  }
  return builder.build();
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && 2 ** Math.round(Math.log2(n)) === n;
}
