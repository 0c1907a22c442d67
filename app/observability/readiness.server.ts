import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { describeError } from "./describe-error";

/**
 * The migrations a database of this URL must have: SQLite's in prisma/migrations,
 * PostgreSQL's in prisma/postgresql/migrations (each provider has its own SQL).
 * Relative to the working directory, the project root for every npm script.
 */
export function migrationsDirFor(databaseUrl: string): string {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? path.join("prisma", "postgresql", "migrations") : path.join("prisma", "migrations");
}

/** Every folder of the directory is one migration, as `prisma migrate deploy` sees it. */
export async function listMigrations(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

export type Readiness =
  | { ready: true; body: { status: "ready"; database: "ok"; migrations: { applied: number } } }
  | { ready: false; body: { status: "not_ready"; database: "ok" | "unreachable"; migrations?: { missing: string[] }; problem: string } };

// The directory is part of the deployed code: read once per process.
const migrationLists = new Map<string, Promise<string[]>>();

/**
 * Ready means this instance can serve: the database answers a trivial query and
 * every migration shipped with the code has finished on it (a migration that
 * failed or was rolled back does not count). Migrations the database has beyond
 * the code's are fine: during a rolling deploy old instances keep serving.
 */
export async function checkReadiness(db: Db, migrationsDir: string): Promise<Readiness> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    logger.error({ err: describeError(error) }, "readiness: database unreachable");
    return { ready: false, body: { status: "not_ready", database: "unreachable", problem: "the database does not answer" } };
  }

  let expected: string[];
  try {
    let list = migrationLists.get(migrationsDir);
    if (!list) {
      list = listMigrations(migrationsDir);
      migrationLists.set(migrationsDir, list);
      list.catch(() => migrationLists.delete(migrationsDir));
    }
    expected = await list;
  } catch {
    return { ready: false, body: { status: "not_ready", database: "ok", problem: `the migrations directory ${migrationsDir} cannot be read (set MIGRATIONS_DIR)` } };
  }

  let finished: Set<string>;
  try {
    // Portable SQL: the same statement on SQLite and PostgreSQL.
    const rows = await db.$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
    finished = new Set(rows.map((row) => row.migration_name));
  } catch {
    // No _prisma_migrations table: nothing was ever migrated here.
    finished = new Set();
  }
  const missing = expected.filter((name) => !finished.has(name));
  if (missing.length > 0) {
    return { ready: false, body: { status: "not_ready", database: "ok", migrations: { missing }, problem: "migrations not applied: run `npm run setup` (prisma migrate deploy)" } };
  }
  return { ready: true, body: { status: "ready", database: "ok", migrations: { applied: expected.length } } };
}
