import type { Prisma } from "@prisma/client";
import { type z } from "zod";
import type { Db } from "../db.server";
import { formatAmount } from "../payments/rules/money";
import type { PiiKeyring } from "../privacy/pii-crypto.server";
import { ATTENTION_WINDOW_MS, expiringAuthorizationWhere } from "./needs-attention.server";
import { dayGroups, outcomeDurations, plainOverviewQuery, type DayGroup } from "./overview-sql.server";
import { paymentFilterWhere, paymentListQuerySchema, type PaymentListQuery } from "./payment-list.server";

/**
 * How payments are going, for the overview's charts: the list's own filters
 * (paymentFilterWhere), so a figure here is the count the list shows with the
 * same filters. Dates are whole UTC days, as in the list.
 */
export const OVERVIEW_MAX_DAYS = 92;
const DAY_MS = 86_400_000;

/** The list's query without its paging and view; the range defaults to the last 30 days. */
export const overviewQuerySchema = paymentListQuerySchema.superRefine((query, ctx) => {
  if (query.from && query.to && (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1 > OVERVIEW_MAX_DAYS) {
    ctx.addIssue({ code: "custom", path: ["from"], message: `must be at most ${OVERVIEW_MAX_DAYS} days before the to date` });
  }
});

export interface DayFigures {
  day: string;
  /** Per currency: how many payments, and their total as a decimal string. */
  byCurrency: Record<string, { count: number; volume: string }>;
}

export interface Overview {
  from: string;
  to: string;
  days: DayFigures[];
  currencies: string[];
  totals: { payments: number; byCurrency: Record<string, { count: number; volume: string }> };
  /** Resolved among those with a final answer (resolved or rejected), or null when none has one. */
  approvalRate: number | null;
  finished: { resolved: number; rejected: number };
  /** From the payment's arrival until Shopify accepted its outcome, over the range's latest (2,000) payments that have one. */
  timeToOutcome: { count: number; medianMs: number | null; p90Ms: number | null };
  deliveries: { retrying: number; dead: number; failed: number };
  deadlines: { pending: number; pendingExpiringSoon: number; authorizationsExpiringSoon: number };
}

/** The range of the overview: the query's dates, else the last 30 days up to `now`'s day. */
export function overviewRange(query: Pick<PaymentListQuery, "from" | "to">, now: Date): { from: string; to: string } {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00.000Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

const TIME_SAMPLE = 2000;

export async function loadOverview(db: Db, shop: string, query: PaymentListQuery, { now, linkTtlHours, keyring = null }: { now: Date; linkTtlHours: number; keyring?: PiiKeyring | null }): Promise<Overview> {
  const { from, to } = overviewRange(query, now);
  const dayStarts: Date[] = [];
  for (let time = Date.parse(`${from}T00:00:00.000Z`); time <= Date.parse(`${to}T00:00:00.000Z`); time += DAY_MS) dayStarts.push(new Date(time));
  const range = { shop, start: new Date(`${from}T00:00:00.000Z`), end: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS) };
  const plain = plainOverviewQuery(query);
  const where: Prisma.PaymentSessionWhereInput = plain ? {} : { shop, AND: [await paymentFilterWhere(db, shop, { ...query, from, to }, { now, linkTtlHours, keyring })] };

  const [groups, durations, deliveries, pending, pendingSoon, authorizationsSoon] = await Promise.all([
    plain ? dayGroups(db, range, plain) : dayGroupsPerDay(db, where, dayStarts),
    plain ? outcomeDurations(db, range, plain, TIME_SAMPLE) : outcomeDurationsOf(db, shop, where),
    db.delivery.groupBy({ by: ["status"], where: { shop, status: { in: ["PENDING", "DEAD", "FAILED"] }, attempts: { gt: 0 } }, _count: { _all: true } }),
    db.paymentSession.count({ where: { shop, status: "PENDING" } }),
    db.paymentSession.count({ where: { shop, status: "PENDING", pendingExpiresAt: { lte: new Date(now.getTime() + ATTENTION_WINDOW_MS) } } }),
    db.paymentSession.count({ where: expiringAuthorizationWhere(shop, now) }),
  ]);

  const currencies = [...new Set(groups.map((group) => group.currency))].sort();
  const statusCounts = new Map<string, number>();
  const totalMinor = new Map<string, { count: number; minor: bigint }>();
  const dayMinor = new Map<string, Map<string, { count: number; minor: bigint }>>();
  for (const group of groups) {
    const perCurrency = dayMinor.get(group.day) ?? new Map<string, { count: number; minor: bigint }>();
    dayMinor.set(group.day, perCurrency);
    add(perCurrency, group.currency, group.count, group.minor);
    add(totalMinor, group.currency, group.count, group.minor);
    statusCounts.set(group.status, (statusCounts.get(group.status) ?? 0) + group.count);
  }
  const days: DayFigures[] = dayStarts.map((start) => {
    const day = start.toISOString().slice(0, 10);
    return { day, byCurrency: formatFigures(dayMinor.get(day) ?? new Map<string, { count: number; minor: bigint }>()) };
  });

  const count = (status: string) => statusCounts.get(status) ?? 0;
  const resolved = count("RESOLVED");
  const rejected = count("REJECTED");
  durations.sort((a, b) => a - b);
  const deliveryCount = (status: string) => deliveries.find((group) => group.status === status)?._count._all ?? 0;

  return {
    from,
    to,
    days,
    currencies,
    totals: { payments: [...statusCounts.values()].reduce((sum, count) => sum + count, 0), byCurrency: formatFigures(totalMinor) },
    approvalRate: resolved + rejected > 0 ? resolved / (resolved + rejected) : null,
    finished: { resolved, rejected },
    timeToOutcome: { count: durations.length, medianMs: percentile(durations, 0.5), p90Ms: percentile(durations, 0.9) },
    deliveries: { retrying: deliveryCount("PENDING"), dead: deliveryCount("DEAD"), failed: deliveryCount("FAILED") },
    deadlines: { pending, pendingExpiringSoon: pendingSoon, authorizationsExpiringSoon: authorizationsSoon },
  };
}

/**
 * With a status word, an amount or a search: the list's own where, one grouped
 * query per day (a range on [shop, receivedAt, id]). Grouped by status too: by
 * currency alone SQLite chose [shop, currency, receivedAt] for its order and
 * walked the whole shop once per day.
 */
async function dayGroupsPerDay(db: Db, where: Prisma.PaymentSessionWhereInput, dayStarts: Date[]): Promise<DayGroup[]> {
  const perDay = await Promise.all(
    dayStarts.map((start) =>
      db.paymentSession.groupBy({ by: ["currency", "status"], where: { AND: [where, { receivedAt: { gte: start, lt: new Date(start.getTime() + DAY_MS) } }] }, _count: { _all: true }, _sum: { amountMinor: true } }),
    ),
  );
  return perDay.flatMap((groups, index) =>
    groups.map((group) => ({ day: dayStarts[index]!.toISOString().slice(0, 10), currency: group.currency, status: group.status, count: group._count._all, minor: group._sum.amountMinor ?? 0n })),
  );
}

/**
 * The same durations as outcomeDurations, from the payments' side with the
 * list's where: newest first on [shop, receivedAt, id], each payment's outcome
 * on Delivery's [paymentSessionId].
 */
async function outcomeDurationsOf(db: Db, shop: string, where: Prisma.PaymentSessionWhereInput): Promise<number[]> {
  const outcome = { shop, status: "SUCCEEDED", operation: { in: ["PAYMENT_RESOLVE", "PAYMENT_REJECT"] }, succeededAt: { not: null } } satisfies Prisma.DeliveryWhereInput;
  const payments = await db.paymentSession.findMany({
    where: { AND: [where, { deliveries: { some: outcome } }] },
    select: { receivedAt: true, deliveries: { where: outcome, select: { succeededAt: true } } },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: TIME_SAMPLE,
  });
  return payments.flatMap((payment) => payment.deliveries.flatMap((delivery) => (delivery.succeededAt ? [delivery.succeededAt.getTime() - payment.receivedAt.getTime()] : [])));
}

function formatFigures(totals: Map<string, { count: number; minor: bigint }>): Record<string, { count: number; volume: string }> {
  return Object.fromEntries([...totals].map(([currency, total]) => [currency, { count: total.count, volume: formatAmount({ minor: total.minor, currency }) }]));
}

function add(totals: Map<string, { count: number; minor: bigint }>, currency: string, count: number, minor: bigint): void {
  const total = totals.get(currency) ?? { count: 0, minor: 0n };
  totals.set(currency, { count: total.count + count, minor: total.minor + minor });
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}

export type OverviewQuery = z.infer<typeof overviewQuerySchema>;
