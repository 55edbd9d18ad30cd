import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scheduleRegistry } from "../../sim/scenario/registry/schedules.ts";
import { root, sources } from "../source-imports.ts";

/**
 * Adding a schedule is one file and one registry line: so no source file outside a kind's own file
 * names it. Comments are left out (docs may name kinds); `sim/problems/memory.ts` is ACCO's Table 1,
 * whose rows are methods of a paper (DPU, ACCO among them), not the scheduler's kinds.
 */
const paperTable = join("sim", "problems", "memory.ts");
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");

describe("schedule kinds are named only by their own file", () => {
  const files = [
    ...sources("sim"),
    ...sources("cli"),
    ...sources("runtime"),
    ...sources("kernels"),
    "index.ts",
  ];
  const texts = new Map(files.map((f) => [f, withoutComments(readFileSync(join(root, f), "utf8"))]));

  it.each(scheduleRegistry.kinds())("%s", (kind) => {
    const quoted = new RegExp(`["'\`]${kind.replace(/[-]/g, "\\-")}["'\`]`);
    const naming = files.filter((f) => quoted.test(texts.get(f)!));
    const own = naming.filter((f) => texts.get(f)!.includes(`kind: "${kind}"`));
    expect(own).toHaveLength(1);
    expect(naming.filter((f) => !own.includes(f) && f !== paperTable)).toEqual([]);
  });
});
