/**
 * The playground's Web Worker: the simulator, unchanged, on the same functions as the CLI (parse,
 * decode, check, run, resultToJson, the trace and report.html), so that a seed gives here the very
 * numbers `dtsim run` prints.
 */

import { buildTrace, traceChunks } from "../cli/output/trace.ts";
import { parseScenarioText } from "../cli/parse-scenario.ts";
import { runPlots } from "../cli/report/plots.ts";
import { renderPlots } from "../cli/report/render-plots.ts";
import { buildReport } from "../cli/report/report.ts";
import { describeScenario } from "../cli/scenario-summary.ts";
import { checkScenario } from "../sim/check.ts";
import { recordingOf } from "../sim/metrics/recording.ts";
import { resultToJson } from "../sim/result.ts";
import { runScenario } from "../sim/run.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import type { FromWorker, ScenarioSource, ToWorker } from "./messages.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage: (message: FromWorker) => void;
};

scope.onmessage = (event) => {
  const message = event.data;
  if (message.kind === "check") scope.postMessage(check(message.id, message));
  else void run(message).then(scope.postMessage, (error: unknown) => scope.postMessage(failed(error)));
};

function check(id: number, source: ScenarioSource): FromWorker {
  try {
    const result = checkScenario(rawOf(source), { defaultName: nameOf(source.file) });
    if (result.ok)
      return {
        kind: "checked",
        id,
        problems: [],
        ok: `${source.file}: ok (${describeScenario(result.scenario)})`,
      };
    return {
      kind: "checked",
      id,
      problems: result.problems.map((p) => `${source.file}: ${p.message}`),
      ok: undefined,
    };
  } catch (error) {
    return { kind: "checked", id, problems: [messageOf(error)], ok: undefined };
  }
}

async function run(source: ScenarioSource): Promise<FromWorker> {
  const scenario = decodeScenario(rawOf(source), { defaultName: nameOf(source.file) });
  const horizon = scenario.stop.time;
  let last = 0;
  const result = runScenario(scenario, {
    record: true,
    progressEvery: 20_000,
    onProgress: (simTime, events) => {
      // At most ten messages a second: the page redraws a bar, not every chunk.
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      scope.postMessage({ kind: "progress", simTime, horizon, events });
    },
  });
  const json = resultToJson(result);
  const recording = recordingOf(result);
  // In pieces, as the CLI writes it: one string of a long run's trace could pass V8's length limit.
  const trace = recording === undefined ? [] : [...traceChunks(buildTrace(result, recording))];
  const report = buildReport(result, await renderPlots(runPlots(result)));
  return { kind: "done", result: `${JSON.stringify(json, null, 2)}\n`, trace, report, seed: scenario.seed };
}

/** The editor's text as `dtsim run FILE --seed N` reads the file. */
function rawOf(source: ScenarioSource): unknown {
  const raw = parseScenarioText(source.text, source.file);
  const isObject = typeof raw === "object" && raw !== null && !Array.isArray(raw);
  return source.seed !== undefined && isObject ? { ...raw, seed: source.seed } : raw;
}

function nameOf(file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

function failed(error: unknown): FromWorker {
  return { kind: "failed", message: messageOf(error) };
}

/** The user's mistakes as the CLI words them; anything else as an internal error, as the CLI does. */
function messageOf(error: unknown): string {
  if (error instanceof Error && (error.name === "InputError" || error.name === "FileSyntaxError"))
    return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}
