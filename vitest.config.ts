import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Property tests with many runs can take a few seconds each on a 2-core machine.
    testTimeout: 60_000,
  },
});
