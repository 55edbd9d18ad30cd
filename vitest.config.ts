import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Property tests with many runs can take a few seconds each on a 2-core machine.
    testTimeout: 60_000,
    // Some suites compute their runs in beforeAll (A²CiD²'s theory runs: ~4 s idle, > 10 s on a loaded
    // 2-core machine).
    hookTimeout: 60_000,
  },
});
