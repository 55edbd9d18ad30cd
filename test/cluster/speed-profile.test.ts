import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SlowdownEpisode, SpeedProfile } from "../../sim/cluster/speed-profile.ts";

/**
 * SpeedProfile.finishTime against a brute-force oracle that knows nothing of breakpoints: the speed at
 * time t is 1 / (product of the factors of the episodes covering t), and a compute ends when the
 * integral of that speed, taken in fine fixed steps, reaches the work.
 */

/** Speed at t straight from the episode list (overlapping episodes multiply their factors). */
function speedOf(episodes: readonly SlowdownEpisode[], t: number): number {
  let factor = 1;
  for (const e of episodes) if (e.start <= t && t < e.end) factor *= e.factor;
  return 1 / factor;
}

/**
 * ∫ speed over [a, b] in steps of dt, speed taken at each step's midpoint. Exact on steps that contain
 * no episode boundary; each boundary costs at most dt · |speed jump| ≤ dt.
 */
function bruteIntegral(episodes: readonly SlowdownEpisode[], a: number, b: number, dt: number): number {
  let sum = 0;
  for (let t = a; t < b; t += dt) {
    const step = Math.min(dt, b - t);
    sum += speedOf(episodes, t + step / 2) * step;
  }
  return sum;
}

/** When the integral from `start` reaches `work`, stepping by dt (the last step is cut short linearly). */
function bruteFinish(episodes: readonly SlowdownEpisode[], start: number, work: number, dt: number): number {
  let done = 0;
  let t = start;
  for (;;) {
    const speed = speedOf(episodes, t + dt / 2);
    if (done + speed * dt >= work) return t + (work - done) / speed;
    done += speed * dt;
    t += dt;
  }
}

/** Slowdown product over every episode: the lowest speed the profile can reach is its inverse. */
function worstSlowdown(episodes: readonly SlowdownEpisode[]): number {
  return episodes.reduce((p, e) => p * e.factor, 1);
}

// Times on a millisecond grid in [0, 10] with lengths in (0, 5]: no -0, no denormals, but arbitrary
// overlaps (nested, partial, shared boundaries).
const episodeArb = fc
  .record({
    // An episode at t = 0 exercises the profile's first segment; give it a fair chance.
    start: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000 }) },
    ),
    length: fc.integer({ min: 1, max: 5_000 }),
    factor: fc.double({ min: 1, max: 3, noNaN: true }),
  })
  .map(({ start, length, factor }) => ({ start: start / 1000, end: (start + length) / 1000, factor }));
const episodesArb = fc.array(episodeArb, { maxLength: 4 });
const startArb = fc.integer({ min: 0, max: 16_000 }).map((k) => k / 1000);
/** Episodes and a start that is either anywhere or exactly on one of their boundaries. */
const episodesAndStartArb = episodesArb.chain((episodes) =>
  fc.tuple(
    fc.constant(episodes),
    episodes.length === 0
      ? startArb
      : fc.oneof(startArb, fc.constantFrom(...episodes.flatMap((e) => [e.start, e.end]))),
  ),
);
const workArb = fc.integer({ min: 0, max: 5_000 }).map((k) => k / 1000);

