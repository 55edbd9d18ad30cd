import { CpuKernels } from "../../kernels/cpu.ts";
import type { Kernels } from "../../kernels/kernels.ts";
import { ShapeKernels } from "../../kernels/shape.ts";
import { type BackendFactory, ScheduleWorkload } from "../backend/schedule-workload.ts";
import type { Device } from "../cluster/device.ts";
import type { RandomStreams } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import { buildProblem } from "../scenario/registry/problem-kinds.ts";
import type { Scenario, TrainingSchedule } from "../scenario/types.ts";
import { a2cid2 } from "../schedules/a2cid2.ts";
import { dadao } from "../schedules/dadao.ts";
import { gossip } from "../schedules/gossip.ts";
import { synchronous } from "../schedules/synchronous/index.ts";
import { CollectiveTraffic } from "../traffic/collective-traffic.ts";
import { GossipTraffic } from "../traffic/gossip-traffic.ts";
import { P2pTraffic } from "../traffic/p2p.ts";
import type { Workload } from "../workload.ts";

/** What a backend may supply instead of the simulator's defaults. */
export interface WorkloadBackend {
  /** Numeric kernels to use instead of the CPU ones. */
  readonly kernels?: Kernels;
  /** The backend training schedules run on (default: the simulator's). */
  readonly backend?: BackendFactory;
  /** The scenario's problem, built beforehand by `buildScenarioProblem`. */
  readonly problem?: Problem;
}

/**
 * What runs, from a scenario's `schedule` section: a built-in workload, or a training schedule (on
 * the simulator's operations unless `backend.operations` says otherwise).
 */
export function buildWorkload(
  scenario: Scenario,
  devices: readonly Device[],
  streams: RandomStreams,
  backend: WorkloadBackend = {},
): Workload {
  const spec = scenario.schedule;
  switch (spec.kind) {
    case "gossip-timing": {
      const compute = spec.compute;
      // Mean seconds per gradient on each device before its speed multiplier.
      const nominal = devices.map((d) =>
        compute.kind === "time" ? compute.seconds : compute.flops / (d.spec.peakFlops * d.spec.efficiency),
      );
      return new GossipTraffic({ nominalComputeTime: nominal, rate: spec.rate, bytes: spec.bytes });
    }
    case "p2p":
      return new P2pTraffic({ transfers: spec.transfers, random: spec.random });
    case "allreduce":
      return new CollectiveTraffic(spec);
    default:
      return buildTraining(scenario, spec, devices.length, streams, backend);
  }
}

function buildTraining(
  scenario: Scenario,
  spec: TrainingSchedule,
  workers: number,
  streams: RandomStreams,
  backend: WorkloadBackend,
): Workload {
  const factory = backend.backend;
  const problem = backend.problem ?? buildScenarioProblem(scenario, workers, streams);
  const kernels: Kernels =
    scenario.numerics === "real" && problem.numeric
      ? (backend.kernels ?? new CpuKernels())
      : new ShapeKernels();
  const common = {
    problem,
    kernels,
    fidelity: spec.fidelity,
    sampleEvery: spec.sampleEvery,
    ...(factory === undefined ? {} : { backend: factory }),
  };
  switch (spec.kind) {
    case "gossip":
      return new ScheduleWorkload({
        ...common,
        definition: gossip,
        params: { rate: spec.rate, sgd: spec.sgd },
      });
    case "a2cid2": {
      const { kind: _, fidelity: _f, sampleEvery: _s, ...params } = spec;
      return new ScheduleWorkload({ ...common, definition: a2cid2, params });
    }
    case "dadao":
      return new ScheduleWorkload({
        ...common,
        definition: dadao,
        params: {
          constants: spec.constants,
          ...(spec.commRate === undefined ? {} : { commRate: spec.commRate }),
        },
      });
    case "allreduce-sgd":
    case "zero1":
    case "dpu":
    case "acco": {
      const { kind, fidelity: _f, sampleEvery: _s, ...params } = spec;
      return new ScheduleWorkload({ ...common, definition: synchronous[kind], params });
    }
  }
}

/**
 * The problem a training scenario trains. Deterministic in the seed (its data comes from named random
 * streams), so building it ahead of the run gives the very problem the run would build.
 */
export function buildScenarioProblem(scenario: Scenario, workers: number, streams: RandomStreams): Problem {
  // The decoder guarantees a problem for every training schedule.
  return buildProblem(scenario.problem!, workers, streams, "problem");
}
