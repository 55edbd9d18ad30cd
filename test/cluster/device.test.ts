import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDevices } from "../../sim/assemble/devices.ts";
import { Device, type DeviceSpec, type DurationFamily } from "../../sim/cluster/device.ts";
import { drawStragglerEpisodes, type RandomStragglers } from "../../sim/cluster/stragglers.ts";
import { distributionMean, distributionVariance, RandomStreams } from "../../sim/engine/index.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

/**
 * Statistical checks use |z| < 5 (two-sided false-failure probability 5.7e-7 per check under the CLT);
 * every variance in a z is the true one, derived from the distribution, never the observed one.
 */
const Z = 5;

const base: DeviceSpec = {
  peakFlops: 100e12,
  efficiency: 0.5,
  memoryBandwidth: 2e12,
  memory: 80e9,
  speed: 1,
  duration: "deterministic",
  cv: 0.3,
  launchOverhead: 0,
};

const families: DurationFamily[] = ["deterministic", "exponential", "lognormal", "gamma", "uniform"];

describe("Device", () => {
  it("flopsTime = flops / (peak · efficiency · speed)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e9, max: 1e16, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1e18, noNaN: true }),
        (peakFlops, efficiency, speed, flops) => {
          const device = new Device(0, { ...base, peakFlops, efficiency, speed }, []);
          const expected = flops / (peakFlops * efficiency * speed);
          expect(Math.abs(device.flopsTime(flops) - expected)).toBeLessThanOrEqual(1e-12 * expected);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
    // A concrete case: 5e11 FLOPs on 100 TFLOP/s at 50 % and a quarter speed is 40 ms.
    expect(new Device(0, { ...base, speed: 0.25 }, []).flopsTime(5e11)).toBeCloseTo(0.04, 15);
  });

  describe.each(families)("%s durations", (family) => {
    const mean = 0.01;
    const n = 20_000;

    it.each([1, 0.25, 3])("have mean meanSeconds / speed at speed %s (z-test over 20 000 draws)", (speed) => {
      const device = new Device(0, { ...base, duration: family, speed }, []);
      const distribution = device.computeDistribution(mean);
      const rng = new RandomStreams(1234).stream("device-test", family.length, speed * 100);
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const x = device.sampleDuration(distribution, rng);
        sum += x;
        min = Math.min(min, x);
      }
      expect(min).toBeGreaterThan(0);
      const expectedMean = mean / speed;
      // Draws scaled by 1/speed have variance Var / speed².
      const variance = distributionVariance(distribution) / speed ** 2;
      if (variance === 0) {
        expect(sum / n).toBeCloseTo(expectedMean, 12);
      } else {
        const z = (sum / n - expectedMean) / Math.sqrt(variance / n);
        expect(Math.abs(z)).toBeLessThan(Z);
      }
    });

    it("scales each draw exactly by 1/speed (same stream, different speeds)", () => {
      const fast = new Device(0, { ...base, duration: family, speed: 1 }, []);
      const slow = new Device(1, { ...base, duration: family, speed: 0.25 }, []);
      const a = new RandomStreams(9).stream("coupled");
      const b = new RandomStreams(9).stream("coupled");
      const da = fast.computeDistribution(mean);
      const db = slow.computeDistribution(mean);
      for (let i = 0; i < 200; i++) {
        expect(slow.sampleDuration(db, b)).toBeCloseTo(4 * fast.sampleDuration(da, a), 14);
      }
    });
  });

  it("adds the launch overhead to every compute's mean, whatever its size", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-9, max: 10, noNaN: true }),
        (overhead, mean) => {
          const device = new Device(0, { ...base, launchOverhead: overhead }, []);
          const d = device.computeDistribution(mean);
          expect(distributionMean(d)).toBeCloseTo(overhead + mean, 12);
        },
      ),
    );
  });

  it("finishTime follows the device's straggler episodes", () => {
    const device = new Device(0, base, [{ start: 1, end: 2, factor: 4 }]);
    // 0.5 work by t = 1, 0.25 more during [1, 2) at a quarter speed, the last 0.25 at full speed.
    expect(device.finishTime(0.5, 1)).toBe(2.25);
    // 0.5 work by t = 1, the last 0.25 at a quarter speed takes the whole episode.
    expect(device.finishTime(0.5, 0.75)).toBe(2);
    expect(device.finishTime(3, 1)).toBe(4);
  });
});

