/**
 * The playground page: a scenario editor (the shipped scenarios to start from), checked as you type
 * with `dtsim check`'s words, a Run button that runs the simulator in a Web Worker with progress and
 * Stop, then report.html's summary and plots, result.json and trace.json to download, and a link that
 * carries scenario and seed.
 */
import shipped from "dtsim:shipped-scenarios";
import type { FromWorker, ScenarioSource, ToWorker } from "./messages.ts";
import { decodeRun, encodeRun } from "./share.ts";

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const picker = element<HTMLSelectElement>("scenario");
const editor = element<HTMLTextAreaElement>("editor");
const seedInput = element<HTMLInputElement>("seed");
const problems = element<HTMLUListElement>("problems");
const runButton = element<HTMLButtonElement>("run");
const stopButton = element<HTMLButtonElement>("stop");
const progress = element<HTMLProgressElement>("progress");
const status = element<HTMLSpanElement>("status");
const share = element<HTMLAnchorElement>("share");
const resultLink = element<HTMLAnchorElement>("download-result");
const traceLink = element<HTMLAnchorElement>("download-trace");
const report = element<HTMLIFrameElement>("report");

const WORKER_URL = new URL("./run-worker.js", import.meta.url);
const startWorker = () => new Worker(WORKER_URL, { type: "module" });

/** The file name the editor's text stands for: the shipped file it started from, or a link's. */
let file = shipped[0]?.file ?? "scenario.yaml";

for (const { file: path } of shipped) picker.add(new Option(path, path));

function source(): ScenarioSource {
  const seed = seedInput.value.trim();
  return { text: editor.value, file, seed: seed === "" ? undefined : Number(seed) };
}

function load(path: string, text: string, seed: number | undefined) {
  file = path;
  if (shipped.some((s) => s.file === path)) picker.value = path;
  editor.value = text;
  seedInput.value = seed === undefined ? "" : String(seed);
  scheduleCheck();
}

// Checking: one long-lived worker; only the answer to the latest edit is shown.
const checker = startWorker();
let checkId = 0;
let checkTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => {
    const seed = seedInput.value.trim();
    if (seed !== "" && !/^\d+$/.test(seed)) {
      showProblems([`--seed: got ${JSON.stringify(seed)}, expected a non-negative integer`], undefined);
      return;
    }
    checker.postMessage({ kind: "check", id: ++checkId, ...source() } satisfies ToWorker);
  }, 250);
}
checker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  if (message.kind === "checked" && message.id === checkId) showProblems(message.problems, message.ok);
};

function showProblems(lines: ReadonlyArray<string>, ok: string | undefined) {
  problems.replaceChildren(
    ...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })),
    ...(ok === undefined
      ? []
      : [Object.assign(document.createElement("li"), { textContent: ok, className: "ok" })]),
  );
  runButton.disabled = running !== undefined || lines.length > 0;
}

// Running: a fresh worker per run, so that Stop can end it at once (a run is one synchronous loop).
let running: Worker | undefined;
let started = 0;
const blobUrls: string[] = [];

function run() {
  if (running !== undefined) return;
  const request = source();
  history.replaceState(null, "", `#${encodeRun(request)}`);
  share.href = location.href;
  running = startWorker();
  started = performance.now();
  setRunning(true, "starting…");
  progress.removeAttribute("value");
  running.onmessage = (event: MessageEvent<FromWorker>) => onRunMessage(event.data);
  running.onerror = (event) => finish(`failed: ${event.message}`);
  running.postMessage({ kind: "run", ...request } satisfies ToWorker);
}

function onRunMessage(message: FromWorker) {
  if (message.kind === "progress") {
    if (message.horizon !== undefined && message.horizon > 0)
      progress.value = Math.min(1, message.simTime / message.horizon);
    status.textContent = `simulated ${message.simTime.toPrecision(4)} s, ${message.events.toLocaleString("en")} events`;
  } else if (message.kind === "done") {
    for (const url of blobUrls.splice(0)) URL.revokeObjectURL(url);
    resultLink.href = blobUrl([message.result]);
    traceLink.href = blobUrl(message.trace);
    resultLink.hidden = false;
    traceLink.hidden = false;
    report.srcdoc = message.report;
    progress.value = 1;
    finish(`done in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${message.seed})`);
  } else if (message.kind === "failed") {
    finish(message.message);
  }
}

function blobUrl(parts: ReadonlyArray<string>): string {
  const url = URL.createObjectURL(new Blob([...parts], { type: "application/json" }));
  blobUrls.push(url);
  return url;
}

function finish(line: string) {
  running?.terminate();
  running = undefined;
  status.textContent = line;
  setRunning(false);
  document.body.dataset.state = line.startsWith("done") ? "done" : line === "stopped" ? "stopped" : "failed";
}

function setRunning(on: boolean, line?: string) {
  runButton.disabled = on || problems.querySelector("li:not(.ok)") !== null;
  stopButton.disabled = !on;
  if (line !== undefined) status.textContent = line;
  if (on) document.body.dataset.state = "running";
}

picker.addEventListener("change", () => {
  const chosen = shipped.find((s) => s.file === picker.value);
  if (chosen !== undefined) load(chosen.file, chosen.text, undefined);
});
editor.addEventListener("input", scheduleCheck);
seedInput.addEventListener("input", scheduleCheck);
runButton.addEventListener("click", run);
stopButton.addEventListener("click", () => {
  if (running !== undefined) finish("stopped");
  progress.value = 0;
});

const linked = decodeRun(location.hash);
if (linked !== undefined) load(linked.file, linked.text, linked.seed);
else if (shipped[0] !== undefined) load(shipped[0].file, shipped[0].text, undefined);
share.href = location.href;
