import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatSeconds, significant } from "../../cli/format.ts";
import { formatSummary } from "../../cli/summary.ts";
import { type RunResult, resultToJson } from "../../sim/result.ts";

function fakeResult(workers: number): RunResult {
  return {
    scenario: "fake",
    seed: 3,
    simTime: 10,
    events: 1234567,
    wallTime: 0.5,
    eventsPerSecond: 2469134,
    stopReason: "time",
    workers: Array.from({ length: workers }, (_, id) => ({
      id,
      computeTime: 9.5,
      commTime: 2,
      idleTime: 0.5,
      exposedCommTime: 0.5,
      bytesSent: 1e9 * (id + 1),
      bytesReceived: 2e9,
      counts: { gradients: 950 + id, exchanges: 900 },
    })),
    collectives: [],
    network: { model: "alpha-beta", linkBytesTotal: 5e12, transfers: 4000 },
    memory: [],
  };
}

describe("formatSummary", () => {
  it("shows the headline numbers and every worker of a small run", () => {
    const text = formatSummary(fakeResult(3));
    expect(text).toMatch(/^fake \(seed 3\)\n/);
    expect(text).toContain("simulated  10 s (reached stop.time)");
    expect(text).toContain("events     1,234,567");
    expect(text).toContain("2.47 Mevents/s");
    expect(text).toMatch(
      /^worker +compute +comm +exposed comm +idle +sent +received +gradients +exchanges$/m,
    );
    expect(text).toMatch(/^2 +9\.5 s +2 s +500 ms +500 ms +3 GB +2 GB +952 +900$/m);
    expect(text).toMatch(/^mean +9\.5 s/m);
  });

  it("shows where training went (first → last of each metric) only when there is a series", () => {
    expect(formatSummary(fakeResult(2))).not.toContain("loss");
    const trained = {
      ...fakeResult(2),
      series: { t: [0, 5, 10], loss: [2.5, 1, 0.25], consensus: [0, 0.5, 0.125] },
    };
    const text = formatSummary(trained);
    expect(text).toMatch(/loss\s+2\.500 → 0\.2500 \(t = 0 → 10 s\)/);
    expect(text).toMatch(/consensus\s+0\.000e\+0 → 0\.1250/);
    expect(text).not.toContain("accuracy");
  });

  it("shows only the first and last rows of a large cluster", () => {
    const text = formatSummary(fakeResult(1000));
    expect(text).toContain("… 990 more workers …");
    expect(text).toMatch(/^4 /m);
    expect(text).not.toMatch(/^5 /m);
    expect(text).toMatch(/^999 /m);
    expect(text.split("\n").length).toBeLessThan(30);
  });
});

describe("resultToJson", () => {
  it("flattens each worker's counts into the worker", () => {
    const json = resultToJson(fakeResult(2)) as { workers: Array<Record<string, unknown>> };
    expect(json.workers[1]).toEqual({
      id: 1,
      computeTime: 9.5,
      commTime: 2,
      idleTime: 0.5,
      exposedCommTime: 0.5,
      bytesSent: 2e9,
      bytesReceived: 2e9,
      gradients: 951,
      exchanges: 900,
    });
  });
});

describe("number formatting", () => {
  it("keeps three significant digits and picks a short unit", () => {
    expect(formatSeconds(0.14)).toBe("140 ms");
    expect(formatSeconds(1.26)).toBe("1.26 s");
    expect(formatSeconds(5e-6)).toBe("5 us");
    expect(formatSeconds(0)).toBe("0 s");
    expect(formatBytes(1e9)).toBe("1 GB");
    expect(formatBytes(999_960)).toBe("1 MB");
    expect(formatBytes(100e6)).toBe("100 MB");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(significant(100)).toBe("100");
    expect(significant(0.5)).toBe("0.5");
  });
});
