import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase } from "../support/database";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("GET /healthz", () => {
  it("answers 200 when the database answers", async () => {
    const database = await createTestDatabase();
    const app = await startApp({ DATABASE_URL: database.url });
    cleanups.push(() => database.drop(), () => app.stop());

    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 503 when the database cannot be opened", async () => {
    let databaseUrl: string;
    const backend = inject("testDatabase");
    if (backend.provider === "postgresql") {
      // A database the server does not have.
      const url = new URL(backend.adminUrl);
      url.pathname = "/payments_app_no_such_database";
      databaseUrl = url.toString();
    } else {
      // A directory where the database file should be: SQLite cannot open it.
      const dir = mkdtempSync(path.join(tmpdir(), "payments-app-nodb-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      databaseUrl = `file:${dir}`;
    }
    const app = await startApp({ DATABASE_URL: databaseUrl });
    cleanups.push(() => app.stop());

    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable" });
  });
});
