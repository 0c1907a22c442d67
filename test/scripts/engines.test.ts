import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/**
 * package.json's `engines` is what we promise: no Node.js version it admits may
 * be one that a dependency the app runs on refuses (npm warns EBADENGINE, and
 * the library may not work there).
 */
type Version = [number, number, number];

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { engines?: { node?: string }; dependencies?: Record<string, string> };
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

describe("package.json engines", () => {
  const ours = readJson(path.join(ROOT, "package.json"));

  it("admits no Node.js version that a runtime dependency refuses", () => {
    const lowest = /^>=\s*([\d.]+)$/.exec(ours.engines?.node ?? "")?.[1];
    expect(lowest, 'engines.node is ">=major"').toBeDefined();
    const refusing = Object.keys(ours.dependencies ?? {}).flatMap((name) => {
      const range = readJson(path.join(ROOT, "node_modules", name, "package.json")).engines?.node;
      return range && !satisfies(parse(lowest!), range) ? [`${name} requires ${range}`] : [];
    });
    expect(refusing).toEqual([]);
  });
});
