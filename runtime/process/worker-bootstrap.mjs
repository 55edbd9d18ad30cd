// Starts a worker process (worker-main.ts) through tsx's loader, as bin/dtsim.js starts the CLI:
// resolving tsx from this file, not from the working directory, so that a cluster starts from any cwd.
const { register } = await import("tsx/esm/api");

register();
await import("./worker-main.ts");
