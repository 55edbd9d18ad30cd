import type { LrShape } from "../../optim/lr-schedule.ts";
import type { ScheduleInput } from "../input/schedule.ts";
import type { ScheduleSpec, StopSpec } from "../types.ts";
import { describeQuantity } from "../units.ts";
import { type Problems, workerIdExpected } from "./problems.ts";

/** Cross-field rules of `schedule`: worker ids against the cluster, either/or fields, filled groups. */
export function resolveSchedule(
  input: ScheduleInput,
  workers: number,
  stop: StopSpec,
  problems: Problems,
): ScheduleSpec {
  const sampleEvery = (given: number | undefined) => given ?? (stop.time ?? 100) / 100;
  switch (input.kind) {
    case "gossip":
    case "a2cid2": {
      const { lr, momentum, weightDecay, lrSchedule, ...rest } = input;
      const schedule = lrShape(lrSchedule, ["schedule", "lrSchedule"], problems);
      return {
        ...rest,
        sgd: { lr, momentum, weightDecay, ...(schedule === undefined ? {} : { schedule }) },
        sampleEvery: sampleEvery(input.sampleEvery),
      };
    }
    case "dadao":
      return { ...input, sampleEvery: sampleEvery(input.sampleEvery) };
    case "allreduce-sgd":
    case "zero1":
    case "dpu":
    case "acco": {
      const { kind, lr, momentum, weightDecay, beta1, beta2, eps } = input.optimizer;
      const schedule = lrShape(input.optimizer.schedule, ["schedule", "optimizer", "schedule"], problems);
      const shaped = schedule === undefined ? {} : { schedule };
      const optimizer =
        kind === "sgd"
          ? { kind, lr, momentum, weightDecay, ...shaped }
          : { kind, lr, beta1, beta2, eps, weightDecay, ...shaped };
      return {
        kind: input.kind,
        fidelity: input.fidelity,
        sampleEvery: sampleEvery(input.sampleEvery),
        optimizer,
        accumulation: input.accumulation,
        buckets: "buckets" in input ? input.buckets : 1,
        warmupSteps: "warmupSteps" in input ? input.warmupSteps : 0,
      };
    }
    case "allreduce": {
      const { group, ...rest } = input;
      if (group === undefined) return { ...rest, group: Array.from({ length: workers }, (_, i) => i) };
      if (group.length === 0) problems.add(["schedule", "group"], "a non-empty list of worker ids");
      const seen = new Set<number>();
      group.forEach((worker, i) => {
        if (worker >= workers) problems.add(["schedule", "group", i], workerIdExpected(workers));
        else if (seen.has(worker))
          problems.add(["schedule", "group", i], "a worker not already in the group");
        seen.add(worker);
      });
      return { ...rest, group };
    }
    case "p2p": {
      input.transfers.forEach((t, i) => {
        if (t.src >= workers) problems.add(["schedule", "transfers", i, "src"], workerIdExpected(workers));
        if (t.dst >= workers) problems.add(["schedule", "transfers", i, "dst"], workerIdExpected(workers));
        if (t.src === t.dst) problems.add(["schedule", "transfers", i, "dst"], "a worker other than src");
      });
      if (input.transfers.length === 0 && input.random === undefined) {
        problems.add(
          ["schedule", "transfers"],
          "at least one transfer, or a random stream in schedule.random",
        );
      }
      if (input.random !== undefined && workers < 2) {
        problems.add(["schedule", "random"], "no random stream on a single worker (it needs src ≠ dst)");
      }
      // Stable sort: transfers starting together keep their file order.
      const transfers = [...input.transfers].sort((a, b) => a.at - b.at);
      return input.random === undefined
        ? { kind: "p2p", transfers }
        : { kind: "p2p", transfers, random: input.random };
    }
    case "gossip-timing": {
      const { computeTime, flops, ...rest } = input;
      if (computeTime !== undefined && flops !== undefined) {
        problems.add(["schedule", "flops"], "no flops when computeTime is given (give one of the two)");
      }
      if (computeTime === undefined && flops === undefined) {
        problems.add(["schedule", "computeTime"], `${describeQuantity("time")}, or schedule.flops instead`);
      }
      const compute =
        flops !== undefined && computeTime === undefined
          ? { kind: "flops" as const, flops }
          : { kind: "time" as const, seconds: computeTime ?? 1 };
      return { ...rest, compute };
    }
  }
}

const trainingKinds = new Set(["gossip", "a2cid2", "dadao", "allreduce-sgd", "zero1", "dpu", "acco"]);

export function isTraining(schedule: { readonly kind: string }): boolean {
  return trainingKinds.has(schedule.kind);
}

/** Schedules that would run forever without a horizon must have one. */
export function checkStop(schedule: ScheduleInput, stop: StopSpec, problems: Problems): void {
  const endless =
    schedule.kind === "gossip-timing" || isTraining(schedule)
      ? schedule.kind
      : schedule.kind === "p2p" && schedule.random !== undefined && schedule.random.count === undefined
        ? "p2p with a random stream and no count"
        : undefined;
  if (endless !== undefined && stop.time === undefined) {
    problems.add(["stop", "time"], `${describeQuantity("time")} (required for ${endless})`);
  }
}

type LrScheduleInput = NonNullable<Extract<ScheduleInput, { kind: "gossip" }>["lrSchedule"]>;

/** The decoded learning-rate schedule; step-decay and cosine need the run's length. */
function lrShape(
  input: LrScheduleInput | undefined,
  path: readonly (string | number)[],
  problems: Problems,
): LrShape | undefined {
  if (input === undefined || input.kind === "constant") return undefined;
  const { warmupSteps, startLr } = input;
  if (input.kind === "warmup-constant") return { kind: "warmup-constant", warmupSteps, startLr };
  if (input.totalSteps === undefined) {
    problems.add([...path, "totalSteps"], `the run's number of steps (${input.kind} needs it)`);
    return undefined;
  }
  const totalSteps = input.totalSteps;
  return input.kind === "step-decay"
    ? {
        kind: "step-decay",
        totalSteps,
        milestones: input.milestones,
        factor: input.factor,
        warmupSteps,
        startLr,
      }
    : { kind: "cosine", totalSteps, warmupSteps, startLr, minLr: input.minLr };
}
