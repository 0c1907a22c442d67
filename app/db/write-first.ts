import type { Tx } from "../db.server";

/**
 * THE WRITE-FIRST RULE, stated here once: on SQLite, a write transaction's first
 * statement must be a write. A write takes SQLite's write lock before anything
 * is read, so the transaction never has to upgrade a stale read snapshot, which
 * SQLite answers with SQLITE_BUSY at once when another process wrote meanwhile
 * (no waiting, no retry). On PostgreSQL the same first write is a row lock, so
 * code written this way is correct on both. Every transaction that reads and
 * then writes opens with one of:
 * - `ensureShop` below (receipts, installs, webhooks' shop rows),
 * - an `updateMany` that bumps a version or claims rows (payment-ledger, outcomes, delivery claims),
 * - `BEGIN IMMEDIATE` on the driver (payment-receipt-store.server.ts).
 * Elsewhere, a comment names this file instead of restating the rule.
 */

/** Makes sure the shop has its row; as a transaction's first statement, it takes the write lock. */
export async function ensureShop(tx: Tx, shop: string, now = new Date()): Promise<void> {
  await tx.$executeRaw`INSERT INTO "Shop" ("domain", "createdAt") VALUES (${shop}, ${now}) ON CONFLICT ("domain") DO NOTHING`;
}
