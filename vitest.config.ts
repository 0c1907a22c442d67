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
    // Deadlines, not expectations of speed: a run on a busy 2-core machine (or two runs at
    // once) takes several times as long as one alone; tests poll for what they wait for.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
