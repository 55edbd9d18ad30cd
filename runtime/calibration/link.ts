import { decodeScenario } from "../../sim/scenario/decode.ts";
import { gossip } from "../../sim/schedules/gossip.ts";
import { CpuCompute } from "../compute/cpu.ts";
import { runOnRuntime } from "../run.ts";

/**
 * A shaped link against its model: two workers gossip a 2 kB model over a link of known latency and
 * bandwidth on the runtime (CPU gradients, in one process), and the mean measured transfer is put
 * next to the α-β time of one message, latency + bytes / bandwidth. The difference is what the
 * runtime adds on this machine (timers, the event loop, copies) and what validate cannot predict.
 */
export interface LinkMeasurement {
  readonly latency: number;
  readonly bandwidth: number;
  readonly bytes: number;
  readonly predictedSeconds: number;
  readonly measuredSeconds: number;
}

const LATENCY = 0.002;
const BANDWIDTH = 2e6;
const DIMENSION = 500;

export async function measureShapedLink(quick: boolean): Promise<LinkMeasurement> {
  const scenario = decodeScenario({
    name: "calibrate-link",
    seed: 1,
    cluster: {
      workers: 2,
      topology: { kind: "complete" },
      network: {
        model: "alpha-beta",
        layout: "switch",
        bandwidth: `${BANDWIDTH / 1e6} MB/s`,
        latency: `${LATENCY * 1e3} ms`,
      },
    },
    problem: { kind: "logistic", dimension: DIMENSION, samplesPerWorker: 256, batchSize: 8 },
    schedule: { kind: gossip.kind, fidelity: "systems", rate: 1, lr: 0.01 },
    stop: { time: quick ? "0.3 s" : "1.5 s" },
  });
  const result = await runOnRuntime(scenario, { compute: (_, problem) => new CpuCompute(problem) });
  const bytes = DIMENSION * 4;
  return {
    latency: LATENCY,
    bandwidth: BANDWIDTH,
    bytes,
    predictedSeconds: LATENCY + bytes / BANDWIDTH,
    measuredSeconds: result.measured.transfers.mean,
  };
}
