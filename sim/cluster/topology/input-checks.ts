import { InputError } from "../../errors.ts";

/**
 * Checks shared by the topology generators. Each throws an InputError naming the field, so a bad
 * scenario is reported as "cluster.topology.degree: got 2.5, expected an integer in 1..7".
 */

/**
 * Past this many edges (16.7 million: a complete graph on 5793 workers) building a topology takes
 * about a gigabyte at its peak; refuse it up front with a readable error rather than run out of memory.
 */
export const MAX_TOPOLOGY_EDGES = 2 ** 24;

export function checkWorkerCount(n: number, path: string): void {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InputError(path, n, "a positive integer number of workers");
}

/** An integer in [min, max]. */
export function checkInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(path, value, `an integer in ${min}..${max}`);
  }
  return value;
}

/** A finite number in [min, max] (either bound may be infinite). */
export function checkNumber(
  value: unknown,
  path: string,
  min: number,
  max: number,
  expected: string,
): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new InputError(path, value, expected);
  }
  return value;
}

export function checkEdgeBudget(edges: number, n: number, path: string): void {
  if (edges > MAX_TOPOLOGY_EDGES) {
    throw new InputError(
      path,
      { workers: n, edges },
      `at most ${MAX_TOPOLOGY_EDGES} edges (choose a sparser topology or fewer workers)`,
    );
  }
}

/** Rejects fields a family does not know, which are most often typos ("gpuPerNode"). */
export function checkKnownFields(spec: object, known: readonly string[], path: string, family: string): void {
  for (const key of Object.keys(spec)) {
    if (!known.includes(key)) {
      const value: unknown = (spec as Record<string, unknown>)[key];
      throw new InputError(
        `${path}.${key}`,
        value,
        `no such field for a ${family} topology (fields: ${known.join(", ")})`,
      );
    }
  }
}
