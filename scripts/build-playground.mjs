// Builds the playground (playground/) into a static folder that any static host serves: index.html,
// style.css, main.js (the page) and run-worker.js (the simulator, in a Web Worker). `npm run
// playground` runs this; `dtsim playground` serves the folder on loopback.
//
// esbuild, for a measured reason: it bundles the simulator, Effect, yaml and vega in about a second
// with one dependency of ~10 MB and no configuration file (see the README's playground section).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const defaultOutDir = join(root, "dist-playground");

/** The shipped scenarios, as the virtual module `dtsim:shipped-scenarios`. */
const shippedScenarios = {
  name: "shipped-scenarios",
  setup(build) {
    build.onResolve({ filter: /^dtsim:shipped-scenarios$/ }, (args) => ({
      path: args.path,
      namespace: "scenarios",
    }));
    build.onLoad({ filter: /.*/, namespace: "scenarios" }, () => {
      const files = yamlFiles(join(root, "scenarios")).map((path) => ({
        file: relative(root, path),
        text: readFileSync(path, "utf8"),
      }));
      return { contents: `export default ${JSON.stringify(files)};`, loader: "js" };
    });
  },
};

/** `mnist` (21 MB of JSON) replaced by playground/mnist-stub.ts, which says so when used. */
const withoutMnist = {
  name: "without-mnist",
  setup(build) {
    build.onResolve({ filter: /^mnist$/ }, () => ({ path: join(root, "playground", "mnist-stub.ts") }));
  },
};

function yamlFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** Builds into `outDir` (emptied first); returns each file's size in bytes. */
export async function buildPlayground(outDir = defaultOutDir) {
  const { build } = await import("esbuild");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: {
      main: join(root, "playground", "main.ts"),
      "run-worker": join(root, "playground", "run-worker.ts"),
    },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    minify: true,
    legalComments: "external",
    plugins: [shippedScenarios, withoutMnist],
    logLevel: "warning",
    metafile: true,
  });
  for (const name of ["index.html", "style.css"])
    copyFileSync(join(root, "playground", name), join(outDir, name));
  const sizes = {};
  for (const name of readdirSync(outDir)) sizes[name] = statSync(join(outDir, name)).size;
  return { sizes, metafile: result.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outDir = process.argv[2] ?? defaultOutDir;
  const started = performance.now();
  const { sizes } = await buildPlayground(outDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const list = Object.entries(sizes)
    .map(([name, size]) => `${name} ${(size / 1024).toFixed(0)} KiB`)
    .join(", ");
  process.stdout.write(
    `playground built in ${seconds} s: ${relative(process.cwd(), outDir) || "."}/ (${list})\n`,
  );
}
