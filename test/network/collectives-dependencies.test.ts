import { describe, expect, it } from "vitest";
import { startCollective } from "../../sim/cluster/collectives/index.ts";
import { AlphaBetaNetwork } from "../../sim/cluster/network/alpha-beta-network.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { TablePlatform } from "./helpers.ts";

describe("ring pipeline data dependencies", () => {
  it("a rank forwards a chunk only once it has received it: a slow link delays only what depends on it", () => {
    // Ring 0 → 1 → 2 → 3 → 0 on links 0..3; link 3 (3 → 0) is four times slower. No latency.
    const B = 1e9;
    const S = 4e6;
    const T = S / 4 / B; // one chunk over a fast link
    const routes = Array.from({ length: 16 }, (_, k) => {
      const [s, d] = [Math.floor(k / 4), k % 4];
      return d === (s + 1) % 4 ? [s] : [0];
    });
    const platform = new TablePlatform(4, [B, B, B, B / 4], [0, 0, 0, 0], routes);
    const sim = new Simulation();
    const net = new AlphaBetaNetwork(sim, platform, { recordTransfers: true });
    let end = Number.NaN;
    startCollective(
      sim,
      net,
      { kind: "all-gather", algorithm: "ring", group: [0, 1, 2, 3], bytes: S },
      {
        onCollectiveDone: (r) => {
          end = r.end;
        },
      },
    );
    sim.run();
    const starts = (src: number) =>
      net.transfers
        .filter((t) => t.src === src)
        .map((t) => t.start / T)
        .sort((a, b) => a - b);
    // Rank 0 waits for each chunk from the slow link; rank 1 waits for rank 0; rank 2 only for its own sends.
    expect(starts(0)).toEqual([0, 4, 8]);
    expect(starts(1)).toEqual([0, 1, 5]);
    expect(starts(2)).toEqual([0, 1, 2]);
    expect(starts(3)).toEqual([0, 4, 8]);
    expect(end / T).toBeCloseTo(12, 9);
  });
});
