import type { MemoryByCategory } from "../cluster/memory.ts";

/**
 * Memory per replica by method, from ACCO's Table 1 [reference §4.3], with Ψ parameters, N workers,
 * K bytes of optimizer state per parameter (12 for mixed-precision Adam: fp32 master copy, m and v)
 * and bf16 values (2 bytes) for parameters, gradients and buffers:
 *
 *     method              total                 parameters  gradients   optimizerState   buffers
 *     DDP                 (2+2+K)Ψ              2Ψ          2Ψ          KΨ               0
 *     ZeRO-1              (2+2+K/N)Ψ            2Ψ          2Ψ          KΨ/N             0
 *     ZeRO-2              (2+(2+K)/N)Ψ          2Ψ          2Ψ/N        KΨ/N             0
 *     ZeRO-3              (2+2+K)Ψ/N            2Ψ/N        2Ψ/N        KΨ/N             0
 *     DiLoCo, SlowMo      (2+2+2·2+K)Ψ          2Ψ          2Ψ          KΨ + 2Ψ          2Ψ
 *     CO2                 (2+2+4·2+K)Ψ          2Ψ          2Ψ          KΨ + 2Ψ          3·2Ψ
 *     DPU, WP, ACCO       (2+2+2+K/N)Ψ          2Ψ          2Ψ          KΨ/N             2Ψ
 *
 * The totals are the table's; the split of the extra terms into categories is ours: DiLoCo/SlowMo's
 * 2·2Ψ is the outer momentum (optimizer state) and the copy of the last synchronised parameters (a
 * buffer); CO2's 4·2Ψ is the outer momentum plus three buffers (anchor and the two copies its
 * asynchronous outer step keeps in flight) [uncertain: the table gives only the total]; ACCO's extra
 * 2Ψ is its bf16 communication buffer (DPU and WP hold the same one for the gradients in flight).
 * Activations are not counted (the table does not either).
 */
export const memoryMethods = [
  "ddp",
  "zero-1",
  "zero-2",
  "zero-3",
  "diloco",
  "slowmo",
  "co2",
  "dpu",
  "wp",
  "acco",
] as const;
export type MemoryMethod = (typeof memoryMethods)[number];

export interface MemoryShape {
  /** Ψ, the parameter count. */
  readonly parameters: number;
  /** N, the data-parallel workers sharing the sharded parts. */
  readonly workers: number;
  /** K, bytes of optimizer state per parameter; 12 for mixed-precision Adam (the table's value). */
  readonly optimizerBytes?: number;
  /** Bytes of one parameter, gradient or buffer value; 2 (bf16) in the table. */
  readonly valueBytes?: number;
}

/** Bytes per replica by category for `method` (see the table above). */
export function memoryPerReplica(method: MemoryMethod, shape: MemoryShape): MemoryByCategory {
  const psi = shape.parameters;
  const n = shape.workers;
  const k = shape.optimizerBytes ?? 12;
  const v = shape.valueBytes ?? 2;
  if (!(psi >= 0) || !(n >= 1) || !(k >= 0) || !(v >= 0)) {
    throw new RangeError(
      `memory shape needs Ψ ≥ 0, N ≥ 1, K ≥ 0 and value bytes ≥ 0, got ${JSON.stringify(shape)}`,
    );
  }
  const row = (parameters: number, gradients: number, optimizerState: number, buffers: number) => ({
    parameters: parameters * psi,
    gradients: gradients * psi,
    optimizerState: optimizerState * psi,
    buffers: buffers * psi,
  });
  switch (method) {
    case "ddp":
      return row(v, v, k, 0);
    case "zero-1":
      return row(v, v, k / n, 0);
    case "zero-2":
      return row(v, v / n, k / n, 0);
    case "zero-3":
      return row(v / n, v / n, k / n, 0);
    case "diloco":
    case "slowmo":
      return row(v, v, k + v, v);
    case "co2":
      return row(v, v, k + v, 3 * v);
    case "dpu":
    case "wp":
    case "acco":
      return row(v, v, k / n, v);
  }
}

/** Sum over the categories. */
export function totalMemory(memory: MemoryByCategory): number {
  return memory.parameters + memory.gradients + memory.optimizerState + memory.buffers;
}
