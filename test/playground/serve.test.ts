import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePlayground } from "../../cli/playground/serve.ts";
import { decodeRun, encodeRun } from "../../playground/share.ts";

describe("the playground's server", () => {
  const parent = mkdtempSync(join(tmpdir(), "dtsim-serve-"));
  const dir = join(parent, "site");
  let server: Server;
  let url: string;

  beforeAll(async () => {
    mkdirSync(dir);
    writeFileSync(join(dir, "index.html"), "<!doctype html><p>hello</p>");
    writeFileSync(join(dir, "main.js"), "export {};");
    writeFileSync(join(parent, "secret.txt"), "not to be served");
    ({ server, url } = await servePlayground(dir, 0));
  });
  afterAll(() => {
    server?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it("listens on loopback and serves the folder's files with their types", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await index.text()).toContain("hello");
    expect((await fetch(`${url}main.js`)).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  });

  it("serves nothing outside the folder, however the path is written", async () => {
    for (const path of ["../secret.txt", "..%2fsecret.txt", "%2e%2e/secret.txt", "missing.js", "%E0%A4%A"]) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(url, { method: "POST" })).status).toBe(405);
  });
});

describe("the link to a run", () => {
  it("carries file, text (any Unicode) and seed, and refuses a damaged one", () => {
    const run = { file: "scenarios/core/p2p.yaml", text: "# 10⁵ workers → ∞\nseed: 3\n", seed: 42 };
    const fragment = encodeRun(run);
    expect(fragment).toMatch(/^run=[A-Za-z0-9_-]+$/);
    expect(decodeRun(`#${fragment}`)).toEqual(run);
    expect(decodeRun(encodeRun({ ...run, seed: undefined }))).toEqual({ ...run, seed: undefined });
    for (const bad of [
      "",
      "#run=",
      "#run=!!",
      "#other=abc",
      `#${fragment.slice(0, -3)}`,
      `#run=${btoa('{"file":1}')}`,
    ]) {
      expect(decodeRun(bad), bad).toBeUndefined();
    }
  });
});
