import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase } from "../support/database";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("GET /healthz", () => {
  it("answers 200 when the database answers", async () => {
    const database = createTestDatabase();
    const app = await startApp({ DATABASE_URL: database.url });
    cleanups.push(() => database.drop(), () => app.stop());

    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 503 when the database cannot be opened", async () => {
    // A directory where the database file should be: SQLite cannot open it.
    const dir = mkdtempSync(path.join(tmpdir(), "payments-app-nodb-"));
    const app = await startApp({ DATABASE_URL: `file:${dir}` });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => app.stop());

    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable" });
  });
});
