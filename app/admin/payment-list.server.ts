import type { PaymentKind, PaymentStatus, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db.server";
import { emptyFollowUpTally, summarizeFollowUps, type FollowUpSummary, type FollowUpTally } from "../payments/rules/follow-up-summary";
import { getCurrencyExponent } from "../payments/rules/currencies";
import { formatAmount, formatMoney } from "../payments/rules/money";
import { abandonedReceivedBefore, paymentLinkExpiresAt, paymentStatusWord, type PaymentStatusWord } from "../payments/rules/payment-status-words";
import { openAddress } from "../privacy/customer-data.server";
import type { PiiKeyring } from "../privacy/pii-crypto.server";
import { maskName } from "./mask";
import { searchPayments } from "./payment-search.server";
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

/** A name and an id or two: more words are no one's search, and each costs a look-up. */
export const SEARCH_MAX_WORDS = 8;

// Control characters are no id's or name's, and PostgreSQL refuses a NUL in text.
const searchSchema = z
  .string()
  .trim()
  .min(1)
  .max(200, "must be at most 200 characters")
  .refine((q) => !/\p{Cc}/u.test(q), "must not contain control characters")
  .refine((q) => q.split(/\s+/).length <= SEARCH_MAX_WORDS, `must be at most ${SEARCH_MAX_WORDS} words`);

/**
 * The statuses the list filters on, in the merchant's words (payment-status-words.ts).
 * "refunded" takes partly and fully refunded payments alike: telling them
 * apart needs sums, and a filter must stay a few index look-ups.
 */
export const STATUS_FILTERS = ["open", "abandoned", "pending", "authorized", "paid", "refunded", "voided", "failed"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

// An amount as typed in the filter: a plain decimal, no sign, no grouping.
const amountSchema = z.string().trim().regex(/^\d{1,12}(\.\d{1,3})?$/, "must be an amount such as 25 or 25.50");

/** Every query parameter of the list, checked before any query runs: a bad one is a 400 naming it. */
export const paymentListQuerySchema = z
  .object({
    view: optional(z.enum(["all", "attention"])).transform((view) => view ?? "all"),
    status: optional(z.enum(STATUS_FILTERS, { error: `must be one of ${STATUS_FILTERS.join(", ")}` })),
    sort: optional(z.enum(["newest", "oldest"])).transform((sort) => sort ?? "newest"),
    amountMin: optional(amountSchema),
    amountMax: optional(amountSchema),
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
    if (query.amountMin && query.amountMax && Number(query.amountMin) > Number(query.amountMax)) ctx.addIssue({ code: "custom", path: ["amountMax"], message: "must be at least the smallest amount" });
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
  /** The status in the merchant's words: what the list shows. */
  statusWord: PaymentStatusWord;
  /** The buyer as "C. Roy", or null when the payment has no name (or it was erased). */
  buyer: string | null;
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
  counts: Record<PaymentStatus | "ALL" | "ATTENTION" | "ABANDONED", number>;
}

/** What the list needs besides the query: who reads it, the time, the link's lifetime, the key to read names. */
export interface ListContext {
  locale: string;
  now?: Date;
  /** PAYMENT_LINK_TTL_HOURS: a payment open past its link's expiry is "Abandoned". */
  linkTtlHours: number;
  /** Reads the buyers' names and finds payments by them; without it the list shows none and searches ids only. */
  keyring?: PiiKeyring | null;
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

export async function listPayments(db: Db, shop: string, query: PaymentListQuery, context: ListContext): Promise<PaymentListPage> {
  const { locale, now = new Date(), linkTtlHours } = context;
  const attentionFacts = await loadAttentionFacts(db, shop);
  const keyring = context.keyring ?? null;
  const filters = await paymentFilterWhere(db, shop, query, { now, linkTtlHours, keyring });
  const attention = attentionWhere(shop, attentionFacts, now);
  // The attention view's disjuncts each name the shop; every other query names it at the top.
  const base: Prisma.PaymentSessionWhereInput = query.view === "attention" ? { AND: [attention, filters] } : { shop, AND: [filters] };

  const after = query.after ?? null;
  const before = query.before ?? null;

  // Pages run along (receivedAt, id) in the sort's direction; going back reads
  // the other way from the cursor and flips the page.
  const newestFirst = query.sort === "newest";
  const backwards = Boolean(before);
  const cursor = after ?? before;
  const towardsOlder = newestFirst !== backwards;
  const keyset: Prisma.PaymentSessionWhereInput = cursor
    ? towardsOlder
      ? { receivedAt: { lte: cursor.receivedAt }, OR: [{ receivedAt: { lt: cursor.receivedAt } }, { id: { lt: cursor.id } }] }
      : { receivedAt: { gte: cursor.receivedAt }, OR: [{ receivedAt: { gt: cursor.receivedAt } }, { id: { gt: cursor.id } }] }
    : {};
  const direction = towardsOlder ? "desc" : "asc";
  const statusFree = await paymentFilterWhere(db, shop, { ...query, status: undefined }, { now, linkTtlHours, keyring });
  const [found, counts] = await Promise.all([
    db.paymentSession.findMany({
      where: { AND: [base, keyset] },
      orderBy: [{ receivedAt: direction }, { id: direction }],
      take: PAGE_SIZE + 1,
      select: listSelect,
    }),
    countByStatus(db, shop, statusFree, attention, abandonedReceivedBefore(now, linkTtlHours)),
  ]);
  const hasMore = found.length > PAGE_SIZE;
  const page = found.slice(0, PAGE_SIZE);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page[page.length - 1];
  const ids = page.map((payment) => payment.id);
  const [followUps, settled, buyers] = await Promise.all([countFollowUps(db, shop, ids), settledTotals(db, shop, ids), buyerNames(db, keyring, ids)]);
  return {
    rows: page.map((payment) =>
      toRow(payment, {
        followUps: followUps.get(payment.id) ?? emptyFollowUpTally(),
        settled: settled.get(payment.id) ?? NOTHING_SETTLED,
        buyer: buyers.get(payment.id) ?? null,
        attentionFacts,
        locale,
        now,
        linkTtlHours,
      }),
    ),
    nextCursor: last && (backwards || hasMore) ? encodeCursor(last) : null,
    previousCursor: first && (backwards ? hasMore : Boolean(after)) ? encodeCursor(first) : null,
    counts,
  };
}

/**
 * The filters of the list as a where clause on the shop's payments (the caller
 * adds the shop). The overview asks the same function, so its figures are
 * those of the list with the same filters.
 */
export async function paymentFilterWhere(
  db: Db,
  shop: string,
  query: Omit<PaymentListQuery, "view" | "sort" | "after" | "before">,
  { now, linkTtlHours, keyring = null }: { now: Date; linkTtlHours: number; keyring?: PiiKeyring | null },
): Promise<Prisma.PaymentSessionWhereInput> {
  const where: Prisma.PaymentSessionWhereInput[] = [];
  if (query.status) where.push(statusFilterWhere(query.status, abandonedReceivedBefore(now, linkTtlHours)));
  if (query.amountMin || query.amountMax) where.push(amountWhere(query.amountMin, query.amountMax, query.currency ? [query.currency] : await shopCurrencies(db, shop)) ?? {});
  if (query.kind) where.push({ kind: query.kind });
  if (query.mode) where.push({ test: query.mode === "test" });
  if (query.currency) where.push({ currency: query.currency });
  if (query.from) where.push({ receivedAt: { gte: new Date(`${query.from}T00:00:00.000Z`) } });
  if (query.to) where.push({ receivedAt: { lt: new Date(new Date(`${query.to}T00:00:00.000Z`).getTime() + 86_400_000) } });
  if (query.q) where.push({ id: { in: await searchPayments(db, shop, query.q, keyring) } });
  return { AND: where };
}

const resolvedOnly = { status: "RESOLVED" } as const;

/**
 * A status word as a where clause: the stored status, the link's expiry as a
 * range of receivedAt, and whether accepted captures, refunds or voids exist
 * (EXISTS on their [paymentSessionId] indexes). Mirrors paymentStatusWord.
 */
export function statusFilterWhere(status: StatusFilter, abandonedBefore: Date): Prisma.PaymentSessionWhereInput {
  switch (status) {
    case "open":
      return { status: "OPEN", receivedAt: { gt: abandonedBefore } };
    case "abandoned":
      return { status: "OPEN", receivedAt: { lte: abandonedBefore } };
    case "pending":
      return { status: "PENDING" };
    case "failed":
      return { status: "REJECTED" };
    case "authorized":
      return { status: "RESOLVED", kind: "AUTHORIZATION", captureSessions: { none: resolvedOnly }, voidSessions: { none: resolvedOnly } };
    case "voided":
      return { status: "RESOLVED", kind: "AUTHORIZATION", captureSessions: { none: resolvedOnly }, voidSessions: { some: resolvedOnly } };
    case "paid":
      return { status: "RESOLVED", refundSessions: { none: resolvedOnly }, OR: [{ kind: "SALE" }, { captureSessions: { some: resolvedOnly } }] };
    case "refunded":
      return { status: "RESOLVED", refundSessions: { some: resolvedOnly } };
  }
}

/**
 * An amount range in the currency's own units, as minor units per exponent:
 * without a currency filter each of the shop's currencies applies its own
 * exponent (25 is 2500 cents but 25 yen).
 */
function amountWhere(min: string | undefined, max: string | undefined, currencies: string[]): Prisma.PaymentSessionWhereInput | null {
  if (!min && !max) return null;
  const byExponent = new Map<number, string[]>();
  for (const currency of currencies) {
    const exponent = getCurrencyExponent(currency);
    if (exponent !== null) byExponent.set(exponent, [...(byExponent.get(exponent) ?? []), currency]);
  }
  return {
    OR: [...byExponent].map(([exponent, codes]) => ({
      currency: { in: codes },
      amountMinor: { ...(min ? { gte: toMinorUnits(min, exponent, "up") } : {}), ...(max ? { lte: toMinorUnits(max, exponent, "down") } : {}) },
    })),
  };
}

/** "25.5" at exponent 2 → 2550n; digits past the exponent round towards the inside of the range. */
export function toMinorUnits(amount: string, exponent: number, round: "up" | "down"): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  const minor = BigInt(`${whole}${fraction.slice(0, exponent).padEnd(exponent, "0")}`);
  return round === "up" && /[1-9]/.test(fraction.slice(exponent)) ? minor + 1n : minor;
}

/** The currencies the shop has payments in, for the currency filter's choices (index [shop, currency, receivedAt]). */
export async function shopCurrencies(db: Db, shop: string): Promise<string[]> {
  // groupBy is a GROUP BY in SQL, answered from the [shop, currency, …] index; Prisma's
  // `distinct` reads every row of the shop and drops the repeats in JavaScript (10k rows
  // for a shop of 10k payments, on every page of the list).
  const groups = await db.paymentSession.groupBy({ by: ["currency"], where: { shop }, orderBy: { currency: "asc" } });
  return groups.map((group) => group.currency);
}

/**
 * The tabs' counts under the other filters: per stored status, needs attention,
 * and abandoned (OPEN counts only the payments whose link still works).
 */
async function countByStatus(db: Db, shop: string, filters: Prisma.PaymentSessionWhereInput, attention: Prisma.PaymentSessionWhereInput, abandonedBefore: Date): Promise<PaymentListPage["counts"]> {
  const [groups, attentionCount, abandoned] = await Promise.all([
    db.paymentSession.groupBy({ by: ["status"], where: { shop, AND: [filters] }, _count: { _all: true } }),
    db.paymentSession.count({ where: { AND: [attention, filters] } }),
    db.paymentSession.count({ where: { shop, AND: [filters, statusFilterWhere("abandoned", abandonedBefore)] } }),
  ]);
  const counts: PaymentListPage["counts"] = { ALL: 0, ATTENTION: attentionCount, ABANDONED: abandoned, OPEN: 0, PENDING: 0, RESOLVED: 0, REJECTED: 0 };
  for (const group of groups) {
    counts[group.status] = group._count._all;
    counts.ALL += group._count._all;
  }
  counts.OPEN -= abandoned;
  return counts;
}

interface SettledTotals {
  capturedMinor: bigint;
  refundedMinor: bigint;
  voided: boolean;
}
const NOTHING_SETTLED: SettledTotals = { capturedMinor: 0n, refundedMinor: 0n, voided: false };

/** What Shopify accepted of the page's captures, refunds and voids: the facts behind the status words. */
async function settledTotals(db: Db, shop: string, paymentIds: string[]): Promise<Map<string, SettledTotals>> {
  const where = { shop, paymentSessionId: { in: paymentIds }, status: "RESOLVED" as const };
  const [refunds, captures, voids] = await Promise.all([
    db.refundSession.groupBy({ by: ["paymentSessionId"], where, _sum: { amountMinor: true } }),
    db.captureSession.groupBy({ by: ["paymentSessionId"], where, _sum: { amountMinor: true } }),
    db.voidSession.groupBy({ by: ["paymentSessionId"], where, _count: { _all: true } }),
  ]);
  const totals = new Map<string, SettledTotals>();
  const entry = (id: string) => totals.get(id) ?? (totals.set(id, { ...NOTHING_SETTLED }), totals.get(id)!);
  for (const row of refunds) entry(row.paymentSessionId).refundedMinor = row._sum.amountMinor ?? 0n;
  for (const row of captures) entry(row.paymentSessionId).capturedMinor = row._sum.amountMinor ?? 0n;
  for (const row of voids) entry(row.paymentSessionId).voided = row._count._all > 0;
  return totals;
}

/**
 * The page's buyers as "C. Roy", from the billing address (else shipping).
 * Names are stored encrypted (decisions 0006, 0019): one decryption per address on the page, in memory only.
 */
async function buyerNames(db: Db, keyring: PiiKeyring | null, paymentIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!keyring || paymentIds.length === 0) return names;
  const addresses = await db.paymentAddress.findMany({ where: { paymentSessionId: { in: paymentIds } }, orderBy: { role: "asc" } });
  for (const address of addresses) {
    if (names.has(address.paymentSessionId)) continue;
    try {
      const { givenName, familyName } = openAddress(keyring, address);
      const name = maskName(givenName, familyName);
      if (name) names.set(address.paymentSessionId, name);
    } catch {
      // A name this keyring cannot read (a retired key): the row shows no buyer rather than failing the page.
    }
  }
  return names;
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

interface RowFacts {
  followUps: FollowUpTally;
  settled: SettledTotals;
  buyer: string | null;
  attentionFacts: AttentionFacts;
  locale: string;
  now: Date;
  linkTtlHours: number;
}

function toRow(payment: ListedPayment, { followUps, settled, buyer, attentionFacts, locale, now, linkTtlHours }: RowFacts): PaymentListRow {
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
    statusWord: paymentStatusWord({ ...payment, ...settled, linkExpiresAt: paymentLinkExpiresAt(payment.receivedAt, linkTtlHours) }, now),
    buyer,
    receivedAt: payment.receivedAt.toISOString(),
    followUps: summarizeFollowUps(followUps),
    attention,
  };
}
