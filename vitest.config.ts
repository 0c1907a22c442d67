import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "test/**/*.test.ts", "sandbox/**/*.test.ts", "e2e/**/*.test.ts"],
    globals: true,
    // Builds the app once per run, into a directory of the run's own, and migrates a
    // template database that each test file copies (docs/decisions/0010-builds-and-test-isolation.md).
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/fail-on-console-error.ts", "test/use-test-run.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
