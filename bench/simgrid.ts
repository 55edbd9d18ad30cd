/**
 * dtsim's flow model beside SimGrid 3.32 on the same platforms and the same traffic (issue #14): the
 * s4u program in bench/cpp/simgrid-reference.cpp is compiled here against the installed libsimgrid-dev
 * and fed the platform dtsim built (every directed link, and the route of every pair the traffic uses),
 * so both solve max-min over identical links and routes.
 *
 * - p2p: dtsim's `p2p` random stream (Poisson arrivals over the cluster, uniform distinct pairs, fixed
 *   size; the same named random streams as the workload) on a switch with per-NIC capacity, about half
 *   loaded. The transfers and their start times are drawn once and given to both simulators.
 * - allreduce: back-to-back ring all-reduces (dtsim's RingPipeline dependencies) of two overlapping
 *   sets of groups on a hierarchical layout (8 GPUs per node): blocks of 16 consecutive devices and
 *   groups of every 16th device, so each NIC carries two rings at once.
 *
 * Both report the wall time of the event loop alone (set-up and input parsing excluded) and the mean
 * transfer time (end − start, latency included), which must agree within 1 %.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCollective } from "../sim/cluster/collectives/index.ts";
import { buildPlatform } from "../sim/cluster/network/build-platform.ts";
import { FlowNetwork } from "../sim/cluster/network/flow-network.ts";
import type { TransferListener, TransferRecord } from "../sim/cluster/network/network.ts";
import type { Platform } from "../sim/cluster/network/platform.ts";
import { RandomStreams } from "../sim/engine/random.ts";
import { Simulation } from "../sim/engine/simulation.ts";

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, "..", ".bench");

export interface SideBySide {
  readonly dtsimWall: number;
  readonly simgridWall: number;
  readonly dtsimMean: number;
  readonly simgridMean: number;
  readonly transfers: number;
}

/** Compiles the s4u reference; a string says why it cannot be (no SimGrid, no compiler…). */
export function compileSimgridReference(): string | { binary: string } {
  mkdirSync(buildDir, { recursive: true });
  const binary = join(buildDir, "simgrid-reference");
  let flags: string[];
  try {
    flags = execFileSync("pkg-config", ["--cflags", "--libs", "simgrid"], { encoding: "utf8", stdio: "pipe" })
      .trim()
      .split(/\s+/)
      .filter((f) => f !== "");
  } catch {
    return "SimGrid not found by pkg-config (install libsimgrid-dev: apt-get install libsimgrid-dev)";
  }
  try {
    const source = join(here, "cpp", "simgrid-reference.cpp");
    execFileSync("g++", ["-O2", "-std=c++17", "-o", binary, source, ...flags], { stdio: "pipe" });
    return { binary };
  } catch (error) {
    return `the SimGrid reference did not compile (${(error as Error).message.split("\n")[0]})`;
  }
}

/** The platform and the routes of `pairs` (src, dst, src, dst…) in the reference's input format. */
function platformInput(platform: Platform, pairs: readonly number[]): string {
  const lines: string[] = [String(platform.linkCount)];
  for (let l = 0; l < platform.linkCount; l++)
    lines.push(`${platform.linkCapacity[l]!} ${platform.linkLatency[l]!}`);
  lines.push(String(platform.deviceCount));
  const seen = new Set<number>();
  const routes: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const src = pairs[i]!;
    const dst = pairs[i + 1]!;
    const key = src * platform.deviceCount + dst;
    if (seen.has(key)) continue;
    seen.add(key);
    const route = platform.route(src, dst);
    routes.push(`${src} ${dst} ${route.length} ${Array.from(route).join(" ")}`);
  }
  lines.push(String(routes.length), ...routes);
  return lines.join("\n");
}

