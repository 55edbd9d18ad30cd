// `npm run bench [-- --json] [-- --only=flow,hold-1e4]`: the simulator's speed figures, measured now on
// this machine. A benchmark measures; it asserts nothing. The bars from the issues are printed beside
// the figures. `--only` measures just the rows whose name contains one of the given words.
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runScenario } from "../sim/run.ts";
import { numericA2cid2, shapeA2cid2EventsPerSecond } from "./a2cid2.ts";
import { compileHoldReference, referenceHoldEventsPerSecond } from "./cpp-reference.ts";
import { gossipEventsPerSecond, gossipScenario } from "./gossip-timing.ts";
import { holdEventsPerSecond } from "./hold.ts";
import { webgpuKernelBenchOrReason } from "./kernels-webgpu.ts";
import { maxminFullSolveSeconds } from "./maxmin.ts";
import { allreduceSideBySide, compileSimgridReference, p2pSideBySide } from "./simgrid.ts";

interface BenchRow {
  name: string;
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
  /** Relative margin of error of the mean, percent (tinybench). */
  rme?: number;
  bar?: string;
  /** simgrid-* rows: (dtsim − SimGrid) / SimGrid of the mean transfer time, and the transfers timed. */
  meanDifference?: number;
  transfers?: number;
}

const json = process.argv.includes("--json");
const only = process.argv
  .filter((arg) => arg.startsWith("--only="))
  .flatMap((arg) => arg.slice("--only=".length).split(","))
  .filter((word) => word !== "");
/** Whether to measure a group of rows: with `--only`, one of the given words is in one of its names. */
const want = (...names: string[]) =>
  only.length === 0 || names.some((name) => only.some((word) => name.includes(word)));
const here = dirname(fileURLToPath(import.meta.url));
const rows: BenchRow[] = [];
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

const holdRows = [
  ["hold-1e2", 100, ""],
  ["hold-1e4", 1e4, "≥ 4 M events/s and ≥ 0.6× C++"],
  ["hold-1e6", 1e6, ""],
] as const;
const cpp = want(...holdRows.map(([name]) => name)) ? compileHoldReference() : undefined;
for (const [name, pending, bar] of holdRows) {
  if (!want(name)) continue;
  log(`measuring ${name}...`);
  const { value, rme } = await holdEventsPerSecond(pending);
  const row: BenchRow = { name, value, unit: "events/s", rme };
  if (cpp !== undefined) {
    row.reference = referenceHoldEventsPerSecond(cpp, pending, 5e6);
    row.ratio = value / row.reference;
  }
  if (bar !== "") row.bar = bar;
  rows.push(row);
}

/** gossip-timing at 1 024 workers under each network model: name, model, label, simulated seconds, bar. */
const gossipRows = [
  ["gossip-timing-1024", "alpha-beta", "alpha-beta", 20, "≥ 2 M events/s"],
  ["gossip-timing-1024-flow", "flow", "max-min", 10, "≥ 0.5 M events/s"],
] as const;
for (const [name, model, label, seconds, bar] of gossipRows) {
  if (!want(name)) continue;
  log(`measuring ${name} (${label})...`);
  const run = gossipEventsPerSecond(1024, model, seconds);
  rows.push({ name, value: run.eventsPerSecond, unit: "events/s", bar });
}

/** 65 536 workers for 0.3 simulated seconds, in a process of their own so that its peak memory is theirs. */
function probe65536(model: "alpha-beta" | "flow") {
  return JSON.parse(
    execFileSync(
      process.execPath,
      ["--import", "tsx", join(here, "memory-probe.ts"), "65536", "0.3", model],
      { encoding: "utf8", cwd: join(here, "..") },
    ),
  ) as { eventsPerSecond: number; maxRssBytes: number };
}

/** gossip-timing at 65 536 workers, each model in a process of its own: name, model, how it is logged. */
const probeRows = [
  ["gossip-timing-65536", "alpha-beta", ""],
  ["gossip-timing-65536-flow", "flow", " (max-min)"],
] as const;
for (const [name, model, label] of probeRows) {
  if (!want(name, `${name}-memory`)) continue;
  log(`measuring ${name}${label} in its own process...`);
  const probe = probe65536(model);
  rows.push({ name, value: probe.eventsPerSecond, unit: "events/s" });
  rows.push({ name: `${name}-memory`, value: probe.maxRssBytes, unit: "bytes", bar: "< 2 GiB" });
}

/** One full max-min solve of random flows (L = F/2 links, 3 links per flow): name, flows, repeats, bar. */
const maxminRows = [
  ["maxmin-full-1e4", 1e4, 20, "≤ 10 ms"],
  ["maxmin-full-1e5", 1e5, 5, "≤ 0.2 s"],
] as const;
for (const [name, flows, repeats, bar] of maxminRows) {
  if (!want(name)) continue;
  log(`measuring ${name}...`);
  rows.push({ name, value: maxminFullSolveSeconds(flows, repeats), unit: "s", bar });
}

