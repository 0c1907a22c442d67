import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ROOT, TEST_RUNS } from "./support/paths";
import { databaseUrlFor, testDatabaseUrl, withAdminConnection } from "./support/test-backend";

/**
 * Once per test run: build the app with `npm run build` (a production build; the
 * HTTP tests run the built server, like `npm start`), and migrate a template
 * database with the real migrations through `prisma migrate deploy`; each test
 * file gets a copy of it. SQLite by default; PostgreSQL when TEST_DATABASE_URL
 * names a server (test/support/test-backend.ts).
 *
 * Both go into a directory of this run's own under .cache/test-runs/, removed at
 * the end: runs at the same time (in one checkout or several) share no file, and
 * build/ stays whatever `npm run build` last made.
 */
export default async function setup(project: TestProject) {
  removeLeftoversOfKilledRuns();
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const dir = path.join(TEST_RUNS, runId);
  mkdirSync(dir, { recursive: true });
  const removeRunDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, BUILD_DIR: dir } });
  } catch (error) {
    removeRunDir();
    throw error;
  }
  project.provide("testRun", { dir, builtServer: path.join(dir, "build", "index.js") });

  const adminUrl = testDatabaseUrl();
  if (!adminUrl) {
    const templateFile = path.join(dir, "template.sqlite");
    migrate(`file:${templateFile}`);
    project.provide("testDatabase", { provider: "sqlite", templateFile });
    return removeRunDir;
  }

  await dropLeftoversOfKilledRuns(adminUrl);
  // Unique per run, so runs on one server (and a crashed run's leftovers) never meet.
  const templateName = `payments_test_${runId}_template`;
  await withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`CREATE DATABASE "${templateName}"`));
  migrate(databaseUrlFor(adminUrl, templateName));
  project.provide("testDatabase", { provider: "postgresql", adminUrl, templateName });
  return async () => {
    removeRunDir();
    await withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`));
  };
}

/** Runs younger than this are left alone whatever their process (a run takes minutes). */
const LEFTOVER_MIN_AGE_MS = 60 * 60_000;

/** A run's leftovers: `{start time, base 36}_{runner's pid}`, as runId above names them. */
function isLeftoverOfKilledRun(name: string): boolean {
  const match = /^([0-9a-z]+)_(\d+)(?:_|$)/.exec(name);
  return !!match && Date.now() - parseInt(match[1] ?? "", 36) >= LEFTOVER_MIN_AGE_MS && !isRunning(Number(match[2]));
}

/** The directories of runs that were killed before their teardown (their runner is gone). */
function removeLeftoversOfKilledRuns() {
  let names: string[];
  try {
    names = readdirSync(TEST_RUNS);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(TEST_RUNS, name);
    if (isLeftoverOfKilledRun(name) && statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true });
  }
}

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
      if (isLeftoverOfKilledRun(datname.replace(/^payments_test_/, ""))) await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
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
