import { Prisma, type SessionKind } from "@prisma/client";
import type { Db, Tx } from "../../db.server";
import { IdempotencyConflictError } from "../rules/payment-errors";

export interface Received<Row> {
  row: Row;
  /** True when the request had been received before and nothing was written now. */
  replayed: boolean;
}

interface ReceiveOnceOptions<Row extends { requestHash: string }> {
  db: Db;
  requestHash: string;
  /** Looks the session up by its idempotency key, (shop, Shopify id). */
  find: (client: Db | Tx) => Promise<Row | null>;
  /** Records the new session in a transaction; its first statement must be a write (app/db/write-first.ts). */
  create: (tx: Tx) => Promise<Row>;
  /** Which request this is, for the log of Shopify's retries and conflicts (the session's timeline). */
  repeat: { shop: string; kind: SessionKind; shopifyId: string; shopifyRequestId: string };
}

/**
 * Records a Shopify session request exactly once. The same request again returns
 * the stored row (and changes nothing); the same id with another payload is a 409.
 * Concurrent duplicates are settled by the (shop, Shopify id) unique constraint:
 * the loser of the race gets a unique violation and reads the winner's row.
 */
export async function receiveOnce<Row extends { requestHash: string }>(
  options: ReceiveOnceOptions<Row>,
): Promise<Received<Row>> {
  const { db, find, create } = options;
  // Retries are common and need one small write only: the note of the retry.
  const seen = await find(db);
  if (seen) return replay(options, seen);

  try {
    // No look-up inside: the unique constraint decides between concurrent copies.
    return { row: await db.$transaction((tx) => create(tx)), replayed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await find(db);
    if (!winner) throw error;
    return replay(options, winner);
  }
}

function replay<Row extends { requestHash: string }>(options: ReceiveOnceOptions<Row>, row: Row): Promise<Received<Row>> {
  return replayOnce(row, options.requestHash, (conflict) => options.db.sessionReplay.create({ data: { ...options.repeat, conflict } }));
}

/**
 * The one answer to a request received before (every kind, whichever store holds it):
 * the repeat is noted (with whether its payload differed), then the stored row is the
 * answer, or an IdempotencyConflictError when the same id came with another payload.
 */
export async function replayOnce<Row extends { requestHash: string }>(
  row: Row,
  requestHash: string,
  noteRepeat: (conflict: boolean) => Promise<unknown>,
): Promise<Received<Row>> {
  const conflict = row.requestHash !== requestHash;
  await noteRepeat(conflict);
  if (conflict) throw new IdempotencyConflictError();
  return { row, replayed: true };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
