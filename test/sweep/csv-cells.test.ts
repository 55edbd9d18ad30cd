import { describe, expect, it } from "vitest";
import { parseGrids, sweepRuns } from "../../cli/sweep/grid.ts";
import { csv, type RunRecord, runsCsv, summaryCsv } from "../../cli/sweep/tables.ts";

/** Issue #15: grid values went unescaped into runs.csv and summary.csv, live formulas in a spreadsheet. */
describe("sweep CSV cells", () => {
  it("marks a formula-like grid value as text in runs.csv and summary.csv", () => {
    const grids = parseGrids(["name==HYPERLINK(1),'@SUM(A1)',+1+2,-x,plain,-1,1e-7"], []);
    const records: RunRecord[] = sweepRuns(grids, 1, 1).map((run) => ({
      run,
      status: "failed",
      error: "=1+1",
    }));
    for (const table of [runsCsv(grids, records), summaryCsv(grids, records)]) {
      const cells = table
        .split("\n")
        .slice(1, -1)
        .map((line) => line.split(",")[table === summaryCsv(grids, records) ? 0 : 1]);
      // A quoted value is written as typed: its quote already keeps a spreadsheet from reading a formula.
      expect(cells.slice(1)).toEqual(["'@SUM(A1)'", "'+1+2", "'-x", "plain", "-1", "1e-7"]);
      expect(cells[0]).toBe("'=HYPERLINK(1)");
      // No line of either table starts a cell with a formula character unless it is a number.
      for (const line of table.split("\n"))
        for (const cell of line.split(",")) expect(cell).not.toMatch(/^"?[=+@\t\r]/);
    }
    expect(runsCsv(grids, records)).toContain(",'=1+1\n");
  });

  it("leaves numbers as numbers, signed and exponent forms included", () => {
    expect(csv([["-1", "+2", "-1.5e-7", "-Infinity", "NaN", "0"]])).toBe("-1,+2,-1.5e-7,-Infinity,NaN,0\n");
    expect(csv([["\tx", "=A1", "a,b"]])).toBe(`'\tx,'=A1,"a,b"\n`);
  });
});
