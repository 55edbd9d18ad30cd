import { describe, expect, it } from "vitest";
import { CpuCompute } from "../../runtime/compute/cpu.ts";
import type { WorkerCompute } from "../../runtime/compute/worker-compute.ts";
import { type RuntimeResult, runOnRuntime } from "../../runtime/run.ts";
import { InputError } from "../../sim/errors.ts";
import type { Problem } from "../../sim/problems/problem.ts";
import { resultToJson } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import type { Scenario } from "../../sim/scenario/types.ts";

/**
 * Whole runs on the runtime, in wall-clock time: 4 workers training logistic regression (d = 20, so a
 * vector is 80 bytes) over links of 2 ms latency and 8 000 B/s, i.e. 12 ms per vector on the α-β
 * model. Short horizons (0.4 s) keep the folder within seconds. No test bounds a duration from
 * above: only behaviours (the horizon is the stop, the shaper's lower bound holds, slowing works).
 */

const LATENCY = 0.002;
const BANDWIDTH = 8000;
const VECTOR_BYTES = 20 * 4;

function scenario(schedule: Record<string, unknown>, extra: Record<string, unknown> = {}): Scenario {
  return decodeScenario({
    name: "runtime-test",
    seed: 3,
    cluster: {
      workers: 4,
      topology: { kind: "ring" },
      network: { model: "alpha-beta", layout: "switch", bandwidth: BANDWIDTH, latency: LATENCY },
      ...extra,
    },
    schedule: { sampleEvery: 0.05, ...schedule },
    problem: { kind: "logistic", dimension: 20, samplesPerWorker: 64, batchSize: 8 },
    stop: { time: 0.4 },
  });
}

const gossip = (extra?: Record<string, unknown>) =>
  scenario({ kind: "gossip", rate: 1, lr: 0.5, momentum: 0 }, extra);
const allreduceSgd = () => scenario({ kind: "allreduce-sgd", optimizer: { kind: "sgd", lr: 0.05 } });

const onCpu = (_worker: number, problem: Problem): WorkerCompute => new CpuCompute(problem);

/**
 * A device that works alongside the host: the CPU's gradient, answered `seconds` later (as a GPU's
 * queue would), without holding the thread. Slowing a worker by waiting is only meaningful when
 * workers do not share one thread, as separate devices do not.
 */
function parallelDevice(problem: Problem, seconds: number): WorkerCompute {
  const cpu = new CpuCompute(problem);
  return {
    label: `cpu + ${seconds * 1000} ms`,
    gradient: async (worker, x, batch, g) => {
      const loss = await cpu.gradient(worker, x, batch, g);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      return loss;
    },
    close: () => cpu.close(),
  };
}

function count(result: RuntimeResult, name: string): number[] {
  return result.workers.map((w) => w.counts[name] ?? 0);
}

