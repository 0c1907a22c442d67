import type { PaymentKind, PaymentStatus, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db.server";
import { emptyFollowUpTally, summarizeFollowUps, type FollowUpSummary, type FollowUpTally } from "../payments/follow-up-summary";
import { formatAmount, formatMoney } from "../payments/money";
import { attentionReasons, attentionWhere, loadAttentionFacts, type AttentionFacts, type AttentionReason } from "./needs-attention.server";

export { ATTENTION_WINDOW_MS, type AttentionReason } from "./needs-attention.server";

/**
 * The admin's list of payment sessions: newest first, filtered, searched, with
 * keyset pagination on (receivedAt, id) so a page deep in a million rows costs
 * what the first page costs (indexes: [shop, receivedAt, id] and
 * [shop, status, receivedAt, id]). Every query is scoped to the shop.
 */
export const PAGE_SIZE = 50;

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

/**
 * The dates the list can be asked about. Wider ones are no payment's, and the
 * databases cannot store some of them (Prisma refuses year 10000, which `to`
 * of 9999-12-31 reaches once its whole day is included).
 */
export const LIST_DATE_RANGE = { first: "2000-01-01", last: "2999-12-31" } as const;
const FIRST_TIME = Date.parse(`${LIST_DATE_RANGE.first}T00:00:00.000Z`);
const LAST_TIME = Date.parse(`${LIST_DATE_RANGE.last}T23:59:59.999Z`);
const DATE_RANGE_MESSAGE = `must be a date between ${LIST_DATE_RANGE.first} and ${LIST_DATE_RANGE.last}`;

const listDateSchema = z.iso
  .date({ error: "must be a date such as 2026-11-29" })
  .pipe(z.string().refine((date) => date >= LIST_DATE_RANGE.first && date <= LIST_DATE_RANGE.last, DATE_RANGE_MESSAGE));

const cursorSchema = z.string().max(100, "is not a page cursor of this list; open the first page again").transform((value, ctx) => {
  const cursor = decodeCursor(value);
  if (!cursor) ctx.addIssue({ code: "custom", message: "is not a page cursor of this list; open the first page again" });
  return cursor ?? z.NEVER;
});

// Control characters are no id's, and PostgreSQL refuses a NUL in text.
const searchSchema = z
  .string()
  .trim()
  .min(1)
  .max(200, "must be at most 200 characters")
  .refine((q) => !/\p{Cc}/u.test(q), "must not contain control characters");

/** Every query parameter of the list, checked before any query runs: a bad one is a 400 naming it. */
export const paymentListQuerySchema = z
  .object({
    view: optional(z.enum(["all", "attention"])).transform((view) => view ?? "all"),
    status: optional(z.enum(["OPEN", "PENDING", "RESOLVED", "REJECTED"])),
    kind: optional(z.enum(["SALE", "AUTHORIZATION"])),
    mode: optional(z.enum(["test", "live"])),
    currency: optional(z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as USD")),
    from: optional(listDateSchema),
    to: optional(listDateSchema),
    q: optional(searchSchema),
    after: optional(cursorSchema),
    before: optional(cursorSchema),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after the from date" });
    if (query.after && query.before) ctx.addIssue({ code: "custom", path: ["before"], message: "cannot be given with after; open the first page again" });
  });
export type PaymentListQuery = z.infer<typeof paymentListQuerySchema>;

export interface PaymentListRow {
  id: string;
  shopifyId: string;
  gid: string;
  formattedAmount: string;
  currency: string;
  kind: PaymentKind;
  test: boolean;
  status: PaymentStatus;
  receivedAt: string;
  followUps: FollowUpSummary;
  attention: AttentionReason[];
}

export interface PaymentListPage {
  rows: PaymentListRow[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
  /** Cursor of the previous (newer) page, or null on the first page. */
  previousCursor: string | null;
  counts: Record<PaymentStatus | "ALL" | "ATTENTION", number>;
}

interface Cursor {
  receivedAt: Date;
  id: string;
}

export function encodeCursor(row: { receivedAt: Date; id: string }): string {
  return Buffer.from(`${row.receivedAt.getTime()}:${row.id}`).toString("base64url");
}

/**
 * A cursor from the query string, or null when it is not exactly one this list
 * made (the same encoding back, a time within the list's dates): a forged one
 * never reaches the database.
 */
export function decodeCursor(value: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
  const match = /^([1-9]\d{0,14}):([a-z0-9]{1,40})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match) return null;
  const cursor = { receivedAt: new Date(Number(match[1])), id: match[2] ?? "" };
  const time = cursor.receivedAt.getTime();
  if (time < FIRST_TIME || time > LAST_TIME || encodeCursor(cursor) !== value) return null;
  return cursor;
}

const listSelect = {
  id: true,
  shopifyId: true,
  gid: true,
  amountMinor: true,
  currency: true,
  kind: true,
  test: true,
  status: true,
  receivedAt: true,
  authorizationExpiresAt: true,
} satisfies Prisma.PaymentSessionSelect;

export async function listPayments(db: Db, shop: string, query: PaymentListQuery, { locale, now = new Date() }: { locale: string; now?: Date }): Promise<PaymentListPage> {
  const attentionFacts = await loadAttentionFacts(db, shop);
  const filters = await filterWhere(db, shop, query);
  const attention = attentionWhere(shop, attentionFacts, now);
  // The attention view's disjuncts each name the shop; every other query names it at the top.
  const base: Prisma.PaymentSessionWhereInput =
    query.view === "attention" ? { AND: [attention, filters, ...(query.status ? [{ status: query.status }] : [])] } : { shop, AND: [filters, ...(query.status ? [{ status: query.status }] : [])] };

  const after = query.after ?? null;
  const before = query.before ?? null;

  // Going back (newer rows) reads ascending from the cursor and flips the page.
  const backwards = Boolean(before);
  const cursor = after ?? before;
  const keyset: Prisma.PaymentSessionWhereInput = cursor
    ? backwards
      ? { receivedAt: { gte: cursor.receivedAt }, OR: [{ receivedAt: { gt: cursor.receivedAt } }, { id: { gt: cursor.id } }] }
      : { receivedAt: { lte: cursor.receivedAt }, OR: [{ receivedAt: { lt: cursor.receivedAt } }, { id: { lt: cursor.id } }] }
    : {};
  const direction = backwards ? "asc" : "desc";
  const [found, counts] = await Promise.all([
    db.paymentSession.findMany({
      where: { AND: [base, keyset] },
      orderBy: [{ receivedAt: direction }, { id: direction }],
      take: PAGE_SIZE + 1,
      select: listSelect,
    }),
    countByStatus(db, shop, filters, attention),
  ]);
  const hasMore = found.length > PAGE_SIZE;
  const page = found.slice(0, PAGE_SIZE);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page[page.length - 1];
  const followUps = await countFollowUps(db, shop, page.map((payment) => payment.id));
  return {
    rows: page.map((payment) => toRow(payment, followUps.get(payment.id) ?? emptyFollowUpTally(), attentionFacts, locale, now)),
    nextCursor: last && (backwards || hasMore) ? encodeCursor(last) : null,
    previousCursor: first && (backwards ? hasMore : Boolean(after)) ? encodeCursor(first) : null,
    counts,
  };
}

async function filterWhere(db: Db, shop: string, query: PaymentListQuery): Promise<Prisma.PaymentSessionWhereInput> {
  const where: Prisma.PaymentSessionWhereInput[] = [];
  if (query.kind) where.push({ kind: query.kind });
  if (query.mode) where.push({ test: query.mode === "test" });
  if (query.currency) where.push({ currency: query.currency });
  if (query.from) where.push({ receivedAt: { gte: new Date(`${query.from}T00:00:00.000Z`) } });
  if (query.to) where.push({ receivedAt: { lt: new Date(new Date(`${query.to}T00:00:00.000Z`).getTime() + 86_400_000) } });
  if (query.q) where.push({ id: { in: await searchPaymentIds(db, shop, query.q) } });
  return { AND: where };
}

/**
 * Payments matching a search: by the payment's id, gid, group or Shopify request
 * id, or by those of one of its refunds, captures or voids. Exact matches on
 * indexed columns only, so a search costs a few index look-ups.
 */
async function searchPaymentIds(db: Db, shop: string, q: string): Promise<string[]> {
  const followUpWhere = { shop, OR: [{ shopifyId: q }, { gid: q }, { shopifyRequestId: q }] };
  const select = { paymentSessionId: true } as const;
  const [payments, refunds, captures, voids] = await Promise.all([
    db.paymentSession.findMany({ where: { shop, OR: [{ shopifyId: q }, { gid: q }, { group: q }, { shopifyRequestId: q }] }, select: { id: true }, take: 1000 }),
    db.refundSession.findMany({ where: followUpWhere, select, take: 1000 }),
    db.captureSession.findMany({ where: followUpWhere, select, take: 1000 }),
    db.voidSession.findMany({ where: followUpWhere, select, take: 1000 }),
  ]);
  return [...new Set([...payments.map((p) => p.id), ...[...refunds, ...captures, ...voids].map((f) => f.paymentSessionId)])];
}

async function countByStatus(db: Db, shop: string, filters: Prisma.PaymentSessionWhereInput, attention: Prisma.PaymentSessionWhereInput): Promise<PaymentListPage["counts"]> {
  const [groups, attentionCount] = await Promise.all([
    db.paymentSession.groupBy({ by: ["status"], where: { shop, AND: [filters] }, _count: { _all: true } }),
    db.paymentSession.count({ where: { AND: [attention, filters] } }),
  ]);
  const counts: PaymentListPage["counts"] = { ALL: 0, ATTENTION: attentionCount, OPEN: 0, PENDING: 0, RESOLVED: 0, REJECTED: 0 };
  for (const group of groups) {
    counts[group.status] = group._count._all;
    counts.ALL += group._count._all;
  }
  return counts;
}

type ListedPayment = Prisma.PaymentSessionGetPayload<{ select: typeof listSelect }>;

/**
 * Refunds, captures and voids of the page's payments by status: three grouped
 * counts on [paymentSessionId].
 */
async function countFollowUps(db: Db, shop: string, paymentIds: string[]): Promise<Map<string, FollowUpTally>> {
  const where = { shop, paymentSessionId: { in: paymentIds } };
  const by = ["paymentSessionId", "status"] as const;
  const [refunds, captures, voids] = await Promise.all([
    db.refundSession.groupBy({ by: [...by], where, _count: { _all: true } }),
    db.captureSession.groupBy({ by: [...by], where, _count: { _all: true } }),
    db.voidSession.groupBy({ by: [...by], where, _count: { _all: true } }),
  ]);
  const tallies = new Map<string, FollowUpTally>(paymentIds.map((id) => [id, emptyFollowUpTally()]));
  for (const [rows, kind] of [[refunds, "refund"], [captures, "capture"], [voids, "void"]] as const) {
    for (const row of rows) {
      const tally = tallies.get(row.paymentSessionId);
      if (tally) tally[kind][row.status] += row._count._all;
    }
  }
  return tallies;
}

function toRow(payment: ListedPayment, followUps: FollowUpTally, attentionFacts: AttentionFacts, locale: string, now: Date): PaymentListRow {
  const amount = formatAmount({ minor: payment.amountMinor, currency: payment.currency });
  // Captures and voids not rejected: while one exists, an authorization is not lapsing unused.
  const capturesOrVoidsUnderWay = followUps.capture.RECEIVED + followUps.capture.RESOLVED + followUps.void.RECEIVED + followUps.void.RESOLVED;
  const attention: AttentionReason[] = attentionReasons({ ...payment, capturesOrVoidsUnderWay }, attentionFacts, now);
  return {
    id: payment.id,
    shopifyId: payment.shopifyId,
    gid: payment.gid,
    formattedAmount: formatMoney(amount, payment.currency, locale),
    currency: payment.currency,
    kind: payment.kind,
    test: payment.test,
    status: payment.status,
    receivedAt: payment.receivedAt.toISOString(),
    followUps: summarizeFollowUps(followUps),
    attention,
  };
}
