/**
 * Which (collective, algorithm) pairs exist, and the checks of a collective request. A bad request
 * comes from a scenario (a group with a repeated device, a halving-doubling group of 6), so it is an
 * `InputError` naming the field.
 */
import { InputError } from "../../errors.ts";
import type { CollectiveAlgorithm, CollectiveKind, CollectiveSpec } from "./collective.ts";

const ALGORITHMS: Readonly<Record<CollectiveKind, readonly CollectiveAlgorithm[]>> = {
  "all-reduce": ["ring", "tree", "halving-doubling", "closed-form"],
  "reduce-scatter": ["ring", "halving-doubling", "closed-form"],
  "all-gather": ["ring", "halving-doubling", "closed-form"],
  broadcast: ["ring", "tree", "closed-form"],
};

export function algorithmsFor(kind: CollectiveKind): readonly CollectiveAlgorithm[] {
  return ALGORITHMS[kind];
}

/** Throws an `InputError` unless `spec` can run on `deviceCount` devices. */
export function checkCollective(spec: CollectiveSpec, deviceCount: number, path = "collective"): void {
  const allowed = ALGORITHMS[spec.kind] as readonly CollectiveAlgorithm[] | undefined;
  if (allowed === undefined) {
    throw new InputError(`${path}.kind`, spec.kind, `one of ${Object.keys(ALGORITHMS).join(", ")}`);
  }
  if (!allowed.includes(spec.algorithm)) {
    throw new InputError(
      `${path}.algorithm`,
      spec.algorithm,
      `for ${spec.kind}, one of ${allowed.join(", ")}`,
    );
  }
  const group = spec.group;
  if (group.length === 0) throw new InputError(`${path}.group`, group, "at least one device");
  const seen = new Set<number>();
  for (let i = 0; i < group.length; i++) {
    const d = group[i]!;
    if (!(Number.isInteger(d) && d >= 0 && d < deviceCount)) {
      throw new InputError(`${path}.group[${i}]`, d, `a device id in [0, ${deviceCount})`);
    }
    if (seen.has(d)) throw new InputError(`${path}.group[${i}]`, d, "a device not already in the group");
    seen.add(d);
  }
  if (!(spec.bytes >= 0 && spec.bytes < Number.POSITIVE_INFINITY)) {
    throw new InputError(`${path}.bytes`, spec.bytes, "a non-negative finite number of bytes");
  }
  const n = group.length;
  if (spec.algorithm === "halving-doubling" && (n & (n - 1)) !== 0) {
    throw new InputError(
      `${path}.group`,
      `${n} devices`,
      "a power-of-two number of devices for halving-doubling",
    );
  }
  if (spec.chunks !== undefined && !(Number.isSafeInteger(spec.chunks) && spec.chunks >= 1)) {
    throw new InputError(`${path}.chunks`, spec.chunks, "a positive integer");
  }
}
