import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/exit-codes.ts";
import { FileSyntaxError, reportError } from "../../cli/user-errors.ts";
import { InputError } from "../../sim/errors.ts";

describe("reportError", () => {
  it("shows the user's mistakes as their one line, exit 2, never a stack", () => {
    for (const debug of [false, true]) {
      expect(reportError(new InputError("cluster.workers", 0, "an integer ≥ 1"), debug)).toEqual({
        code: ExitCode.badInput,
        text: "cluster.workers: got 0, expected an integer ≥ 1\n",
      });
      expect(reportError(new FileSyntaxError("a.yaml", 3, 7, "Unexpected token"), debug)).toEqual({
        code: ExitCode.badInput,
        text: "a.yaml:3:7: Unexpected token\n",
      });
    }
  });

  it("shows anything else as an internal error, exit 70, the stack only when debugging", () => {
    const bug = new TypeError("x is undefined");
    const quiet = reportError(bug, false);
    expect(quiet.code).toBe(ExitCode.internal);
    expect(quiet.text).toBe("internal error: x is undefined (DTSIM_DEBUG=1 shows the stack)\n");
    expect(quiet.text).not.toContain("    at ");
    const loud = reportError(bug, true);
    expect(loud.code).toBe(70);
    expect(loud.text).toContain("    at ");
    expect(reportError("a string", false).text).toMatch(/^internal error: a string /);
  });
});
