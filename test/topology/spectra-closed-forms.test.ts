import { describe, expect, it } from "vitest";
import { completeGraph, ringGraph, starGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import { exponentialEdgeRates, exponentialGraph } from "../../sim/cluster/topology/exponential-graph.ts";
import { edgeCount, type Graph } from "../../sim/cluster/topology/graph.ts";
import {
  denseSpectrum,
  type GossipConstants,
  gossipConstants,
  type LaplacianSpectrum,
  laplacianSpectrum,
  normalisedLaplacianRate,
  uniformGossipRate,
} from "../../sim/cluster/topology/spectra.ts";

/**
 * Both computation paths against the closed forms of reference §6.4 and the table of §3.6. Rings,
 * complete and exponential graphs are circulant, so `laplacianSpectrum` takes the Fourier path for
 * them; `denseSpectrum` forces the Cholesky + Lanczos path on the same inputs.
 */
type Path = (g: Graph, rates: number | Float64Array) => LaplacianSpectrum;
const paths: [string, Path][] = [
  ["fourier/auto", (g, rates) => laplacianSpectrum(g, rates)],
  [
    "dense",
    (g, rates) =>
      denseSpectrum(g, typeof rates === "number" ? new Float64Array(edgeCount(g)).fill(rates) : rates),
  ],
];

function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(
    tolerance,
  );
}

/** Equal to the table's printed digits: within half a unit of the last printed place. */
function expectPrinted(actual: number, printed: string): void {
  const decimals = printed.split(".")[1]?.length ?? 0;
  // (The slack covers ties printed rounded up, like 31/32 = 0.96875 shown as 0.9688.)
  const halfUnit = 0.5 * 10 ** -decimals * (1 + 1e-9);
  expect(Math.abs(actual - Number(printed)), `${actual} vs ${printed}`).toBeLessThanOrEqual(halfUnit);
}

describe.each(paths)("closed forms (%s path)", (_name, spectrum) => {
  it("cycle with per-worker rate r: λ2 = r(1 − cos 2π/n), χ2 = (n − 1)/(n r)", () => {
    for (const n of [3, 4, 5, 8, 16, 17, 64, 100, 512]) {
      for (const r of [1, 2, 0.3]) {
        const { lambda2, chi1, chi2 } = spectrum(ringGraph(n), r / 2);
        expectRelative(lambda2, r * (1 - Math.cos((2 * Math.PI) / n)));
        expectRelative(chi1, 1 / (r * (1 - Math.cos((2 * Math.PI) / n))));
        expectRelative(chi2, (n - 1) / (n * r));
      }
    }
  });

  it("complete graph with per-worker rate r: χ1 = χ2 = (n − 1)/(n r)", () => {
    for (const n of [2, 3, 7, 16, 50]) {
      for (const r of [1, 3]) {
        const { chi1, chi2 } = spectrum(completeGraph(n), r / (n - 1));
        expectRelative(chi1, (n - 1) / (n * r));
        expectRelative(chi2, (n - 1) / (n * r));
      }
    }
  });

  it("DADAO's L_norm = L/|E|: complete χ1 = χ2 = (n−1)/2; star χ1 = n − 1, χ2 = (n−1)/2", () => {
    for (const n of [3, 5, 10, 33]) {
      const complete = completeGraph(n);
      const k = spectrum(complete, normalisedLaplacianRate(complete));
      expectRelative(k.chi1, (n - 1) / 2);
      expectRelative(k.chi2, (n - 1) / 2);
      const star = starGraph(n);
      const s = spectrum(star, normalisedLaplacianRate(star));
      expectRelative(s.chi1, n - 1);
      expectRelative(s.chi2, (n - 1) / 2);
      expectRelative(Math.sqrt(2 * s.chi1 * s.chi2), n - 1);
    }
  });

  it("reproduces the A²CiD² table (§3.6) to its printed precision", () => {
    const eta = (c: GossipConstants) => 0.5 / Math.sqrt(c.chi1 * c.chi2);
    const cycle = (n: number, rate: number) => spectrum(ringGraph(n), rate / 2);
    const table: [GossipConstants, string, string, string][] = [
      [cycle(8, 1), "3.414", "0.875", "0.2893"],
      [cycle(16, 1), "13.137", "0.9375", "0.1425"],
      [cycle(32, 1), "52.043", "0.9688", "0.0704"],
      [cycle(64, 1), "207.673", "0.9844", "0.03497"],
      [cycle(64, 2), "103.836", "0.4922", "0.06994"],
    ];
    for (const n of [16, 32, 64]) {
      const g = exponentialGraph(n);
      table.push([
        spectrum(g, exponentialEdgeRates(g, 1)),
        ...(EXPONENTIAL_ROWS[n] as [string, string, string]),
      ]);
    }
    for (const [constants, chi1, chi2, etaPrinted] of table) {
      expectPrinted(constants.chi1, chi1);
      expectPrinted(constants.chi2, chi2);
      expectPrinted(eta(constants), etaPrinted);
    }
  });
});

const EXPONENTIAL_ROWS: Record<number, [string, string, string]> = {
  16: ["2.000", "1.0097", "0.3519"],
  32: ["2.500", "1.0229", "0.3127"],
  64: ["3.000", "1.0241", "0.2853"],
};

describe("gossip rate conventions", () => {
  it("uniformGossipRate gives every worker of a regular graph exactly the per-worker rate", () => {
    expect(uniformGossipRate(ringGraph(10), 1)).toBe(0.5);
    expect(uniformGossipRate(completeGraph(5), 2)).toBe(0.5);
    // Star (not regular): n·r/2 events per unit time over n − 1 edges.
    expect(uniformGossipRate(starGraph(5), 1)).toBe(5 / 8);
    expectRelative(gossipConstants(ringGraph(64), 2).chi1, 103.836, 1e-5);
  });

  it("exponential graph: the A²CiD² code's rates double the ±n/2 edge, uniform 1/degree ones do not", () => {
    const g = exponentialGraph(16);
    const rates = exponentialEdgeRates(g, 1);
    const half = Array.from(rates).filter((_, e) => g.edgeV[e]! - g.edgeU[e]! === 8);
    expect(half).toEqual(Array(8).fill(0.25));
    expect(Array.from(rates).filter((r) => r === 0.125)).toHaveLength(edgeCount(g) - 8);
    // Per-worker rate 1 either way, yet the constants differ: with λ = 1/7 on all 56 edges the slowest
    // mode (k = 8, alternating signs) has μ = 2·2/7, so χ1 = 1.75 instead of the table's 2.
    const uniform = gossipConstants(g, 1);
    expectRelative(uniform.chi1, 1.75);
    expect(Math.abs(uniform.chi2 - 1.0097)).toBeGreaterThan(0.05);
  });
});
