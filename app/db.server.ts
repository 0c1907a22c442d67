import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "./db/prisma-client";
import { getEnv } from "./env.server";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

let client: PrismaClient | undefined;

/** The one Prisma client of this process, on the database named by DATABASE_URL (SQLite or PostgreSQL). */
export function getDb(): PrismaClient {
  client ??= createPrismaClient(getEnv().DATABASE_URL, {
    // SQLite runs one write transaction at a time; under load a transaction may
    // queue behind others for a while before it starts. Wait rather than fail.
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
  });
  return client;
}
