import { buildModeProblem } from "./build-mode";

describe("whether a build can run in the process's mode", () => {
  it("refuses a development or test build when the process runs in production, saying what to do", () => {
    for (const builtFor of ["development", "test", undefined]) {
      const problem = buildModeProblem(builtFor, "production");
      expect(problem).toContain(`made for NODE_ENV=${builtFor ?? "(unset)"}`);
      expect(problem).toContain("npm run build");
    }
  });

  it("runs a production build in every mode, and any build outside production", () => {
    for (const runningAs of ["production", "development", "test", undefined]) expect(buildModeProblem("production", runningAs)).toBeNull();
    expect(buildModeProblem("development", "development")).toBeNull();
    expect(buildModeProblem("test", "test")).toBeNull();
  });
});
