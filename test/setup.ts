import fc from "fast-check";
import { afterAll } from "vitest";
import { removeTempFiles } from "./cli/dtsim.ts";

// One seed for every property test that does not choose its own: CI runs are reproducible, and a
// failure seen once is seen again. (Change it by hand to explore other inputs.)
fc.configureGlobal({ seed: 20261121 });

// Scenario files the CLI tests wrote (tempFile) go when their test file is done.
afterAll(removeTempFiles);
