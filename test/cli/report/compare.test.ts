import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLabels } from "../../../cli/report/compare-table.ts";
import { dtsim } from "../dtsim.ts";
import { figures, freshDir, removeFreshDirs, smallTrainingFile } from "./helpers.ts";

afterAll(removeFreshDirs);

/** Two run directories of the small training run: a²cid² and plain gossip, the same seed. */
let root: string;
let a2cid2: string;
let gossip: string;

beforeAll(async () => {
  root = freshDir("dtsim-compare-");
  a2cid2 = join(root, "a2cid2");
  gossip = join(root, "gossip");
  const file = smallTrainingFile();
  const runs = await Promise.all([
    dtsim(["run", file, "--out", a2cid2]),
    dtsim(["run", file, "--set", "schedule.kind=gossip", "--out", gossip]),
  ]);
  for (const run of runs) expect(run.status, run.stderr).toBe(0);
});

describe.concurrent("dtsim compare", () => {
  it("prints the summaries side by side, labelled by directory name, and writes compare.html", async () => {
    const out = join(root, "comparison");
    const outcome = await dtsim(["compare", a2cid2, gossip, "--out", out]);
    expect(outcome.stderr).toBe("");
    expect(outcome.status).toBe(0);
    const [header, ...rows] = outcome.stdout.trimEnd().split("\n");
    expect(header!.trim().split(/\s{2,}/)).toEqual(["a2cid2", "gossip"]);
    expect(rows.find((r) => r.startsWith("scenario"))?.split(/\s{2,}/)).toEqual([
      "scenario",
      "report-small",
      "report-small",
    ]);
    for (const key of ["simulated", "events", "loss", "consensus", "distance to x*", "mean compute"]) {
      expect(
        rows.some((r) => r.startsWith(key)),
        key,
      ).toBe(true);
    }

    const html = readFileSync(join(out, "compare.html"), "utf8");
    expect(html).toContain("<th>a2cid2</th><th>gossip</th>");
    const figure = figures(html);
    expect([...figure.keys()]).toEqual(["loss", "consensus", "distance-to-optimum"]);
    // One colour per run: both labels in each plot's legend.
    for (const [id, inner] of figure) {
      expect(inner, id).toContain(">a2cid2<");
      expect(inner, id).toContain(">gossip<");
    }
    expect(html).not.toMatch(/<script|\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  });

  it("--json gives each run's headline metrics", async () => {
    const outcome = await dtsim(["compare", a2cid2, gossip, "--json"]);
    expect(outcome.status).toBe(0);
    const { runs } = JSON.parse(outcome.stdout) as {
      runs: Array<{ label: string; scenario: string; metrics: Record<string, number> }>;
    };
    expect(runs.map((r) => r.label)).toEqual(["a2cid2", "gossip"]);
    const a2cid2Result = JSON.parse(readFileSync(join(a2cid2, "result.json"), "utf8"));
    expect(runs[0]!.metrics.simTime).toBe(a2cid2Result.simTime);
    expect(runs[0]!.metrics.loss).toBe(a2cid2Result.series.loss.at(-1));
  });

  it("a directory without result.json, or with a broken one, exits 2 with one line", async () => {
    const empty = freshDir("dtsim-compare-empty-");
    const broken = join(freshDir("dtsim-compare-broken-"), "run");
    const notOurs = join(freshDir("dtsim-compare-other-"), "run");
    mkdirSync(broken);
    mkdirSync(notOurs);
    writeFileSync(join(broken, "result.json"), '{"simTime": 1, "eve');
    writeFileSync(join(notOurs, "result.json"), '{"scenario": "x", "simTime": 1}');
    const [missing, malformed, notAResult] = await Promise.all([
      dtsim(["compare", a2cid2, empty]),
      dtsim(["compare", broken]),
      dtsim(["compare", notOurs]),
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trimEnd().split("\n")).toEqual([
      `${join(empty, "result.json")}: got nothing, expected the result.json that \`dtsim run --out DIR\` writes (no such file)`,
    ]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(malformed.stderr).toContain(`${join(broken, "result.json")}: got "malformed JSON"`);
    expect(notAResult.status).toBe(2);
    expect(notAResult.stderr.trimEnd().split("\n")).toEqual([
      `${join(notOurs, "result.json")}: got "an object without a numeric seed", expected the result.json that \`dtsim run --out DIR\` writes`,
    ]);
  });
});

describe("run labels", () => {
  it("are directory names, or the paths as given where two names are the same", () => {
    expect(runLabels(["runs/a/", "runs/b"])).toEqual(["a", "b"]);
    expect(runLabels(["x/run", "y/run", "z"])).toEqual(["x/run", "y/run", "z"]);
  });
});
