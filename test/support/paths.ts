import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** One directory per test run (its build, its template database), removed when the run ends. */
export const TEST_RUNS = path.join(ROOT, ".cache", "test-runs");

/** What the run's global setup made, for every test file (vitest's provide/inject). */
export interface TestRun {
  /** The run's own directory under TEST_RUNS. */
  dir: string;
  /** The server `npm run build` made for this run: the file `npm start` runs. */
  builtServer: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    testRun: TestRun;
  }
}

/** The build made by `npm run build`, which `npm start` runs. */
export const NPM_BUILT_SERVER = path.join(ROOT, "build", "index.js");

let builtServer = NPM_BUILT_SERVER;

/**
 * The server the test helpers start: in a test run, the run's own build
 * (test/use-test-run.ts sets it); outside one (bench/), `npm run build`'s.
 */
export function builtServerPath(): string {
  return builtServer;
}

export function useBuiltServer(file: string): void {
  builtServer = file;
}
