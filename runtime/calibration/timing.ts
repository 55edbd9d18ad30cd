/** Median seconds of `reps` runs of `body`, after `warmup` runs that are not counted. */
export async function medianSeconds(
  reps: number,
  body: () => Promise<unknown> | unknown,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await body();
  return medianOf(reps, async () => {
    const start = performance.now();
    await body();
    return (performance.now() - start) / 1000;
  });
}

/** The median (the upper one, for an even count) of `rounds` values of `measure()`, run one after the other. */
export async function medianOf(rounds: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) values.push(await measure());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}
