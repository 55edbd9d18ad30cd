import { Effect, Option } from "effect";
import { Command, Flag } from "effect/cli";
import { InputError } from "../../sim/errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { reportFailure } from "../user-errors.ts";

/** `dtsim playground [--port N] [--dir DIR]`. */
export function playgroundCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "playground",
    {
      port: Flag.String("port").pipe(
        Flag.withMetavar("N"),
        Flag.withDescription("The loopback port to serve on (0: any free one). Default 8080"),
        Flag.optional,
      ),
      dir: Flag.String("dir").pipe(
        Flag.withMetavar("DIR"),
        Flag.withDescription(
          "The built playground (npm run playground). Default dist-playground/ of this checkout",
        ),
        Flag.optional,
      ),
    },
    (input) =>
      Effect.promise(() =>
        servePlaygroundCommand(Option.getOrUndefined(input.port), Option.getOrUndefined(input.dir)),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Serve the playground (the simulator in a browser tab) on http://127.0.0.1:PORT/ until Ctrl-C; builds it first if needed",
    ),
    Command.withExamples([
      { command: "dtsim playground --port 8080", description: "Then open http://127.0.0.1:8080/" },
    ]),
  );
}

async function servePlaygroundCommand(
  portText: string | undefined,
  dirText: string | undefined,
): Promise<ExitCode> {
  try {
    const port = portText === undefined ? 8080 : Number(portText);
    if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535)) {
      throw new InputError("--port", portText, "a port number from 0 to 65535");
    }
    const { isBuilt, servePlayground } = await import("../playground/serve.ts");
    const build = await import("../../scripts/build-playground.mjs");
    const dir = dirText ?? build.defaultOutDir;
    if (!isBuilt(dir)) {
      if (dirText !== undefined)
        throw new InputError("--dir", dirText, "a folder built by npm run playground");
      process.stderr.write(`building the playground into ${dir} …\n`);
      try {
        await build.buildPlayground(dir);
      } catch (error) {
        process.stderr.write(
          `cannot build the playground here (${(error as Error).message.split("\n")[0]}); run npm install, then npm run playground\n`,
        );
        return ExitCode.environment;
      }
    }
    let served: Awaited<ReturnType<typeof servePlayground>>;
    try {
      served = await servePlayground(dir, port);
    } catch (error) {
      throw new InputError("--port", port, `a free port (${(error as Error).message})`);
    }
    process.stderr.write(`playground: ${served.url} (serving ${dir} on loopback; Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    served.server.close();
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error);
  }
}
