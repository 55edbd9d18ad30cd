import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tempFile } from "../dtsim.ts";

/**
 * A small training run that has every plot of the report: 4 workers of a²cid² on least squares in
 * systems mode (gradients take ~0.8 ms, exchanges ~0.4 ms on a 1 Mb/s switch), 0.2 s simulated,
 * a fraction of a second to run. Loss, consensus and distance to x* are sampled; links carry bytes.
 */
export const SMALL_TRAINING = `
name: report-small
seed: 3
cluster:
  workers: 4
  topology: { kind: ring }
  device: { duration: exponential, peakFlops: 10 MFLOP/s }
  network: { model: alpha-beta, layout: switch, bandwidth: 1 Mb/s, latency: 100 us }
schedule: { kind: a2cid2, fidelity: systems, rate: 1, lr: 0.02 }
problem: { kind: least-squares, dimension: 10, heterogeneity: 1 }
stop: { time: 0.2 s }
`;

export function smallTrainingFile(): string {
  return tempFile("report-small.yaml", SMALL_TRAINING);
}

const created: string[] = [];

/** A fresh, empty temporary folder, removed by `removeFreshDirs` (call it in the file's afterAll). */
export function freshDir(prefix = "dtsim-report-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder `freshDir` made in this test file. */
export function removeFreshDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The figures of a report page by id, each its inner HTML. */
export function figures(html: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of html.matchAll(/<figure id="([^"]+)">([\s\S]*?)<\/figure>/g))
    found.set(match[1]!, match[2]!);
  return found;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
