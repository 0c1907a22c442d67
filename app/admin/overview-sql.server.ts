import { Prisma } from "@prisma/client";
import type { Db } from "../db.server";
import { providerOf } from "../db/prisma-client";
import type { PaymentListQuery } from "./payment-list.server";

/**
 * The overview's figures in one statement each, for the filters that are plain
 * columns (dates, kind, test or live, currency): what the overview opens with.
 * Prisma cannot group by day, and a grouped query per day costs Prisma's
 * per-statement CPU 30 to 92 times over (issue 15: far above 100 ms at a million
 * payments). The status words, amounts and search keep the list's own where
 * (paymentFilterWhere) and a query per day; overview.test.ts checks that both
 * ways agree with the list.
 */
export type PlainOverviewQuery = Pick<PaymentListQuery, "kind" | "mode" | "currency">;

export function plainOverviewQuery(query: PaymentListQuery): PlainOverviewQuery | null {
  if (query.status || query.amountMin || query.amountMax || query.q) return null;
  return { kind: query.kind, mode: query.mode, currency: query.currency };
}

export interface DayGroup {
  day: string;
  currency: string;
  status: string;
  count: number;
  minor: bigint;
}

interface Range {
  shop: string;
  start: Date;
  end: Date;
}

// The list's filters as SQL, on the columns of [shop, receivedAt, id] first.
function paymentConditions({ shop, start, end }: Range, query: PlainOverviewQuery): Prisma.Sql {
  const conditions = [Prisma.sql`"shop" = ${shop}`, Prisma.sql`"receivedAt" >= ${start}`, Prisma.sql`"receivedAt" < ${end}`];
  // Enums as text: a parameter compares to PostgreSQL's enum types only as text.
  if (query.kind) conditions.push(Prisma.sql`CAST("kind" AS TEXT) = ${query.kind}`);
  if (query.mode) conditions.push(Prisma.sql`"test" = ${query.mode === "test"}`);
  if (query.currency) conditions.push(Prisma.sql`"currency" = ${query.currency}`);
  return Prisma.join(conditions, " AND ");
}

/** Payments per UTC day, currency and status, with their sum in minor units. */
export async function dayGroups(db: Db, range: Range, query: PlainOverviewQuery): Promise<DayGroup[]> {
  // Stored as ISO 8601 text on SQLite (the adapter's format), a UTC timestamp on PostgreSQL.
  const day = providerOf(db) === "postgresql" ? Prisma.sql`to_char("receivedAt", 'YYYY-MM-DD')` : Prisma.sql`substr("receivedAt", 1, 10)`;
  const rows = await db.$queryRaw<{ day: string; currency: string; status: string; count: number; minor: string | null }[]>`
    SELECT ${day} AS "day", "currency", CAST("status" AS TEXT) AS "status", CAST(COUNT(*) AS INTEGER) AS "count", CAST(SUM("amountMinor") AS TEXT) AS "minor"
    FROM "PaymentSession" WHERE ${paymentConditions(range, query)}
    GROUP BY 1, 2, 3`;
  return rows.map((row) => ({ day: row.day, currency: row.currency, status: row.status, count: Number(row.count), minor: BigInt(row.minor ?? "0") }));
}

/** Milliseconds from arrival until Shopify accepted the outcome, for the latest `limit` payments that have one. */
export async function outcomeDurations(db: Db, range: Range, query: PlainOverviewQuery, limit: number): Promise<number[]> {
  const duration = providerOf(db) === "postgresql"
    ? Prisma.sql`CAST(EXTRACT(EPOCH FROM (d."succeededAt" - p."receivedAt")) * 1000 AS DOUBLE PRECISION)`
    : Prisma.sql`(julianday(d."succeededAt") - julianday(p."receivedAt")) * 86400000.0`;
  const rows = await db.$queryRaw<{ ms: number }[]>`
    SELECT ${duration} AS "ms"
    FROM (SELECT "id", "receivedAt" FROM "PaymentSession" WHERE ${paymentConditions(range, query)}) p
    JOIN "Delivery" d ON d."paymentSessionId" = p."id"
    WHERE d."shop" = ${range.shop} AND d."status" = 'SUCCEEDED' AND d."operation" IN ('PAYMENT_RESOLVE', 'PAYMENT_REJECT') AND d."succeededAt" IS NOT NULL
    ORDER BY p."receivedAt" DESC, p."id" DESC
    LIMIT ${limit}`;
  return rows.map((row) => Math.round(Number(row.ms)));
}
