/**
 * A value computed on its first use, then kept. The problems' exact constants (eigenvalues by Jacobi,
 * x* by Cholesky or Newton) cost O(d³): seconds at d = 500, and tens of seconds when eight worker
 * processes build the same problem at once on two cores. Only the simulator's metrics and step sizes
 * ask for them; a runtime worker process that only computes gradients never pays for them.
 */
export function once<T>(compute: () => T): () => T {
  let computed = false;
  let value: T | undefined;
  return () => {
    if (!computed) {
      value = compute();
      computed = true;
    }
    return value as T;
  };
}