function runReference(binary: string, input: string): { wall: number; transfers: number; mean: number } {
  const output = execFileSync(binary, ["--log=root.thres:critical"], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const [wall, transfers, mean] = output.trim().split(/\s+/).map(Number);
  return { wall: wall!, transfers: transfers!, mean: mean! };
}

/** Sums transfer durations; tells the ring groups when to start their next collective. */
class MeanTime implements TransferListener {
  sum = 0;
  count = 0;
  onTransferDone(t: TransferRecord): void {
    this.sum += t.end - t.start;
    this.count++;
  }
}

/** p2p on a switch of `devices` NICs at 25 Gb/s, 10 µs: ~50 % load from 10 MB transfers. */
export function p2pSideBySide(binary: string, devices: number, count: number): SideBySide {
  const bandwidth = 25e9 / 8;
  const bytes = 10e6;
  const platform = buildPlatform({ kind: "switch", devices, nic: { bandwidth, latency: 10e-6 } });
  const rate = (0.5 * devices * bandwidth) / bytes;
  const streams = new RandomStreams(1);
  const arrivals = streams.stream("p2p-arrivals");
  const endpoints = streams.stream("p2p-endpoints");
  const at = new Float64Array(count);
  const pairs: number[] = [];
  let time = 0;
  for (let k = 0; k < count; k++) {
    time += arrivals.exponential(rate);
    at[k] = time;
    const src = endpoints.int(devices);
    const other = endpoints.int(devices - 1);
    pairs.push(src, other >= src ? other + 1 : other);
  }
  const run = (last: number) => {
    const sim = new Simulation();
    const net = new FlowNetwork(sim, platform);
    const mean = new MeanTime();
    const kind = sim.registerKind("bench.p2p", {
      handle: (_k, index) => {
        net.transfer(pairs[2 * index]!, pairs[2 * index + 1]!, bytes, mean);
        if (index + 1 < last) sim.at(at[index + 1]!, kind, index + 1);
      },
    });
    sim.at(at[0]!, kind, 0);
    const begin = performance.now();
    sim.run();
    return { wall: (performance.now() - begin) / 1e3, mean: mean.sum / mean.count };
  };
  run(Math.ceil(count / 10)); // warms the JIT up
  const dtsim = run(count);
  const transfers = Array.from(at, (t, k) => `${t} ${pairs[2 * k]} ${pairs[2 * k + 1]} ${bytes}`);
  const reference = runReference(
    binary,
    `${platformInput(platform, pairs)}\np2p ${count}\n${transfers.join("\n")}\n`,
  );
  return {
    dtsimWall: dtsim.wall,
    simgridWall: reference.wall,
    dtsimMean: dtsim.mean,
    simgridMean: reference.mean,
    transfers: reference.transfers,
  };
}

/**
 * `collectives` back-to-back ring all-reduces of 16 MiB in every group, on `devices` GPUs, 8 per node
 * (NVLink-class 150 GB/s, 1 µs inside a node; 200 Gb/s, 2 µs NICs between nodes).
 */
export function allreduceSideBySide(binary: string, devices: number, collectives: number): SideBySide {
  const platform = buildPlatform({
    kind: "hierarchical",
    nodes: devices / 8,
    gpusPerNode: 8,
    intraNode: { bandwidth: 150e9, latency: 1e-6 },
    interNode: { bandwidth: 25e9, latency: 2e-6 },
  });
  const bytes = 2 ** 24;
  const groups: number[][] = [];
  for (let b = 0; b < devices; b += 16) groups.push(Array.from({ length: 16 }, (_, i) => b + i));
  for (let s = 0; s < 16; s++) groups.push(Array.from({ length: devices / 16 }, (_, i) => s + 16 * i));
  const run = () => {
    const sim = new Simulation();
    const net = new FlowNetwork(sim, platform);
    const mean = new MeanTime();
    const counting: TransferListener = mean;
    // Each group's collectives one after another: the next starts when the last one completes.
    const left = groups.map(() => collectives);
    const recorded = {
      transfer: (src: number, dst: number, size: number, listener: TransferListener, tag?: number) =>
        net.transfer(src, dst, size, wrap(listener), tag),
      cancel: (id: number) => net.cancel(id),
      platform,
      stats: net.stats,
    };
    const wrappers = new Map<TransferListener, TransferListener>();
    const wrap = (listener: TransferListener): TransferListener => {
      let w = wrappers.get(listener);
      if (w === undefined) {
        w = {
          onTransferDone: (t) => {
            counting.onTransferDone(t);
            listener.onTransferDone(t);
          },
        };
        wrappers.set(listener, w);
      }
      return w;
    };
    const start = (g: number) =>
      startCollective(
        sim,
        recorded,
        { kind: "all-reduce", algorithm: "ring", group: groups[g]!, bytes },
        {
          onCollectiveDone: () => {
            if (--left[g]! > 0) start(g);
          },
        },
      );
    groups.forEach((_, g) => {
      start(g);
    });
    const begin = performance.now();
    sim.run();
    return { wall: (performance.now() - begin) / 1e3, mean: mean.sum / mean.count };
  };
  run();
  const dtsim = run();
  const pairs: number[] = [];
  for (const group of groups)
    group.forEach((d, i) => {
      pairs.push(d, group[(i + 1) % group.length]!);
    });
  const lines = groups.map((group) => `${bytes / group.length} ${group.length} ${group.join(" ")}`);
  const reference = runReference(
    binary,
    `${platformInput(platform, pairs)}\nring ${groups.length} ${collectives}\n${lines.join("\n")}\n`,
  );
  return {
    dtsimWall: dtsim.wall,
    simgridWall: reference.wall,
    dtsimMean: dtsim.mean,
    simgridMean: reference.mean,
    transfers: reference.transfers,
  };
}
