import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goldenDir, goldenName, goldenOf, goldenScenarios } from "./golden-runs.ts";

describe("golden results of the shipped scenarios", () => {
  it.each(goldenScenarios)("%s gives its recorded result", (relative) => {
    const recorded = readFileSync(join(goldenDir, goldenName(relative)), "utf8");
    expect(goldenOf(relative)).toBe(recorded);
  });
});
