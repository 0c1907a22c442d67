import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/**
 * `npm run audit` (scripts/audit.ts) against a registry of our own on loopback,
 * which plays the audit service: answering, finding an advisory, or refusing
 * (405, as the registry of our machines does). An audit that did not happen
 * fails, unless skipping it is the operator's explicit choice.
 */
type Answer = "refuse" | "clean" | "high";
let answer: Answer = "clean";
let registry: Server;

beforeAll(async () => {
  registry = createServer((req, res) => {
    req.resume().on("end", () => {
      if (answer === "refuse") return void res.writeHead(405).end();
      if (req.url?.endsWith("/security/advisories/bulk")) {
        const advisories = answer === "high" ? { zod: [{ id: 1, url: "https://advisories.test/1", title: "a test advisory", severity: "high", vulnerable_versions: ">=0.0.0", cwe: [], cvss: { score: 8 } }] } : {};
        return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(advisories));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
});

afterAll(() => new Promise<void>((resolve) => registry.close(() => resolve())));

function audit(env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const { port } = registry.address() as AddressInfo;
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["scripts/audit.ts"],
      { cwd: ROOT, env: { ...process.env, npm_config_registry: `http://127.0.0.1:${port}/`, AUDIT_ALLOW_UNCHECKED: "", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe("npm run audit", () => {
  it("fails when the audit service does not answer, saying the audit was not made and how to go on", async () => {
    answer = "refuse";
    const { code, output } = await audit();
    expect(code).toBe(1);
    expect(output).toContain("NOT CHECKED — the audit service answered 405");
    expect(output).toContain("AUDIT_ALLOW_UNCHECKED=1");
  }, 120_000);

  it("goes on without the audit only when AUDIT_ALLOW_UNCHECKED=1 says so, and says it skipped", async () => {
    answer = "refuse";
    const { code, output } = await audit({ AUDIT_ALLOW_UNCHECKED: "1" });
    expect(code).toBe(0);
    expect(output).toContain("Skipped by choice (AUDIT_ALLOW_UNCHECKED=1)");
  }, 120_000);

  it("passes on an answer without high or critical advisories, and fails on one with them", async () => {
    answer = "clean";
    const clean = await audit();
    expect(clean.code).toBe(0);
    expect(clean.output).toContain('"high":0,"critical":0');
    answer = "high";
    const found = await audit({ AUDIT_ALLOW_UNCHECKED: "1" });
    expect(found.code).toBe(1);
    expect(found.output).toContain("high zod");
  }, 120_000);
});
