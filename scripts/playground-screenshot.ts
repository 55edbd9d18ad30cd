// The README's picture of the playground: builds it, serves it on loopback, runs a shipped scenario
// in Debian's headless Chromium and saves the page as a PNG.
//   npx tsx scripts/playground-screenshot.ts [OUT.png] [SCENARIO]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { servePlayground } from "../cli/playground/serve.ts";
import { launchChromium, runInPage } from "../test/playground/browser.ts";
import { buildPlayground } from "./build-playground.mjs";

const out = process.argv[2] ?? "docs/playground.png";
const scenario = process.argv[3] ?? "scenarios/papers/a2cid2-ring.yaml";
const dir = mkdtempSync(join(tmpdir(), "dtsim-playground-"));
await buildPlayground(dir);
const { server, url } = await servePlayground(dir, 0);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1500, deviceScaleFactor: 1 });
  await page.goto(url);
  const status = await runInPage(page, scenario, undefined);
  if (!status.startsWith("done")) throw new Error(`the run did not finish: ${status}`);
  await page.screenshot({ path: out as `${string}.png` });
  process.stdout.write(`${out}: ${scenario}, ${status}\n`);
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
