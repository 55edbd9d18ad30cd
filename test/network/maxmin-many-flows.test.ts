/**
 * The max-min solver on links that carry hundreds of flows, as a NIC does when the offered load exceeds
 * its capacity and transfers pile up. (A per-link counter once lived in a byte array and wrapped at
 * 256 flows: past that, a flow went unlisted on its bottleneck and got most of a link already full.)
 */
import { describe, expect, it } from "vitest";
import { solveMaxMin } from "../../sim/cluster/network/maxmin.ts";
import { close } from "./helpers.ts";

describe("MaxMinSolver with many flows on one link", () => {
  it("shares a link equally among any number of flows and never exceeds it", () => {
    for (const flows of [255, 256, 257, 300, 1000, 70_000]) {
      // Link 0 is the shared bottleneck; each flow also crosses one of 7 wider private links.
      const capacity = [1e9, 2e9, 2e9, 2e9, 2e9, 2e9, 2e9, 2e9];
      const routes = Array.from({ length: flows }, (_, f) => [1 + (f % 7), 0]);
      const rates = solveMaxMin(capacity, routes);
      const bad = Array.from(rates).filter((r) => !close(r, 1e9 / flows, 1e-9));
      expect(bad, `${flows} flows`).toEqual([]);
      const load = Array.from(rates).reduce((sum, r) => sum + r, 0);
      expect(load).toBeLessThanOrEqual(1e9 * (1 + 1e-9));
    }
  });

  it("bottlenecks a flow crossing a busy link and a lightly loaded one at the busy one", () => {
    // 400 flows on link 0 (capacity 400), 10 of which also cross link 1 (capacity 10 000), plus one
    // flow alone on link 1: every flow on link 0 gets 1, the lone flow gets the rest of link 1.
    const routes = [
      ...Array.from({ length: 390 }, () => [0]),
      ...Array.from({ length: 10 }, () => [1, 0]),
      [1],
    ];
    const rates = solveMaxMin([400, 10_000], routes);
    for (let f = 0; f < 400; f++) expect(close(rates[f]!, 1, 1e-12), `flow ${f}: ${rates[f]}`).toBe(true);
    expect(close(rates[400]!, 9_990, 1e-12)).toBe(true);
  });
});
