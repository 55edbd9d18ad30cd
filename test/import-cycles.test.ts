import { describe, expect, it } from "vitest";
import { importCycles, importGraph, sources } from "./imports.ts";

/**
 * No import cycle anywhere in the source tree, type-only imports included: a cycle makes module
 * initialisation order matter and two files one concept. Each cycle is reported as its files.
 */
describe("import cycles", () => {
  const files = [
    "index.ts",
    ...["sim", "kernels", "runtime", "cli", "scripts", "bench", "bin", "test"].flatMap(sources),
  ];

  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(300);
  });

  it("there are none", () => {
    expect(importCycles(importGraph(files))).toEqual([]);
  });

  it("finds every cycle of a graph that has some, and only those", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["c", ["a"]],
      ["d", ["e"]],
      ["e", []],
      ["f", ["f"]],
    ]);
    expect(importCycles(graph)).toEqual([["a", "b", "c"], ["f"]]);
    expect(
      importCycles(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });
});
