/**
 * What the page and its Web Workers say to each other. A worker both checks (as `dtsim check` does)
 * and runs (as `dtsim run --out` does); the page keeps one worker for checks and starts one per run,
 * so that Stop can end a run by terminating its worker (a run is one synchronous loop).
 */

/** The scenario as the editor holds it. */
export interface ScenarioSource {
  /** The editor's text, YAML or JSON. */
  readonly text: string;
  /** What `dtsim` would call the file: its name without extension becomes the scenario's default name. */
  readonly file: string;
  /** Replaces the scenario's seed, as `--seed` does; undefined keeps the scenario's. */
  readonly seed: number | undefined;
}

export type ToWorker =
  | ({ readonly kind: "check"; readonly id: number } & ScenarioSource)
  | ({ readonly kind: "run" } & ScenarioSource);

export type FromWorker =
  | {
      readonly kind: "checked";
      readonly id: number;
      /** One line per problem, worded as `dtsim check` prints them (`FILE: path: got …, expected …`). */
      readonly problems: ReadonlyArray<string>;
      /** `FILE: ok (…)`, as `dtsim check` prints it, when there is no problem. */
      readonly ok: string | undefined;
    }
  | {
      readonly kind: "progress";
      readonly simTime: number;
      readonly horizon: number | undefined;
      readonly events: number;
    }
  | {
      readonly kind: "done";
      /** `dtsim run --json`'s output for the same scenario and seed. */
      readonly result: string;
      /** trace.json, for Perfetto, in pieces (joined by the Blob the page makes of them). */
      readonly trace: ReadonlyArray<string>;
      /** report.html, as `dtsim run --out` writes it. */
      readonly report: string;
      /** The scenario's seed as run (the link records it). */
      readonly seed: number;
    }
  | { readonly kind: "failed"; readonly message: string };
