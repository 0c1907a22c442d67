import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { TEMPLATE_DATABASE, TEST_CACHE } from "./support/paths";
import { databaseUrlFor, testDatabaseUrl, withAdminConnection } from "./support/test-backend";

/**
 * Once per test run: build the app as `npm run build` does (the HTTP tests run the
 * built server, like `npm start`), and migrate a template database with the real
 * migrations through `prisma migrate deploy`; each test file gets a copy of it.
 * SQLite by default; PostgreSQL when TEST_DATABASE_URL names a server
 * (test/support/test-backend.ts).
 */
export default async function setup(project: TestProject) {
  mkdirSync(TEST_CACHE, { recursive: true });
  execFileSync("npx", ["remix", "build"], { stdio: ["ignore", "ignore", "inherit"] });

  const adminUrl = testDatabaseUrl();
  if (!adminUrl) {
    rmSync(TEMPLATE_DATABASE, { force: true });
    migrate(`file:${TEMPLATE_DATABASE}`);
    project.provide("testDatabase", { provider: "sqlite", templateFile: TEMPLATE_DATABASE });
    return;
  }

  await dropLeftoversOfKilledRuns(adminUrl);
  // Unique per run, so runs on one server (and a crashed run's leftovers) never meet.
  const templateName = `payments_test_${Date.now().toString(36)}_${process.pid}_template`;
  await withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`CREATE DATABASE "${templateName}"`));
  migrate(databaseUrlFor(adminUrl, templateName));
  project.provide("testDatabase", { provider: "postgresql", adminUrl, templateName });
  return async () => {
    await withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`));
  };
}

/** Runs younger than this are left alone whatever their process (a run takes minutes). */
const LEFTOVER_MIN_AGE_MS = 60 * 60_000;

/**
 * A run that was killed never reached its teardown: its template and per-file
 * databases stay on the server. Their names carry the run's start time and the
 * process id of its runner (`payments_test_{time}_{pid}_…`); on a server of this
 * machine, those of a runner that is gone and that started over an hour ago are
 * dropped. A remote server's process ids mean nothing here: left alone.
 */
async function dropLeftoversOfKilledRuns(adminUrl: string) {
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(adminUrl).hostname)) return;
  await withAdminConnection(adminUrl, async (admin) => {
    const databases = await admin.$queryRawUnsafe<{ datname: string }[]>(`SELECT datname FROM pg_database WHERE datname LIKE 'payments\\_test\\_%'`);
    for (const { datname } of databases) {
      const match = /^payments_test_([0-9a-z]+)_(\d+)_[0-9a-z_]+$/.exec(datname);
      if (!match || Date.now() - parseInt(match[1] ?? "", 36) < LEFTOVER_MIN_AGE_MS || isRunning(Number(match[2]))) continue;
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function migrate(databaseUrl: string) {
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}
