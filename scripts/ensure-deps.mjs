// Installs the locked dependencies when they are missing or stale, and does nothing otherwise, so the
// README's commands work on a fresh clone and cost nothing the second time. Plain JavaScript with no
// dependency of its own: it runs before anything is installed. Progress goes to stderr, keeping stdout
// clean for `--json` output.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function ensureDependencies() {
  const lockFile = join(root, "package-lock.json");
  const stamp = join(root, "node_modules", ".dtsim-lock-hash");
  const wanted = createHash("sha256").update(readFileSync(lockFile)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  process.stderr.write("dtsim: installing the locked dependencies (npm install), once...\n");
  // Not `npm ci`: lock files written here omit other platforms' optional binaries (biome's), and
  // `npm ci` then refuses the lock as out of sync. `npm install` installs the locked versions and
  // leaves the lock file untouched (checked on a fresh copy).
  execSync("npm install --no-audit --no-fund --loglevel=error", { cwd: root, stdio: ["ignore", 2, 2] });
  writeFileSync(stamp, wanted);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureDependencies();