if (want("gossip-timing-64-flow-160pct")) {
  // The README's overload case: the 80 % gossip-timing scenario with twice the bytes, on max-min flows.
  log("measuring gossip-timing-64-flow-160pct (4 simulated seconds)...");
  const result = runScenario(gossipScenario(64, "flow", 4, "10 MB"));
  rows.push({
    name: "gossip-timing-64-flow-160pct",
    value: result.wallTime,
    unit: "s",
    bar: "10× faster than 2026-11",
  });
}

/** dtsim's flow model beside SimGrid on the same traffic: name, scenario, devices, size of the run. */
const simgridRows = [
  ["simgrid-p2p-64", "p2p", 64, 20_000],
  ["simgrid-p2p-1024", "p2p", 1024, 10_000],
  ["simgrid-allreduce-64", "allreduce", 64, 4],
  ["simgrid-allreduce-1024", "allreduce", 1024, 1],
] as const;
if (want(...simgridRows.map(([name]) => name))) {
  const reference = compileSimgridReference();
  if (typeof reference === "string") log(`skipped the simgrid-* rows: ${reference}`);
  else
    for (const [name, kind, devices, size] of simgridRows) {
      if (!want(name)) continue;
      log(`measuring ${name} (dtsim and SimGrid)...`);
      const run =
        kind === "p2p"
          ? p2pSideBySide(reference.binary, devices, size)
          : allreduceSideBySide(reference.binary, devices, size);
      rows.push({
        name,
        value: run.dtsimWall,
        unit: "s",
        reference: run.simgridWall,
        ratio: run.simgridWall / run.dtsimWall,
        bar: "ratio ≥ 10; mean transfer times within 1 %",
        meanDifference: (run.dtsimMean - run.simgridMean) / run.simgridMean,
        transfers: run.transfers,
      });
    }
}

if (want("a2cid2-ring64-numeric")) {
  log("measuring a2cid2-ring64-numeric (d = 1e5)...");
  const numeric = numericA2cid2(64, 100_000, 4);
  rows.push({
    name: "a2cid2-ring64-numeric",
    value: numeric.runGBs * 1e9,
    unit: "bytes/s",
    reference: numeric.plainGBs * 1e9,
    ratio: numeric.runGBs / numeric.plainGBs,
    bar: "≥ 0.5× a plain Float32Array loop",
  });
}

if (want("a2cid2-shape-1024")) {
  log("measuring a2cid2-shape-1024...");
  rows.push({
    name: "a2cid2-shape-1024",
    value: shapeA2cid2EventsPerSecond(1024, 20),
    unit: "events/s",
    bar: "≥ 1 M events/s",
  });
}

if (want("webgpu-")) {
  log("measuring webgpu kernels (matmul-1024, axpy-16M, data on the device)...");
  const webgpu = await webgpuKernelBenchOrReason();
  if (typeof webgpu === "string") log(`skipped the webgpu kernels: ${webgpu}`);
  else
    for (const r of webgpu.rows)
      rows.push({
        name: `webgpu-${r.name}`,
        value: r.gpu * 1e9,
        unit: r.unit === "GB/s" ? "bytes/s" : "FLOP/s",
        reference: r.plain * 1e9,
        ratio: r.gpu / r.plain,
        bar: r.bar,
      });
}

const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, results: rows })}\n`);
} else {
  const format = (r: BenchRow) =>
    r.unit === "s"
      ? `${r.value < 1 ? `${(r.value * 1e3).toFixed(2)} ms` : `${r.value.toFixed(2)} s`}`
      : r.unit === "bytes"
        ? `${(r.value / 2 ** 20).toFixed(0)} MiB`
        : r.unit === "bytes/s"
          ? `${(r.value / 1e9).toFixed(2)} GB/s`
          : r.unit === "FLOP/s"
            ? `${(r.value / 1e9).toFixed(2)} GFLOP/s`
            : `${(r.value / 1e6).toFixed(2)} M ${r.unit}`;
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
  console.table(
    rows.map((r) => ({
      name: r.name,
      value: format(r),
      "±%": r.rme === undefined ? "" : r.rme.toFixed(1),
      reference:
        r.reference === undefined
          ? ""
          : r.unit === "bytes/s"
            ? `${(r.reference / 1e9).toFixed(2)} GB/s (plain loop)`
            : r.unit === "FLOP/s"
              ? `${(r.reference / 1e9).toFixed(2)} GFLOP/s (plain loop)`
              : r.unit === "s"
                ? `${r.reference.toFixed(3)} s (SimGrid)`
                : `${(r.reference / 1e6).toFixed(2)} M events/s (C++)`,
      ratio: r.ratio === undefined ? "" : r.ratio.toFixed(2),
      bar: r.bar ?? "",
      "Δ mean": r.meanDifference === undefined ? "" : `${(r.meanDifference * 100).toExponential(1)} %`,
    })),
  );
}
