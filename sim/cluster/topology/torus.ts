import { InputError } from "../../errors.ts";
import { EdgeListBuilder, type Graph } from "./graph.ts";
import { checkInteger, checkWorkerCount } from "./input-checks.ts";

export interface TorusShape {
  readonly rows?: number;
  readonly cols?: number;
}

/**
 * 2-D torus: worker r·cols + c is linked to its four neighbours with wrap-around. With rows or cols
 * below 3 the wrap-around link coincides with a direct one (or is a self-loop for 1) and is dropped,
 * so 1 × n is a ring and 2 × 2 a 4-cycle. A missing dimension is n divided by the other; both
 * missing, the most square factorisation (rows ≤ cols), so a prime n degrades to a ring.
 */
export function torusGraph(n: number, shape: TorusShape = {}, path = "topology"): Graph {
  const { rows, cols } = torusDimensions(n, shape, path);
  const builder = new EdgeListBuilder(n);
  const id = (r: number, c: number) => r * cols + c;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const right = (c + 1) % cols;
      const down = (r + 1) % rows;
      if (right !== c) builder.add(id(r, c), id(r, right));
      if (down !== r) builder.add(id(r, c), id(down, c));
    }
  }
  return builder.build();
}

/** Resolves and checks rows × cols = n. */
export function torusDimensions(n: number, shape: TorusShape, path: string): { rows: number; cols: number } {
  checkWorkerCount(n, path);
  const { rows, cols } = shape;
  if (rows === undefined && cols === undefined) {
    const r = mostSquareDivisor(n);
    return { rows: r, cols: n / r };
  }
  if (rows !== undefined) {
    checkInteger(rows, `${path}.rows`, 1, n);
    if (n % rows !== 0)
      throw new InputError(`${path}.rows`, rows, `a divisor of ${n} (the number of workers)`);
  }
  if (cols !== undefined) {
    checkInteger(cols, `${path}.cols`, 1, n);
    const wanted = rows === undefined ? undefined : n / rows;
    if (wanted !== undefined && cols !== wanted) {
      throw new InputError(`${path}.cols`, cols, `${wanted} so that rows × cols = ${n} workers`);
    }
    if (n % cols !== 0)
      throw new InputError(`${path}.cols`, cols, `a divisor of ${n} (the number of workers)`);
  }
  const r = rows ?? n / cols!;
  return { rows: r, cols: n / r };
}

/** The largest divisor of n not above √n. */
export function mostSquareDivisor(n: number): number {
  for (let r = Math.floor(Math.sqrt(n)); r > 1; r--) if (n % r === 0) return r;
  return 1;
}
