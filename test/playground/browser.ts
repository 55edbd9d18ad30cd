import { existsSync } from "node:fs";
import type { Browser, Page } from "puppeteer-core";

/** Debian's chromium (apt-get install chromium): the browser the playground tests drive. */
export const CHROMIUM = process.env.DTSIM_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run does it as root; DTSIM_CHROMIUM names another)`;
}

/** Headless Chromium through puppeteer-core: the system's browser, nothing downloaded. */
export async function launchChromium(): Promise<Browser> {
  const { launch } = await import("puppeteer-core");
  return launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root, Chromium refuses to start with its sandbox; the page is our own, served on loopback.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/** Picks a shipped scenario in the page, sets the seed, presses Run and waits for the run to end. */
export async function runInPage(page: Page, file: string, seed: number | undefined): Promise<string> {
  await page.select("#scenario", file);
  await setValue(page, "#seed", seed === undefined ? "" : String(seed));
  // (Expressions as text: this file is type-checked for Node, without the DOM's names.)
  await page.waitForFunction('!document.getElementById("run").disabled');
  await page.click("#run");
  await page.waitForFunction('["done", "failed"].includes(document.body.dataset.state)', {
    timeout: 120_000,
  });
  return page.$eval("#status", (status) => status.textContent ?? "");
}

/** The value of an input or text area, as typed (an input event follows, as after typing). */
export async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (field, text) => {
      (field as unknown as { value: string }).value = text;
      field.dispatchEvent(new Event("input"));
    },
    value,
  );
}

/** A property of the element (`value`, `href`, `srcdoc`, `disabled`, `textContent`). */
export function property<T>(page: Page, selector: string, name: string): Promise<T> {
  return page.$eval(selector, (element, key) => (element as unknown as Record<string, T>)[key]!, name);
}

/** The text of a download link of the page (a blob: URL), as the user would save it. */
export async function downloaded(page: Page, id: string): Promise<string> {
  const href = await property<string>(page, `#${id}`, "href");
  return page.evaluate(async (url) => (await fetch(url)).text(), href);
}