describe("random stragglers (drawStragglerEpisodes)", () => {
  const process: RandomStragglers = { rate: 2, duration: 0.25, factor: 3 };

  it("is deterministic per (seed, worker) and independent of other workers and of draw order", () => {
    const streams = new RandomStreams(77);
    const forward = [0, 1, 2, 3, 4].map((w) => drawStragglerEpisodes(process, w, 100, streams));
    const backward = [4, 3, 2, 1, 0].map((w) =>
      drawStragglerEpisodes(process, w, 100, new RandomStreams(77)),
    );
    expect(backward.reverse()).toEqual(forward);
    // Different workers and different seeds see different episodes.
    expect(forward[1]).not.toEqual(forward[2]);
    expect(drawStragglerEpisodes(process, 1, 100, new RandomStreams(78))).not.toEqual(forward[1]);
    // A shorter horizon gives a prefix (the same stream, stopped earlier).
    const short = drawStragglerEpisodes(process, 3, 40, new RandomStreams(77));
    expect(short.length).toBeGreaterThan(0);
    expect(forward[3]!.slice(0, short.length)).toEqual(short);
    expect(forward[3]![short.length]!.start).toBeGreaterThanOrEqual(40);
  });

  it("gives worker w the same episodes whatever the cluster size (through buildDevices)", () => {
    const cluster = (workers: number) =>
      decodeScenario({
        cluster: { workers, stragglers: { random: { rate: 2, duration: "250 ms", factor: 3 } } },
        schedule: { kind: "gossip-timing", computeTime: "10 ms", bytes: "1 kB" },
        stop: { time: "50 s" },
      }).cluster;
    const small = buildDevices(cluster(4), new RandomStreams(5), 50);
    const large = buildDevices(cluster(16), new RandomStreams(5), 50);
    for (let w = 0; w < 4; w++) {
      expect(small[w]!.profile.hasEpisodes).toBe(true);
      for (let t = 0; t < 50; t += 0.01)
        expect(small[w]!.profile.speedAt(t)).toBe(large[w]!.profile.speedAt(t));
      for (let t = 0; t < 50; t += 0.37)
        expect(small[w]!.finishTime(t, 0.2)).toBe(large[w]!.finishTime(t, 0.2));
    }
  });

  it("draws an alternating renewal process: counts ≈ rate·H/(1 + rate·d), lengths ≈ d, gaps ≈ 1/rate", () => {
    // Up times ~ Exp(rate), episode lengths ~ Exp(mean d): a renewal process of cycle mean
    // μ = 1/rate + d and variance σ² = 1/rate² + d². By the renewal CLT, N(H) ≈ Normal(H/μ, Hσ²/μ³);
    // the delayed start shifts E N(H) by less than 1 per worker, allowed for explicitly.
    const H = 500;
    const workers = 16;
    const mu = 1 / process.rate + process.duration;
    const sigma2 = 1 / process.rate ** 2 + process.duration ** 2;
    const streams = new RandomStreams(2024);
    let count = 0;
    let lengths = 0;
    let gaps = 0;
    let gapCount = 0;
    for (let w = 0; w < workers; w++) {
      const episodes = drawStragglerEpisodes(process, w, H, streams);
      let previousEnd = 0;
      for (const e of episodes) {
        expect(e.start).toBeGreaterThanOrEqual(previousEnd);
        expect(e.start).toBeLessThan(H);
        expect(e.end).toBeGreaterThan(e.start);
        expect(e.factor).toBe(process.factor);
        lengths += e.end - e.start;
        gaps += e.start - previousEnd;
        gapCount++;
        previousEnd = e.end;
      }
      count += episodes.length;
    }
    const expected = (workers * process.rate * H) / (1 + process.rate * process.duration);
    expect(expected).toBeCloseTo((workers * H) / mu, 9);
    const sd = Math.sqrt((workers * H * sigma2) / mu ** 3);
    expect(Math.abs(count - expected)).toBeLessThan(Z * sd + workers);
    // Lengths are Exp(mean d) (sd d), gaps Exp(mean 1/rate) (sd 1/rate).
    const lengthZ = (lengths / count - process.duration) / (process.duration / Math.sqrt(count));
    expect(Math.abs(lengthZ)).toBeLessThan(Z);
    const gapZ = (gaps / gapCount - 1 / process.rate) / (1 / process.rate / Math.sqrt(gapCount));
    expect(Math.abs(gapZ)).toBeLessThan(Z);
  });

  it("is empty without a rate or on an empty horizon", () => {
    const streams = new RandomStreams(1);
    expect(drawStragglerEpisodes({ ...process, rate: 0 }, 0, 100, streams)).toEqual([]);
    expect(drawStragglerEpisodes(process, 0, 0, streams)).toEqual([]);
  });
});
