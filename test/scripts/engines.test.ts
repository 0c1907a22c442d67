import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/**
 * package.json's `engines` is what we promise: no Node.js version it admits may
 * be one that a dependency the app runs on refuses (npm warns EBADENGINE, and
 * the library may not work there) or cannot load in, or one that CI does not
 * test; the README and the Dockerfile say the same.
 */
type Version = [number, number, number];

const readJson = (file: string) =>
  JSON.parse(readFileSync(file, "utf8")) as { engines?: { node?: string }; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const readText = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, "").split(".").map(Number);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` is in `range`, for the forms packages use here (>=, ^, ||); anything else stops the test. */
function satisfies(version: Version, range: string): boolean {
  return range.split("||").some((part) => {
    const term = part.trim();
    let match = /^>=\s*([\d.]+)$/.exec(term);
    if (match) return compare(version, parse(match[1]!)) >= 0;
    match = /^\^([\d.]+)$/.exec(term);
    if (match) return version[0] === parse(match[1]!)[0] && compare(version, parse(match[1]!)) >= 0;
    throw new Error(`an engines range this test does not read: "${range}"`);
  });
}

/** The lowest version each term of a range admits (">=22.14.0 || ^24" → 22.14.0, 24.0.0). */
function lowestOfEachTerm(range: string): Version[] {
  return range.split("||").map((part) => {
    const match = /^(?:>=|\^)\s*([\d.]+)$/.exec(part.trim());
    if (!match) throw new Error(`an engines range this test does not read: "${range}"`);
    return parse(match[1]!);
  });
}

/** The first Node.js 22 and 24 releases with each Node-API version a native addon may be built for (nodejs.org's Node-API version matrix). */
const FIRST_WITH_NODE_API: Record<number, Version> = { 9: [22, 0, 0], 10: [22, 14, 0] };

describe("package.json engines", () => {
  const ours = readJson(path.join(ROOT, "package.json"));
  const engines = ours.engines?.node ?? "";
  const admittedMajors = [18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28].filter((major) => satisfies([major, 99, 99], engines));

  it("admits no Node.js version that a runtime dependency refuses", () => {
    const refusing = Object.keys(ours.dependencies ?? {}).flatMap((name) => {
      const range = readJson(path.join(ROOT, "node_modules", name, "package.json")).engines?.node;
      return range ? lowestOfEachTerm(engines).filter((lowest) => !satisfies(lowest, range)).map((lowest) => `${name} requires ${range}, engines admit ${lowest.join(".")}`) : [];
    });
    expect(refusing).toEqual([]);
  });

  it("admits no Node.js version better-sqlite3 cannot load in (its Node-API version)", () => {
    const napi = Number(/NAPI_VERSION=(\d+)/.exec(readText("node_modules/better-sqlite3/binding.gyp"))?.[1]);
    const first = FIRST_WITH_NODE_API[napi];
    expect(first, `Node-API ${napi}: add its first Node.js release to this test`).toBeDefined();
    const tooOld = lowestOfEachTerm(engines).filter((lowest) => lowest[0] === first![0] && compare(lowest, first!) < 0);
    expect(tooOld.map((version) => version.join("."))).toEqual([]);
  });

  it("admits exactly the majors CI tests: the project's Node (the node dev dependency) and the one .ci/run installs", () => {
    const projectNode = parse(/[\d.]+/.exec(ours.devDependencies?.node ?? "")?.[0] ?? "0");
    const ciNodes = [...readText(".ci/run").matchAll(/npm install [^\n]*\bnode@(\d+)/g)].map((m) => Number(m[1]));
    expect(satisfies(projectNode, engines), `the project's node ${projectNode.join(".")} is admitted`).toBe(true);
    expect(admittedMajors).toEqual([...new Set([projectNode[0], ...ciNodes])].sort((a, b) => a - b));
  });

  it("is what the README's quick start and the Dockerfile say, and the image's Node is one of them", () => {
    const inWords = admittedMajors.join(" or ");
    expect(readText("README.md")).toContain(`Node.js ${inWords} (`);
    expect(readText("README.md")).toContain(`\`engines\` says \`${engines}\``);
    const dockerfile = readText("Dockerfile");
    expect(dockerfile).toContain(`# Node ${inWords} (package.json engines: ${engines};`);
    const image = Number(/^ARG NODE_IMAGE=node:(\d+)/m.exec(dockerfile)?.[1]);
    expect(admittedMajors).toContain(image);
  });
});
