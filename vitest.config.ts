import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "test/**/*.test.ts", "sandbox/**/*.test.ts", "e2e/**/*.test.ts"],
    globals: true,
    // Builds the app once and migrates a template database that each test file copies.
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/fail-on-console-error.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
