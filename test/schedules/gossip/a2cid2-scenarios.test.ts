import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeScenarioAll } from "../../../sim/scenario/decode.ts";
import { dtsim } from "../../cli/dtsim.ts";
import { decodeWith, loadPaper, papers, withSets } from "./scenarios.ts";

describe("scenarios/papers/a2cid2-*.yaml", () => {
  it.each(["a2cid2-ring.yaml", "a2cid2-complete.yaml"])("%s decodes without problems", (file) => {
    const result = decodeScenarioAll(loadPaper(file));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
  });

  it.each([
    ["a2cid2-ring.yaml", "ring"],
    ["a2cid2-complete.yaml", "complete"],
  ])("%s: 32 workers on a %s, A²CiD² in theory mode at rate 1, least squares, 300 s", (file, topology) => {
    const s = decodeWith(loadPaper(file), []);
    expect(s.cluster.workers).toBe(32);
    expect(s.cluster.topology).toEqual({ kind: topology });
    expect(s.schedule).toMatchObject({
      kind: "a2cid2",
      fidelity: "theory",
      params: {
        rate: 1,
        pairing: "poisson",
        variant: "theory",
        sgd: { lr: 0.002, momentum: 0.9, weightDecay: 0 },
      },
    });
    expect(s.problem).toMatchObject({ kind: "least-squares", heterogeneity: 1 });
    expect(s.stop.time).toBe(300);
  });

  it.each(["a2cid2-ring.yaml", "a2cid2-complete.yaml"])("%s: the --set paths of a sweep apply", (file) => {
    const raw = loadPaper(file);
    const s = decodeWith(raw, [
      "schedule.rate=2",
      "cluster.workers=16",
      "cluster.topology.kind=exponential",
      "stop.time=50 s",
    ]);
    expect(s.schedule).toMatchObject({ kind: "a2cid2", params: { rate: 2 } });
    expect(s.cluster.workers).toBe(16);
    expect(s.cluster.topology).toEqual({ kind: "exponential" });
    expect(s.stop.time).toBe(50);
    // The baseline comparison: the same file as gossip at rate 2 (only fields both kinds share).
    const g = decodeWith(raw, ["schedule.kind=gossip", "schedule.rate=2"]);
    expect(g.schedule).toMatchObject({
      kind: "gossip",
      params: { rate: 2, sgd: { lr: 0.002, momentum: 0.9 } },
    });
    expect(withSets(raw, ["schedule.kind=gossip"])).toMatchObject({ schedule: { kind: "gossip" } });
  });

  it("dtsim run a2cid2-ring.yaml --set schedule.kind=gossip --set schedule.rate=2 runs the baseline", async () => {
    const file = join(papers, "a2cid2-ring.yaml");
    const out = await dtsim([
      "run",
      file,
      "--set",
      "schedule.kind=gossip",
      "--set",
      "schedule.rate=2",
      "--json",
    ]);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout) as {
      simTime: number;
      workers: { gradients: number; exchanges: number }[];
      series: { t: number[]; consensus: number[] };
    };
    expect(result.simTime).toBe(300);
    expect(result.workers).toHaveLength(32);
    const sum = (f: (w: { gradients: number; exchanges: number }) => number) =>
      result.workers.reduce((a, w) => a + f(w), 0);
    // Theory mode: 300 gradients and 600 exchanges per worker expected (2 per gradient).
    expect(Math.abs(sum((w) => w.gradients) / (32 * 300) - 1)).toBeLessThan(0.05);
    expect(Math.abs(sum((w) => w.exchanges) / sum((w) => w.gradients) / 2 - 1)).toBeLessThan(0.05);
    expect(result.series.t).toHaveLength(101);
  });
});
