import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Reading the source tree's import statements, for tests of the layering (DESIGN.md). */
export const root = resolve(import.meta.dirname, "..");

/** Every .ts file under `dir` (repository-relative). */
export function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
export function specifiers(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) found.push(m[1]!);
  return found;
}

/** The repository-relative path a relative specifier of `file` points to; bare specifiers as they are. */
export function target(file: string, spec: string): string {
  return spec.startsWith(".") ? relative(root, resolve(root, dirname(file), spec)) : spec;
}
