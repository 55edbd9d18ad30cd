import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPlayground } from "../../scripts/build-playground.mjs";
import { dtsim, repoRoot } from "../cli/dtsim.ts";

describe("dtsim playground", () => {
  const dir = mkdtempSync(join(tmpdir(), "dtsim-playground-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves a built folder on loopback until SIGTERM, then exits 0", async () => {
    await buildPlayground(dir);
    const child = spawn(
      process.execPath,
      [join(repoRoot, "bin/dtsim.js"), "playground", "--port", "0", "--dir", dir],
      {
        cwd: repoRoot,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr += text;
        const match = /playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
        if (match !== null) resolve(match[1]!);
      });
      child.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("dtsim playground");
    expect((await fetch(`${url}run-worker.js`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);

  it("refuses a folder that holds no playground, and a bad port: one line, exit 2", async () => {
    for (const args of [
      ["playground", "--dir", tmpdir(), "--port", "0"],
      ["playground", "--port", "99999"],
    ]) {
      const outcome = await dtsim(args);
      expect(outcome.status, outcome.stderr).toBe(2);
      expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