describe("SpeedProfile", () => {
  it("speedAt is 1 / (product of the covering episodes' factors)", () => {
    fc.assert(
      fc.property(episodesArb, fc.array(startArb, { minLength: 1, maxLength: 20 }), (episodes, times) => {
        const profile = new SpeedProfile(episodes);
        for (const t of [...times, ...episodes.flatMap((e) => [e.start, e.end])]) {
          expect(profile.speedAt(t)).toBeCloseTo(speedOf(episodes, t), 12);
        }
      }),
      { seed: 101, numRuns: 300 },
    );
  });

  it("finishTime agrees with a fine-step numerical integration of the speed", () => {
    const dt = 2e-4;
    fc.assert(
      fc.property(episodesAndStartArb, workArb, ([episodes, start], work) => {
        const profile = new SpeedProfile(episodes);
        const finish = profile.finishTime(start, work);
        expect(finish).toBeGreaterThanOrEqual(start);
        // Work done between start and the returned finish, integrated by brute force: each of the
        // 2E boundaries costs at most dt of integral, plus rounding over ~1e5 steps.
        const boundaries = 2 * episodes.length;
        const integralTolerance = boundaries * dt + 1e-9 * (finish - start + 1);
        expect(Math.abs(bruteIntegral(episodes, start, finish, dt) - work)).toBeLessThanOrEqual(
          integralTolerance,
        );
        // Finish time itself: an integral error ε moves the end by at most ε / (lowest speed), plus the
        // last step's own error (≤ dt).
        const timeTolerance = integralTolerance * worstSlowdown(episodes) + dt;
        expect(Math.abs(bruteFinish(episodes, start, work, dt) - finish)).toBeLessThanOrEqual(timeTolerance);
      }),
      { seed: 202, numRuns: 150 },
    );
  });

  it("finishTime is exact on a dyadic grid (power-of-two factors, where brute force is exact too)", () => {
    const grid = fc
      .record({
        start: fc.integer({ min: 0, max: 64 }),
        length: fc.integer({ min: 1, max: 32 }),
        factor: fc.constantFrom(1, 2, 4, 8),
      })
      .map(({ start, length, factor }) => ({ start: start / 8, end: (start + length) / 8, factor }));
    fc.assert(
      fc.property(
        fc.array(grid, { maxLength: 5 }),
        fc.integer({ min: 0, max: 96 }),
        fc.integer({ min: 0, max: 512 }),
        (episodes, startK, workK) => {
          const start = startK / 8;
          const work = workK / 64;
          // dt = 1/64 divides every boundary, so every step has one speed and every sum is exact.
          expect(new SpeedProfile(episodes).finishTime(start, work)).toBe(
            bruteFinish(episodes, start, work, 1 / 64),
          );
        },
      ),
      { seed: 303, numRuns: 400 },
    );
  });

  it("overlapping episodes multiply: two factor-2 episodes over the same window quarter the speed", () => {
    const profile = new SpeedProfile([
      { start: 1, end: 3, factor: 2 },
      { start: 2, end: 4, factor: 2 },
    ]);
    expect(profile.speedAt(1.5)).toBe(0.5);
    expect(profile.speedAt(2.5)).toBe(0.25);
    expect(profile.speedAt(3.5)).toBe(0.5);
    expect(profile.speedAt(4)).toBe(1);
    // From 2: [2, 3) at 1/4 gives 0.25, [3, 4) at 1/2 gives 0.5, then 0.25 more at full speed.
    expect(profile.finishTime(2, 1)).toBeCloseTo(4.25, 12);
  });

  it("work inside, before and after episodes, and zero work", () => {
    const profile = new SpeedProfile([{ start: 2, end: 4, factor: 4 }]);
    // Entirely before the episode, ending exactly at its start.
    expect(profile.finishTime(0, 2)).toBe(2);
    // Straddling its start: 1 s at full speed, then 0.5 work at speed 1/4 takes 2 s.
    expect(profile.finishTime(1, 1.5)).toBe(4);
    // Inside: 0.25 work at speed 1/4.
    expect(profile.finishTime(2.5, 0.25)).toBe(3.5);
    // Straddling its end: 0.25 work done by 4, the remaining 0.75 at full speed.
    expect(profile.finishTime(3, 1)).toBe(4.75);
    // After it: untouched.
    expect(profile.finishTime(10, 3)).toBe(13);
    // Zero work ends where it starts, wherever that is.
    for (const t of [0, 1, 2, 3, 4, 7]) expect(profile.finishTime(t, 0)).toBe(t);
    // No episode at all.
    const flat = new SpeedProfile([]);
    expect(flat.hasEpisodes).toBe(false);
    expect(flat.finishTime(1.25, 2.5)).toBe(3.75);
    // An episode from t = 0: the very first segment is slowed too.
    const early = new SpeedProfile([{ start: 0, end: 1, factor: 2 }]);
    expect(early.speedAt(0)).toBe(0.5);
    expect(early.finishTime(0, 1)).toBe(1.5);
  });

  it("is monotone in start and in work, and composes: finish(finish(s, a), b) = finish(s, a + b)", () => {
    fc.assert(
      fc.property(episodesArb, startArb, startArb, workArb, workArb, (episodes, s1, s2, w1, w2) => {
        const profile = new SpeedProfile(episodes);
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [u, v] = w1 <= w2 ? [w1, w2] : [w2, w1];
        // A few ulps of slack: the two calls round along different paths.
        const slack = (x: number) => 1e-12 * (1 + Math.abs(x));
        const fa = profile.finishTime(a, u);
        expect(fa).toBeLessThanOrEqual(profile.finishTime(b, u) + slack(fa));
        expect(fa).toBeLessThanOrEqual(profile.finishTime(a, v) + slack(fa));
        const whole = profile.finishTime(a, u + v);
        expect(profile.finishTime(fa, v)).toBeCloseTo(whole, 9);
      }),
      { seed: 404, numRuns: 500 },
    );
  });
});
