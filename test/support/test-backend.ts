import type { PrismaClient } from "@prisma/client";
import { requireDatabaseProvider } from "../../app/db/adapter";
import { createPrismaClient } from "../../app/db/prisma-client";

/**
 * The database the test run uses, chosen once per run:
 *
 *   npm test                                                              SQLite (default)
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm test   PostgreSQL
 *
 * On PostgreSQL, TEST_DATABASE_URL names a database to connect to for CREATE
 * DATABASE; the run creates its own template and one database per test file
 * next to it, and drops them afterwards.
 */
export type TestBackend =
  | { provider: "sqlite"; templateFile: string }
  | { provider: "postgresql"; adminUrl: string; templateName: string };

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: TestBackend;
  }
}

export function testDatabaseUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  if (requireDatabaseProvider(url) !== "postgresql") {
    throw new Error(`TEST_DATABASE_URL must be a postgresql:// URL (SQLite needs none); got "${url.split(":")[0]}:".`);
  }
  return url;
}

/** The same server and credentials, another database. */
export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminConnection<T>(adminUrl: string, use: (admin: PrismaClient) => Promise<T>): Promise<T> {
  const admin = createPrismaClient(adminUrl);
  try {
    return await use(admin);
  } finally {
    await admin.$disconnect();
  }
}
