#!/usr/bin/env node
// Runs the TypeScript CLI (cli/main.ts) in this process through tsx's loader.
//
// First it installs the locked dependencies if they are missing (a fresh clone: `npx dtsim …` works
// with nothing else done). Then the packages the CLI always needs are imported before the loader is
// registered: Node 20 runs loader hooks on a separate thread, and with them in place each of Effect's
// ~200 modules costs a round trip to it, which made `dtsim --help` take over a second. Loaded
// beforehand they cost what plain Node charges. (Forgetting one here only makes startup slower.)
import { ensureDependencies } from "../scripts/ensure-deps.mjs";

ensureDependencies();
await import("effect");
await import("effect/cli");
await import("effect/process");
await import("yaml");
const { register } = await import("tsx/esm/api");

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
