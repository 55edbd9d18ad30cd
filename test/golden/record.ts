// Writes test/golden/results/*.json anew: run it only when a change of figures is intended, and account
// for every figure that moved (git diff shows them).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { goldenDir, goldenName, goldenOf, goldenScenarios } from "./golden-runs.ts";

mkdirSync(goldenDir, { recursive: true });
for (const relative of goldenScenarios) {
  const start = performance.now();
  writeFileSync(join(goldenDir, goldenName(relative)), goldenOf(relative));
  process.stdout.write(`${relative} ${((performance.now() - start) / 1000).toFixed(2)} s\n`);
}
