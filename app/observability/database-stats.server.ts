import type { DeliveryStatus } from "@prisma/client";
import type { Db } from "../db.server";

export type SessionKindLabel = "payment" | "refund" | "capture" | "void";

/** What /metrics reports from the database: states, not events, so every instance sees the same. */
export interface DatabaseStats {
  sessions: { kind: SessionKindLabel; status: string; count: number }[];
  deliveries: { status: DeliveryStatus; count: number }[];
  /** 0 when nothing is pending. */
  oldestPendingDeliveryAgeSeconds: number;
}

/**
 * Grouped counts, one statement per table, each over an index whose first
 * column is `status` (PaymentSession(status, providerCheckAt), the follow-ups'
 * (status, processAfter), Delivery(status, nextAttemptAt)): the database counts
 * by scanning that index, never the table, and never holds a write lock.
 * The oldest pending delivery reads only the PENDING rows (the queue).
 */
export async function readDatabaseStats(db: Db, now = new Date()): Promise<DatabaseStats> {
  const [payments, refunds, captures, voids, deliveries, pending] = await Promise.all([
    db.paymentSession.groupBy({ by: ["status"], _count: { _all: true } }),
    db.refundSession.groupBy({ by: ["status"], _count: { _all: true } }),
    db.captureSession.groupBy({ by: ["status"], _count: { _all: true } }),
    db.voidSession.groupBy({ by: ["status"], _count: { _all: true } }),
    db.delivery.groupBy({ by: ["status"], _count: { _all: true } }),
    db.delivery.aggregate({ where: { status: "PENDING" }, _min: { createdAt: true } }),
  ]);
  const tag = (kind: SessionKindLabel, rows: { status: string; _count: { _all: number } }[]) =>
    rows.map((row) => ({ kind, status: row.status, count: row._count._all }));
  const oldest = pending._min.createdAt;
  return {
    sessions: [...tag("payment", payments), ...tag("refund", refunds), ...tag("capture", captures), ...tag("void", voids)],
    deliveries: deliveries.map((row) => ({ status: row.status, count: row._count._all })),
    oldestPendingDeliveryAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}

/**
 * The stats at most `ttlMs` old. Scrapes from several Prometheus servers, or a
 * scrape racing another, share one read instead of each counting the tables.
 */
export function cachedStats<T>(load: () => Promise<T>, ttlMs: number, clock = () => Date.now()): () => Promise<T> {
  let value: { at: number; stats: T } | null = null;
  let inFlight: Promise<T> | null = null;
  return () => {
    if (value && clock() - value.at < ttlMs) return Promise.resolve(value.stats);
    inFlight ??= load()
      .then((stats) => {
        value = { at: clock(), stats };
        return stats;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}
