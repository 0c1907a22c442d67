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

  // Unique per run, so runs on one server (and a crashed run's leftovers) never meet.
  const templateName = `payments_test_${Date.now().toString(36)}_${process.pid}_template`;
  await withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`CREATE DATABASE "${templateName}"`));
  migrate(databaseUrlFor(adminUrl, templateName));
  project.provide("testDatabase", { provider: "postgresql", adminUrl, templateName });
  return async () => {
    await withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`));
  };
}

function migrate(databaseUrl: string) {
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}
