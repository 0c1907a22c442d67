import type { PrismaClient } from "@prisma/client";
import { requireDatabaseProvider, type SqliteConnectionOptions } from "./db/adapter";
import { createPrismaClient } from "./db/prisma-client";
import { startSqliteCheckpointer, type SqliteCheckpointer } from "./db/sqlite-checkpointer";
import { getEnv } from "./env.server";
import { logger } from "./logger.server";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

let client: PrismaClient | undefined;
let optionsHandedOut = false;
let checkpointer: SqliteCheckpointer | undefined;
let connectionOptions: SqliteConnectionOptions = {};

/** The one Prisma client of this process, on the database named by DATABASE_URL (SQLite or PostgreSQL). */
export function getDb(): PrismaClient {
  client ??= createPrismaClient(
    getEnv().DATABASE_URL,
    {
      // SQLite runs one write transaction at a time; under load a transaction may
      // queue behind others for a while before it starts. Wait rather than fail.
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    },
    connectionOptions,
  );
  return client;
}

/**
 * For a connection of this process opened beside Prisma's (the payment receipt
 * store, app/payments/receipt/payment-receipt-store.server.ts): the database URL and the
 * SQLite options the checkpointer needs. Its owner closes it at shutdown.
 */
export function databaseConnection(): { url: string; options: SqliteConnectionOptions } {
  optionsHandedOut = true;
  return { url: getEnv().DATABASE_URL, options: connectionOptions };
}

/** How often the server's checkpointer copies the WAL into an SQLite database. */
const CHECKPOINT_INTERVAL_MS = 200;

/**
 * For the server process, before its first query: on SQLite, WAL checkpoints
 * run on a thread of their own instead of inside request-serving commits
 * (sqlite-checkpointer.ts). Scripts and tests keep SQLite's default.
 */
export function startBackgroundCheckpoints(): void {
  const url = getEnv().DATABASE_URL;
  if (requireDatabaseProvider(url) !== "sqlite" || checkpointer) return;
  if (client || optionsHandedOut) throw new Error("startBackgroundCheckpoints: call it before the first query");
  connectionOptions = { backgroundCheckpoints: true };
  const start = (): SqliteCheckpointer =>
    startSqliteCheckpointer({
      file: url.slice("file:".length),
      intervalMs: CHECKPOINT_INTERVAL_MS,
      onError: (code) => logger.error({ code }, "SQLite checkpoint failed"),
      // The WAL would grow without it: start it again.
      onStopped: () => {
        logger.error("SQLite checkpointer stopped; starting it again");
        setTimeout(() => (checkpointer = start()), 1000).unref();
      },
    });
  checkpointer = start();
}

/** Closes the database connections of this process (at shutdown). */
export async function closeDatabases(): Promise<void> {
  await Promise.all([client?.$disconnect(), checkpointer?.stop()]);
  client = undefined;
  checkpointer = undefined;
}
