import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import { applySet } from "../../sim/scenario/overrides.ts";

describe("applySet", () => {
  const raw = {
    cluster: { workers: 4, network: { bandwidth: "10 Gb/s" }, devices: [{ worker: 1, speed: 0.5 }] },
    schedule: { kind: "allreduce" },
  };

  it("sets a nested field, reading the value as YAML", () => {
    expect(applySet(raw, "cluster.workers=64")).toMatchObject({ cluster: { workers: 64 } });
    expect(applySet(raw, "cluster.network.bandwidth=25 Gb/s")).toMatchObject({
      cluster: { network: { bandwidth: "25 Gb/s" } },
    });
    expect(applySet(raw, "name=true")).toMatchObject({ name: true });
    expect(applySet(raw, "name='007'")).toMatchObject({ name: "007" });
    expect(applySet(raw, "cluster.topology={kind: torus, rows: 2}")).toMatchObject({
      cluster: { topology: { kind: "torus", rows: 2 } },
    });
  });

  it("indexes lists, appends at their end, and creates what is missing", () => {
    expect(applySet(raw, "cluster.devices.0.speed=0.25")).toMatchObject({
      cluster: { devices: [{ worker: 1, speed: 0.25 }] },
    });
    const appended = applySet(raw, "cluster.devices.1={worker: 2, speed: 2}") as typeof raw;
    expect(appended.cluster.devices).toEqual([
      { worker: 1, speed: 0.5 },
      { worker: 2, speed: 2 },
    ]);
    expect(applySet({}, "stop.time=10 s")).toEqual({ stop: { time: "10 s" } });
    expect(applySet({}, "cluster.failures.0.worker=3")).toEqual({ cluster: { failures: [{ worker: 3 }] } });
  });

  it("leaves its argument alone", () => {
    const before = structuredClone(raw);
    applySet(raw, "cluster.network.bandwidth=1 Gb/s");
    expect(raw).toEqual(before);
  });

  it.each([
    ["cluster.workers", "no ="],
    ["=5", "empty path"],
    ["cluster..workers=5", "empty key"],
    ["cluster.devices.5.speed=1", "index past the end"],
    ["cluster.devices.x=1", "non-numeric index into a list"],
    ["cluster.workers.x=1", "path through a number"],
    ["__proto__.polluted=1", "prototype key"],
    ["name=[1, 2", "malformed YAML value"],
  ])("refuses %s (%s) with an InputError naming --set", (assignment) => {
    expect(() => applySet(raw, assignment)).toThrowError(InputError);
    try {
      applySet(raw, assignment);
    } catch (error) {
      expect((error as InputError).message).toMatch(/^--set: got ".*", expected /);
      expect((error as InputError).message).not.toContain("\n");
    }
  });

  it("sets exactly the given path to the given number, for any path of identifier keys", () => {
    const key = fc
      .stringMatching(/^[a-z][a-zA-Z]{0,8}$/)
      .filter((k) => k !== "constructor" && k !== "prototype");
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 5 }), fc.integer(), (path, value) => {
        let node: unknown = applySet({}, `${path.join(".")}=${value}`);
        for (const k of path) node = (node as Record<string, unknown>)[k];
        expect(node).toBe(value);
      }),
    );
  });
});
