// Makes the software WebGPU adapter (Dawn's GLES backend on Mesa llvmpipe) available for the test
// command on a Debian/Ubuntu machine, and does nothing when it already is, so it costs nothing the
// second time. Recipe and reasons: shared/reference/webgpu-on-linux.md §1 — Dawn dlopens the
// *unversioned* libEGL.so, which only libegl-dev ships, so the symlink to libEGL.so.1 is made here
// instead of pulling in 19 -dev packages; llvmpipe is dri/swrast_dri.so from libgl1-mesa-dri.
//
// Without root it installs nothing: it prints one line saying what to install and exits 0, and the
// WebGPU tests then skip with their own reason. It never fails the command it runs before.
// Plain JavaScript with no dependency: it runs before anything is installed.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MULTIARCH = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu" };
const PACKAGES = "libegl1 libgl1-mesa-dri";

export function ensureGpu() {
  const triplet = MULTIARCH[process.arch];
  if (process.platform !== "linux" || triplet === undefined) return; // not a machine this recipe is for
  const libDir = `/usr/lib/${triplet}`;
  const egl = join(libDir, "libEGL.so");
  const swrast = join(libDir, "dri", "swrast_dri.so");
  if (existsSync(egl) && existsSync(swrast)) return;

  const what = `apt-get install --no-install-recommends ${PACKAGES} && ln -sf libEGL.so.1 ${egl}`;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    process.stderr.write(`dtsim: no software GPU for the WebGPU tests; to get one, as root: ${what}\n`);
    return;
  }
  process.stderr.write(`dtsim: installing the software GPU for the WebGPU tests (${PACKAGES}), once...\n`);
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (!existsSync(swrast) || !existsSync(join(libDir, "libEGL.so.1"))) {
      execSync("apt-get update", { stdio: ["ignore", 2, 2], env });
      execSync(`apt-get install -y --no-install-recommends ${PACKAGES}`, { stdio: ["ignore", 2, 2], env });
    }
    if (!existsSync(egl)) execSync(`ln -sf libEGL.so.1 ${egl}`, { stdio: ["ignore", 2, 2] });
  } catch (error) {
    // The tests still run: the WebGPU ones skip and say why.
    process.stderr.write(
      `dtsim: could not install the software GPU (${error.message.split("\n")[0]}); by hand: ${what}\n`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureGpu();
