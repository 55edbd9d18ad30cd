import { pathToFileURL } from "node:url";
import { runCli } from "./command.ts";
import { ExitCode } from "./exit-codes.ts";
import { reportFailure } from "./user-errors.ts";

/** dtsim's entry point: runs the command line and resolves to the exit code, never throwing. */
export async function main(argv: ReadonlyArray<string>): Promise<number> {
  // `dtsim run … --json | head -1` closes our stdout early: that is the reader's choice, not a crash.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(ExitCode.ok);
  });
  try {
    return await runCli(argv);
  } catch (error) {
    // The user's errors are caught closer to where they happen; what lands here is most likely a bug.
    return reportFailure(error);
  }
}

// Run when executed directly (`tsx cli/main.ts`), not when imported (bin/dtsim.js, tests). Setting
// exitCode rather than calling process.exit lets stdout drain when it is a pipe.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
