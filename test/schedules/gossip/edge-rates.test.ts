import { describe, expect, it } from "vitest";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";

/**
 * Theory backend: each worker's gossip clock ticks Λ_ii/2 times per unit and picks neighbour j with
 * probability λ_ij/Λ_ii, so edge (i, j) ticks λ_ij/2 + λ_ji/2 = λ_ij times per unit — the papers' edge
 * clocks, superposed per worker. On the path 0–1–2–3 at `rate` r the uniform edge rate is
 * λ = n·r/(2|E|) = 2r/3: the ends take part in λ exchanges per unit, the middle workers in 2λ. A clock
 * of r/2 per worker with a uniform neighbour would give the ends 3r/4 and the middle 5r/4 instead:
 * over T = 4 000 units the two differ by more than 6 standard deviations of a Poisson count.
 */
describe("gossip in the theory backend: per-worker clocks give the edge clocks' rates", () => {
  const T = 4000;
  const result = runScenario(
    decodeScenario({
      seed: 7,
      cluster: { workers: 4, topology: { kind: "path" } },
      problem: { kind: "least-squares", dimension: 2, samplesPerWorker: 10, batchSize: 10 },
      schedule: { kind: "gossip", fidelity: "theory", rate: 1, sampleEvery: 1000 },
      stop: { time: T },
    }),
  );
  const exchanges = result.workers.map((w) => w.counts.exchanges!);
  const lambda = (4 * 1) / (2 * 3);
  const near = (count: number, expected: number) =>
    expect(Math.abs(count - expected)).toBeLessThan(4 * Math.sqrt(expected));

  it("the ends take part in λ exchanges per unit", () => {
    near(exchanges[0]!, lambda * T);
    near(exchanges[3]!, lambda * T);
  });

  it("the middle workers in 2λ, and every exchange has two ends", () => {
    near(exchanges[1]!, 2 * lambda * T);
    near(exchanges[2]!, 2 * lambda * T);
    expect(exchanges.reduce((a, b) => a + b, 0) % 2).toBe(0);
  });
});
