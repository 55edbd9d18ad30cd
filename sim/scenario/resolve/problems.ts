import { InputError } from "../../errors.ts";
import { formatPath, valueAt } from "../paths.ts";

export type Path = ReadonlyArray<string | number>;

/**
 * Collects the problems found after the schema has accepted a file: rules that span fields. Each is
 * reported with the value as written in the raw input (so "25 s", not 25), found by its path.
 */
export class Problems {
  readonly list: InputError[] = [];
  private readonly raw: unknown;

  constructor(raw: unknown) {
    this.raw = raw;
  }

  add(path: Path, expected: string): void {
    this.list.push(new InputError(formatPath(path), valueAt(this.raw, path), expected));
  }

  /** Whether the raw input spells out `path` (as opposed to leaving it to a default). */
  has(path: Path): boolean {
    return valueAt(this.raw, path) !== undefined;
  }
}

/** "a worker id < cluster.workers (8)": the words for an out-of-range worker index. */
export function workerIdExpected(workers: number): string {
  return `a worker id < cluster.workers (${workers})`;
}
