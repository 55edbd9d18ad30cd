import { describe, expect, it } from "vitest";
import { paperScenario } from "./helpers.ts";

/** The three ACCO scenario files decode, for every kind of the family through `--set schedule.kind`. */
describe("scenarios/papers ACCO files", () => {
  const files = ["acco-heterogeneous.yaml", "acco-vs-zero1.yaml", "acco-memory.yaml"];
  it.each(files)("%s decodes as acco, allreduce-sgd, zero1 and dpu", (file) => {
    expect(paperScenario(file).schedule.kind).toBe("acco");
    for (const kind of ["allreduce-sgd", "zero1", "dpu"]) {
      expect(paperScenario(file, `schedule.kind=${kind}`).schedule.kind).toBe(kind);
    }
  });

  it("acco-vs-zero1.yaml: 1 node by default, 4 nodes with cluster.workers=32", () => {
    const s = paperScenario("acco-vs-zero1.yaml", "cluster.workers=32");
    expect(s.cluster.workers).toBe(32);
    expect(s.cluster.network).toMatchObject({ layout: "hierarchical", gpusPerNode: 8, bandwidth: 12.5e9 });
    expect(s.problem).toMatchObject({ kind: "preset", model: "gpt-neo-125m" });
  });

  it("acco-heterogeneous.yaml: 4 workers, worker 3 at speed 0.25", () => {
    const s = paperScenario("acco-heterogeneous.yaml");
    expect(s.cluster.workers).toBe(4);
    expect(s.cluster.devices).toEqual([{ worker: 3, speed: 0.25 }]);
  });
});
