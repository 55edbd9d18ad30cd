import { Effect } from "effect";
import { CliError, CliOutput } from "effect/cli";

/** What effect/cli decided to do with the arguments, besides running a handler. */
export type ParseOutcome = "help" | "implicit-help" | "version" | "invalid";

/**
 * Replaces effect/cli's default presenter, which answers a mistyped flag with the whole help page and
 * the error at its bottom. Ours gives the one line that says what is wrong (as with every other bad
 * input) and where to find the usage; help itself goes to stdout as usual. `record` learns what
 * happened, so that main can pick the exit code.
 */
export function presenter(record: (outcome: ParseOutcome) => void): CliOutput.Presenter {
  const formatter = CliOutput.defaultFormatter({
    colors: process.stdout.isTTY === true,
    globalFlags: "full",
  });
  return {
    present: (event) =>
      Effect.sync(() => {
        switch (event._tag) {
          case "Help":
            record(event.reason === "Requested" ? "help" : "implicit-help");
            // Asked for: stdout. Shown because nothing was asked (a bare `dtsim`): stderr, like an error.
            (event.reason === "Requested" ? process.stdout : process.stderr).write(
              `${formatter.formatHelpDoc(event.helpDoc)}\n`,
            );
            return;
          case "Version":
            record("version");
            process.stdout.write(`${formatter.formatVersion(event.name, event.version)}\n`);
            return;
          case "InvalidInvocation": {
            record("invalid");
            const [error] = event.errors;
            const command = event.commandPath.join(" ");
            const message = error === undefined ? "invalid arguments" : describeCliError(error);
            process.stderr.write(`${command}: ${message} (see ${command} --help)\n`);
            return;
          }
        }
      }),
  };
}

function describeCliError(error: CliError.CliError): string {
  const message = CliError.getUserMessage(error) ?? error.message;
  // effect/cli's messages start with a capital and may run over lines; we want one lowercase line.
  const line = message.split("\n")[0]!.trim();
  return line.charAt(0).toLowerCase() + line.slice(1);
}
