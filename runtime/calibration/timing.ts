/** Median seconds of `reps` runs of `body`, after `warmup` runs that are not counted. */
export async function medianSeconds(
  reps: number,
  body: () => Promise<unknown> | unknown,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await body();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await body();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
