import { Effect, Option } from "effect";
import { Argument, Command } from "effect/cli";
import { InputError } from "../../sim/errors.ts";
import { type FieldDoc, type KindDoc, scheduleKinds } from "../../sim/scenario/reference.ts";
import { isTraining } from "../../sim/scenario/resolve/schedule.ts";
import { didYouMean } from "../../sim/scenario/suggest.ts";
import { ExitCode } from "../exit-codes.ts";
import { renderTable } from "../table.ts";
import { reportFailure } from "../user-errors.ts";

/** `dtsim schedules [KIND]`. */
export function schedulesCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "schedules",
    {
      kind: Argument.String("KIND").pipe(
        Argument.withDescription("Show only this schedule kind"),
        Argument.optional,
      ),
    },
    (input) => Effect.sync(() => done(printSchedules(Option.getOrUndefined(input.kind)))),
  ).pipe(
    Command.withDescription("List every schedule.kind (traffic and training algorithms) with its parameters"),
    Command.withExamples([
      { command: "dtsim schedules", description: "Every kind" },
      { command: "dtsim schedules acco", description: "One kind" },
    ]),
  );
}

function printSchedules(only: string | undefined): ExitCode {
  try {
    process.stdout.write(formatSchedules(only));
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

/**
 * The schedule kinds and their parameters, read from the scenario schema's annotations (reference.ts):
 * the traffic kinds first, then the training schedules. Throws an InputError for an unknown `only`.
 */
export function formatSchedules(only?: string): string {
  const kinds = scheduleKinds();
  if (only !== undefined) {
    const found = kinds.find((k) => k.kind === only);
    const names = kinds.map((k) => k.kind);
    if (found === undefined)
      throw new InputError("KIND", only, `a schedule kind: ${names.join(" | ")}${didYouMean(only, names)}`);
    return formatKind(found);
  }
  const traffic = kinds.filter((k) => !isTraining(k));
  const training = kinds.filter((k) => isTraining(k));
  return [
    "Traffic (timing only: no problem)",
    "",
    ...traffic.map(formatKind),
    "Training schedules (they train the scenario's problem; see dtsim presets for the model presets)",
    "",
    ...training.map(formatKind),
  ].join("\n");
}

function formatKind(kind: KindDoc): string {
  const rows = kind.fields.map((field) => [field.path, defaultText(field), field.description]);
  const table = renderTable(
    [
      { header: "parameter", align: "left" },
      { header: "default", align: "left" },
      { header: "description", align: "left" },
    ],
    rows,
  );
  const lines = [`${kind.kind}: ${kind.summary}`, `  ${kind.description}`, ...table.map((l) => `    ${l}`)];
  return `${lines.join("\n")}\n\n`;
}

/** The default column: the value as written in a file, words, "required", or "-" (none). */
export function defaultText(field: FieldDoc): string {
  if (field.required) return "required";
  if (field.fallback === undefined) return "-";
  return "written" in field.fallback ? field.fallback.written : field.fallback.words;
}
