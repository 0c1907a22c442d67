import { afterEach, vi } from "vitest";

// console.error during a test is a failure unless the test expects it (and mocks it).
let errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};

afterEach(() => {
  const seen = errors;
  errors = [];
  if (seen.length > 0 && !vi.isMockFunction(console.error)) {
    throw new Error(`console.error was called during the test:\n${seen.map((args) => args.map(String).join(" ")).join("\n")}`);
  }
});
