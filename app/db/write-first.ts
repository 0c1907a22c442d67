import type { Tx } from "../db.server";

/**
 * Makes sure the shop has its row, as the first statement of a write
 * transaction. Being a write, it takes SQLite's write lock before anything is
 * read, so a transaction never has to upgrade a stale read snapshot (which SQLite
 * answers with SQLITE_BUSY at once when another process wrote meanwhile).
 */
export async function ensureShop(tx: Tx, shop: string, now = new Date()): Promise<void> {
  await tx.$executeRaw`INSERT INTO "Shop" ("domain", "createdAt") VALUES (${shop}, ${now}) ON CONFLICT ("domain") DO NOTHING`;
}
