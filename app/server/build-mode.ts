/**
 * Whether a build can run in the mode the process was started in, and if not,
 * what to tell the operator.
 *
 * A build made in any mode but production (`npm run dev`'s, or `remix build` under
 * NODE_ENV=test) compiles its pages to calls of React's development-only JSX
 * runtime; under NODE_ENV=production React leaves those out and every page answers
 * 500 ("jsxDEV is not a function"). So a production start refuses such a build
 * instead of serving errors. A production build runs in every mode (the tests run
 * it under NODE_ENV=test).
 */
export function buildModeProblem(builtFor: string | undefined, runningAs: string | undefined): string | null {
  if (runningAs !== "production" || builtFor === "production") return null;
  return [
    `This build was made for NODE_ENV=${builtFor ?? "(unset)"} and cannot run with NODE_ENV=production: its pages would all answer 500.`,
    "Make a production build with `npm run build` (it writes build/ and public/build/), then start again.",
  ].join("\n");
}
