import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The import graph of the source tree, read from the import statements (for the layering and
 * import-cycle tests). Paths are repository-relative with "/" separators.
 */
export const root = resolve(import.meta.dirname, "..");

/** Every TypeScript or JavaScript source under `dir` (relative to the root). */
export function sources(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.split(/[\\/]/).includes("node_modules"))
    .map((f) => posix(join(dir, f)));
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
export function specifiers(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) found.push(m[1]!);
  return found;
}

const builtins = new Set(builtinModules);
export const isBuiltin = (spec: string) => spec.startsWith("node:") || builtins.has(spec.split("/")[0]!);

/** The repository-relative path a relative specifier of `file` points to; bare specifiers as they are. */
export function target(file: string, spec: string): string {
  return spec.startsWith(".") ? posix(relative(root, resolve(root, dirname(file), spec))) : spec;
}

/** Whether `path` is `prefix` itself or lies under the folder `prefix`. */
export function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function posix(path: string): string {
  return path.split("\\").join("/");
}

/** Each of `files` with the files among them it imports (relative imports only). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((f) => [
      f,
      specifiers(f)
        .map((s) => target(f, s))
        .filter((t) => known.has(t)),
    ]),
  );
}

/**
 * The strongly connected components of more than one file (or a file importing itself) of `edges`:
 * each one an import cycle, its files sorted. Tarjan's algorithm, iterative.
 */
export function importCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const files = [...edges.keys()];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  for (const start of files) {
    if (index.has(start)) continue;
    const work: Array<{ file: string; i: number }> = [{ file: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const out = edges.get(top.file) ?? [];
      if (top.i < out.length) {
        const to = out[top.i++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(top.file, Math.min(low.get(top.file)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(top.file)!));
      if (low.get(top.file) === index.get(top.file)) {
        const component: string[] = [];
        let file: string;
        do {
          file = stack.pop()!;
          onStack.delete(file);
          component.push(file);
        } while (file !== top.file);
        if (component.length > 1 || out.includes(top.file)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}
