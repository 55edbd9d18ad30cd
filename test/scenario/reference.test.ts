import { describe, expect, it } from "vitest";
import { modelPresetRegistry } from "../../sim/problems/model-presets.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import {
  type FieldDoc,
  formatValue,
  problemKinds,
  scenarioFields,
  scheduleKinds,
  topologyKinds,
} from "../../sim/scenario/reference.ts";
import { problemRegistry } from "../../sim/scenario/registry/problems.ts";
import { topologyKindNames } from "../../sim/scenario/registry/topology-kinds.ts";
import { isTraining } from "../../sim/scenario/resolve/schedule.ts";
import { a2cid2 } from "../../sim/schedules/a2cid2.ts";
import { dadao } from "../../sim/schedules/dadao.ts";
import { gossip } from "../../sim/schedules/gossip.ts";
import { acco } from "../../sim/schedules/synchronous/acco.ts";
import { allreduceSgd } from "../../sim/schedules/synchronous/allreduce-sgd.ts";
import { dpu } from "../../sim/schedules/synchronous/dpu.ts";
import { zero1 } from "../../sim/schedules/synchronous/zero1.ts";

const kinds = [...scheduleKinds(), ...problemKinds(), ...topologyKinds()];
const everyField: FieldDoc[] = [...scenarioFields(), ...kinds.flatMap((k) => k.fields)];

describe("the scenario reference, read from the schema", () => {
  it("describes every field and every kind", () => {
    expect(everyField.length).toBeGreaterThan(100);
    for (const field of everyField) {
      expect(field.description, field.path).not.toBe("");
      expect(field.type, field.path).not.toMatch(/^(objects|unknown|undefined)$/);
    }
    for (const kind of kinds) expect(kind.summary, kind.kind).not.toBe("");
  });

  it("keeps defaults in annotations, never in descriptions (so the two cannot disagree)", () => {
    for (const field of everyField) expect(field.description, field.path).not.toMatch(/\bdefault\b/i);
  });

  it("a required field has no default, and a written default is what decoding fills in", () => {
    for (const field of everyField) if (field.required) expect(field.fallback, field.path).toBeUndefined();
    const s = decodeScenario({ cluster: { workers: 4 }, schedule: { kind: "allreduce", bytes: "1 MB" } });
    const written = (path: string) => {
      const fallback = scenarioFields().find((f) => f.path === path)?.fallback;
      return fallback !== undefined && "written" in fallback ? fallback.written : undefined;
    };
    expect(written("seed")).toBe(String(s.seed));
    expect(written("numerics")).toBe(s.numerics);
    expect(written("cluster.topology")).toBe(formatValue(s.cluster.topology));
    expect(written("cluster.network.model")).toBe(s.cluster.network.model);
    expect(written("cluster.device.efficiency")).toBe(String(s.cluster.device.efficiency));
  });

  it("lists the schedule kinds the simulator implements, training ones marked as such", () => {
    const training = [gossip, a2cid2, dadao, allreduceSgd, zero1, dpu, acco].map((d) => d.kind);
    const listed = scheduleKinds().map((k) => k.kind);
    expect(listed.filter((k) => isTraining({ kind: k })).sort()).toEqual([...training].sort());
    expect(listed.filter((k) => !isTraining({ kind: k })).sort()).toEqual([
      "allreduce",
      "gossip-timing",
      "p2p",
    ]);
  });

  it("lists the problem and topology kinds the builders know, and every model preset", () => {
    expect(problemKinds().map((k) => k.kind)).toEqual(problemRegistry.kinds());
    expect(
      topologyKinds()
        .map((k) => k.kind)
        .sort(),
    ).toEqual(topologyKindNames().sort());
    const preset = problemKinds().find((k) => k.kind === "preset")!;
    expect(preset.fields.find((f) => f.path === "model")!.type).toBe(modelPresetRegistry.kinds().join(" | "));
  });

  it("flattens nested objects and lists of objects into dotted paths", () => {
    const paths = scenarioFields().map((f) => f.path);
    expect(paths).toContain("cluster.devices[].preset");
    expect(paths).toContain("cluster.stragglers.random.rate");
    expect(paths).toContain("stop.time");
    const acco = scheduleKinds().find((k) => k.kind === "acco")!;
    expect(acco.fields.map((f) => f.path)).toContain("optimizer.schedule.totalSteps");
    expect(acco.fields.find((f) => f.path === "optimizer.lr")).toMatchObject({
      type: "positive number (magnitude 1e-100 to 1e100 unless 0)",
      fallback: { written: "0.0006" },
      required: false,
    });
  });

  it("formats values as a file would write them", () => {
    expect(formatValue({ kind: "ring" })).toBe("{ kind: ring }");
    expect(formatValue([0.5, 0.75])).toBe("[0.5, 0.75]");
    expect(formatValue("10 Gb/s")).toBe("10 Gb/s");
  });
});
