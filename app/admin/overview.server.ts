import type { Prisma } from "@prisma/client";
import { type z } from "zod";
import type { Db } from "../db.server";
import { formatAmount } from "../payments/money";
import type { PiiKeyring } from "../privacy/pii-crypto.server";
import { ATTENTION_WINDOW_MS, expiringAuthorizationWhere } from "./needs-attention.server";
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
  /** From the payment's arrival until Shopify accepted its outcome, over the range's latest outcomes. */
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
  const filters = await paymentFilterWhere(db, shop, { ...query, from, to }, { now, linkTtlHours, keyring });
  const where: Prisma.PaymentSessionWhereInput = { shop, AND: [filters] };
  const dayStarts: Date[] = [];
  for (let time = Date.parse(`${from}T00:00:00.000Z`); time <= Date.parse(`${to}T00:00:00.000Z`); time += DAY_MS) dayStarts.push(new Date(time));

  // One grouped query per day: each is a range on [shop, receivedAt, id] or
  // [shop, currency, receivedAt], and the same Prisma on SQLite and PostgreSQL
  // (day truncation is not, and would need two dialects of SQL).
  const perDay = await Promise.all(
    dayStarts.map((start) =>
      db.paymentSession.groupBy({ by: ["currency"], where: { AND: [where, { receivedAt: { gte: start, lt: new Date(start.getTime() + DAY_MS) } }] }, _count: { _all: true }, _sum: { amountMinor: true } }),
    ),
  );
  const [statuses, outcomes, deliveries, pending, pendingSoon, authorizationsSoon] = await Promise.all([
    db.paymentSession.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db.delivery.findMany({
      where: { shop, status: "SUCCEEDED", operation: { in: ["PAYMENT_RESOLVE", "PAYMENT_REJECT"] }, paymentSession: where },
      select: { succeededAt: true, paymentSession: { select: { receivedAt: true } } },
      orderBy: { createdAt: "desc" },
      take: TIME_SAMPLE,
    }),
    db.delivery.groupBy({ by: ["status"], where: { shop, status: { in: ["PENDING", "DEAD", "FAILED"] }, attempts: { gt: 0 } }, _count: { _all: true } }),
    db.paymentSession.count({ where: { shop, status: "PENDING" } }),
    db.paymentSession.count({ where: { shop, status: "PENDING", pendingExpiresAt: { lte: new Date(now.getTime() + ATTENTION_WINDOW_MS) } } }),
    db.paymentSession.count({ where: expiringAuthorizationWhere(shop, now) }),
  ]);

  const currencies = [...new Set(perDay.flatMap((groups) => groups.map((group) => group.currency)))].sort();
  const totalMinor = new Map<string, { count: number; minor: bigint }>();
  const days: DayFigures[] = perDay.map((groups, index) => {
    const byCurrency: DayFigures["byCurrency"] = {};
    for (const group of groups) {
      const minor = group._sum.amountMinor ?? 0n;
      byCurrency[group.currency] = { count: group._count._all, volume: formatAmount({ minor, currency: group.currency }) };
      const total = totalMinor.get(group.currency) ?? { count: 0, minor: 0n };
      totalMinor.set(group.currency, { count: total.count + group._count._all, minor: total.minor + minor });
    }
    return { day: dayStarts[index]!.toISOString().slice(0, 10), byCurrency };
  });

  const count = (status: string) => statuses.find((group) => group.status === status)?._count._all ?? 0;
  const resolved = count("RESOLVED");
  const rejected = count("REJECTED");
  const durations = outcomes.flatMap((row) => (row.succeededAt && row.paymentSession ? [row.succeededAt.getTime() - row.paymentSession.receivedAt.getTime()] : [])).sort((a, b) => a - b);
  const deliveryCount = (status: string) => deliveries.find((group) => group.status === status)?._count._all ?? 0;

  return {
    from,
    to,
    days,
    currencies,
    totals: {
      payments: statuses.reduce((sum, group) => sum + group._count._all, 0),
      byCurrency: Object.fromEntries([...totalMinor].map(([currency, total]) => [currency, { count: total.count, volume: formatAmount({ minor: total.minor, currency }) }])),
    },
    approvalRate: resolved + rejected > 0 ? resolved / (resolved + rejected) : null,
    finished: { resolved, rejected },
    timeToOutcome: { count: durations.length, medianMs: percentile(durations, 0.5), p90Ms: percentile(durations, 0.9) },
    deliveries: { retrying: deliveryCount("PENDING"), dead: deliveryCount("DEAD"), failed: deliveryCount("FAILED") },
    deadlines: { pending, pendingExpiringSoon: pendingSoon, authorizationsExpiringSoon: authorizationsSoon },
  };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}

export type OverviewQuery = z.infer<typeof overviewQuerySchema>;