describe.sequential("the runtime executor", () => {
  it("runs gossip in wall-clock time until the horizon, shaping every transfer, and the loss decreases", async () => {
    const result = await runOnRuntime(gossip(), { compute: onCpu });
    expect(result.stopReason).toBe("time");
    expect(result.simTime).toBe(0.4);
    expect(result.measured.wallTime).toBeGreaterThanOrEqual(0.4);
    for (const gradients of count(result, "gradients")) expect(gradients).toBeGreaterThan(0);
    const sent = count(result, "messagesSent").reduce((a, b) => a + b, 0);
    const received = count(result, "messagesReceived").reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThan(0);
    // Every message received was sent; those still in flight at the horizon were not received.
    expect(received).toBeLessThanOrEqual(sent);
    expect(result.measured.transfers.count).toBe(received);
    // The link shaper: no transfer completed before latency + bytes / bandwidth.
    expect(result.measured.transfers.min).toBeGreaterThanOrEqual(LATENCY + VECTOR_BYTES / BANDWIDTH);
    expect(result.measured.transfers.minMarginOverModel).toBeGreaterThanOrEqual(0);
    // Events run no earlier than their time: the driver's lateness is never negative.
    expect(result.measured.lateness.count).toBeGreaterThan(0);
    expect(result.measured.lateness.min).toBeGreaterThanOrEqual(0);
    const loss = result.series!.loss!;
    expect(loss.at(-1)!).toBeLessThan(loss[0]!);
    // The ledger splits each worker's wall time into compute, communication and idle.
    for (const w of result.workers) {
      const accounted = w.computeTime + w.commTime - (w.commTime - w.exposedCommTime) + w.idleTime;
      expect(accounted).toBeCloseTo(0.4, 6);
    }
  });

  it("runs all-reduce SGD through the collective state machines, and the loss decreases", async () => {
    const result = await runOnRuntime(allreduceSgd(), { compute: onCpu });
    expect(result.stopReason).toBe("time");
    const steps = count(result, "steps");
    // Synchronous: every worker takes the same number of steps, give or take the one in flight.
    expect(Math.min(...steps)).toBeGreaterThan(0);
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(1);
    expect(result.collectives.length).toBeGreaterThan(0);
    // A ring all-reduce of 80 bytes over 4 workers: 6 steps of latency + 20 bytes / bandwidth each.
    const ringLowerBound = 6 * (LATENCY + VECTOR_BYTES / 4 / BANDWIDTH);
    for (const c of result.collectives)
      expect(c.end - c.start).toBeGreaterThanOrEqual(ringLowerBound - 1e-12);
    expect(result.measured.collectives.min).toBeGreaterThanOrEqual(ringLowerBound);
    // Every committed optimizer step ran on the host and was timed as that worker's compute (a step
    // still waiting at the horizon was timed too, hence at least).
    const total = steps.reduce((a, b) => a + b, 0);
    expect(result.measured.hostWork.count).toBeGreaterThanOrEqual(total);
    expect(result.measured.hostWork.min).toBeGreaterThan(0);
    const loss = result.series!.loss!;
    expect(loss.at(-1)!).toBeLessThan(loss[0]!);
  });

  it("gives the simulator's JSON contract, plus what it measured", async () => {
    // Devices of ~1 ms per gradient for the simulator (the runtime ignores FLOP rates: it measures).
    const input = gossip({ device: { peakFlops: 1.28e6 } });
    const runtime = resultToJson(await runOnRuntime(input, { compute: onCpu }));
    const simulated = resultToJson(runScenario(input));
    const { measured, ...rest } = runtime;
    expect(Object.keys(rest).sort()).toEqual(Object.keys(simulated).sort());
    const keysOf = (json: Record<string, unknown>, field: string) =>
      Object.keys((json[field] as Record<string, unknown>[])[0]!).sort();
    expect(keysOf(rest, "workers")).toEqual(keysOf(simulated, "workers"));
    expect(Object.keys(rest.series as object).sort()).toEqual(Object.keys(simulated.series as object).sort());
    expect(Object.keys(measured as object).sort()).toEqual(
      [
        "calibration",
        "collectives",
        "gradients",
        "hostWork",
        "lateness",
        "transfers",
        "transport",
        "wallTime",
      ].sort(),
    );
  });

  it("slows a worker the scenario makes 2× slower: it does about half the gradients of the others", async () => {
    const slow = gossip({ devices: [{ worker: 0, speed: 0.5 }] });
    const result = await runOnRuntime(slow, { compute: (_w, problem) => parallelDevice(problem, 0.01) });
    const [slowest, ...others] = count(result, "gradients");
    const othersMean = others.reduce((a, b) => a + b, 0) / others.length;
    expect(slowest! / othersMean).toBeGreaterThan(0.3);
    expect(slowest! / othersMean).toBeLessThan(0.7);
    const [slowStats, ...fastStats] = result.measured.gradients;
    expect(slowStats!.speedRatio).toBe(0.5);
    expect(slowStats!.emulatedDelay).toBeGreaterThan(0);
    for (const s of fastStats) expect(s.emulatedDelay).toBe(0);
  });

  it("refuses theory fidelity with one line naming the field, before opening any device", async () => {
    let opened = 0;
    const run = runOnRuntime(scenario({ kind: "gossip", fidelity: "theory", lr: 0.1 }), {
      compute: (_w, problem) => {
        opened++;
        return new CpuCompute(problem);
      },
    });
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      /^schedule\.fidelity: got "theory", expected systems on the runtime[^\n]*$/,
    );
    expect(opened).toBe(0);
  });

  it("closes every device and the transport when the run fails", async () => {
    const closed: string[] = [];
    const failing: WorkerCompute = {
      label: "failing",
      gradient: () => Promise.reject(new Error("device lost")),
      close: async () => {
        closed.push("device");
      },
    };
    const transport = {
      label: "test",
      move: (_s: number, _d: number, data: Float32Array) => Promise.resolve(data.slice()),
      close: async () => {
        closed.push("transport");
      },
    };
    await expect(runOnRuntime(gossip(), { compute: () => failing, transport })).rejects.toThrow(
      "device lost",
    );
    expect(closed.sort()).toEqual(["device", "transport"]);
  });
});
