import { Prisma, type AttemptOutcome, type Delivery, type DeliveryStatus } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import { logger } from "../logger.server";
import { countDeliveryAttempts } from "../observability/metrics.server";
import { DELIVERY_OPERATIONS } from "../payments/rules/delivery-operations";
import type { PaymentsAppsClient } from "../shopify/payments-apps/client.server";
import type { PrepareFor } from "./delivery-variables.server";
import { retryDelayMs, type RetryPolicy } from "./retry-schedule";

/** What the worker needs to reach Shopify for a shop: its API version and a client with its token. */
export interface ShopChannel {
  apiVersion: string;
  /** Sends one mutation; the Payments Apps client classifies the answer. */
  client: Pick<PaymentsAppsClient, "send">;
}

export type ChannelFor = (shop: string) => Promise<ShopChannel | null>;

/**
 * The result of one attempt, to be written. Attempts of a batch run concurrently
 * and are written together (settleAttempts): one transaction for the batch
 * instead of one per delivery, which is what lets a single SQLite writer keep up.
 */
export interface Settlement {
  delivery: Delivery;
  startedAt: Date;
  durationMs: number;
  outcome: AttemptOutcome;
  httpStatus: number | null;
  detail: string | null;
  status: DeliveryStatus;
  /** The attempt counts toward the schedule (not when the shop's token was the problem). */
  counted: boolean;
  nextAttemptAt?: Date;
  lastError: string | null;
  resultStateCode?: string | null;
  /** nextAction.context.redirectUrl, for the buyer's payment page. */
  redirectUrl?: string | null;
  /** Shopify refused the shop's token: hold its deliveries until it reinstalls. */
  shopNeedsReinstall?: boolean;
}

/**
 * One attempt at a claimed delivery, and what it means:
 * success → SUCCEEDED; userErrors or a definitive failure → FAILED, never retried;
 * retryable → the next attempt per the schedule (honouring Shopify's wait), or
 * DEAD when the schedule is exhausted; token refused → the shop needs a reinstall
 * and the delivery waits without using up an attempt.
 */
export async function attemptDelivery(delivery: Delivery, channelFor: ChannelFor, prepareFor: PrepareFor, policy: RetryPolicy): Promise<Settlement> {
  const startedAt = new Date();
  const base = { delivery, startedAt, httpStatus: null, counted: true, lastError: null } as const;
  const channel = await channelFor(delivery.shop);
  if (!channel) {
    return { ...base, durationMs: 0, outcome: "AUTH_FAILURE", detail: "no offline access token for this shop", status: "PENDING", counted: false, nextAttemptAt: startedAt, lastError: "no offline access token for this shop; reinstall needed", shopNeedsReinstall: true };
  }
  const result = await prepareFor(delivery, channel.apiVersion).send(channel.client);
  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - startedAt.getTime();
  const attempts = delivery.attempts + 1;

  switch (result.kind) {
    case "success": {
      const session = sessionOf(delivery, result.payload);
      return { ...base, durationMs, outcome: "SUCCESS", httpStatus: 200, detail: readStateCode(session), status: "SUCCEEDED", resultStateCode: readStateCode(session), redirectUrl: readRedirectUrl(session) };
    }
    case "user-errors": {
      const detail = result.userErrors.map((e) => `${e.code ?? "USER_ERROR"}: ${e.message}`).join("; ");
      return { ...base, durationMs, outcome: "USER_ERRORS", httpStatus: 200, detail, status: "FAILED", lastError: detail };
    }
    case "failed":
      return { ...base, durationMs, outcome: "FAILED", httpStatus: result.status, detail: result.reason, status: "FAILED", lastError: result.reason };
    case "auth-failure":
      return {
        ...base, durationMs, outcome: "AUTH_FAILURE", httpStatus: result.status, detail: result.message, status: "PENDING", counted: false,
        nextAttemptAt: finishedAt, lastError: `Shopify refused the shop's token (${result.status}); reinstall needed`, shopNeedsReinstall: true,
      };
    case "retryable": {
      const delay = retryDelayMs(policy, attempts, result.retryAfterMs ?? 0);
      if (delay === null) {
        return { ...base, durationMs, outcome: "RETRYABLE", httpStatus: result.status, detail: result.reason, status: "DEAD", lastError: `gave up after ${attempts} attempts: ${result.reason}` };
      }
      return { ...base, durationMs, outcome: "RETRYABLE", httpStatus: result.status, detail: result.reason, status: "PENDING", nextAttemptAt: new Date(finishedAt.getTime() + delay), lastError: result.reason };
    }
  }
}

/**
 * Writes a batch of attempts in one transaction. Only deliveries this worker
 * still holds the lease of are written: one whose lease expired meanwhile belongs
 * to another worker now, and this attempt is forgotten (Shopify's idempotency
 * makes the double send harmless). Returns how many were written.
 */
export async function settleAttempts(db: Db, owner: string, settlements: readonly Settlement[]): Promise<number> {
  if (settlements.length === 0) return 0;
  const now = new Date();
  const written = await db.$transaction(async (tx) => {
    const ids = settlements.map((s) => s.delivery.id);
    // Write first (app/db/write-first.ts): it merely stretches our own leases while we write.
    await tx.delivery.updateMany({ where: { id: { in: ids }, leaseOwner: owner }, data: { leaseExpiresAt: new Date(now.getTime() + 60_000) } });
    const held = await tx.delivery.findMany({ where: { id: { in: ids }, leaseOwner: owner, status: "PENDING" }, select: { id: true } });
    const mine = new Set(held.map((row) => row.id));
    const kept = settlements.filter((s) => mine.has(s.delivery.id));
    if (kept.length === 0) return kept;

    // Most attempts of a batch end alike (succeeded, state RESOLVED): one statement per group.
    const groups = new Map<string, Settlement[]>();
    for (const s of kept) {
      const key = s.status === "PENDING" ? `pending:${s.delivery.id}` : JSON.stringify([s.status, s.counted, s.lastError, s.resultStateCode ?? null]);
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      await tx.delivery.updateMany({
        where: { id: { in: group.map((s) => s.delivery.id) }, leaseOwner: owner },
        data: {
          status: first.status,
          attempts: first.counted ? { increment: 1 } : undefined,
          nextAttemptAt: first.nextAttemptAt,
          lastError: first.lastError,
          resultStateCode: first.resultStateCode,
          succeededAt: first.status === "SUCCEEDED" ? now : undefined,
          failedAt: first.status === "FAILED" || first.status === "DEAD" ? now : undefined,
          leaseOwner: null,
          leaseExpiresAt: null,
        },
      });
    }
    await tx.deliveryAttempt.createMany({
      data: kept.map((s) => ({
        deliveryId: s.delivery.id,
        number: s.delivery.attempts + (s.counted ? 1 : 0),
        startedAt: s.startedAt,
        durationMs: s.durationMs,
        outcome: s.outcome,
        httpStatus: s.httpStatus,
        detail: s.detail?.slice(0, 1000) ?? null,
      })),
    });
    const redirects = kept.flatMap((s) => (s.redirectUrl && s.delivery.paymentSessionId ? [[s.delivery.paymentSessionId, s.redirectUrl] as const] : []));
    // One statement per 200 payments (each gets its own URL), within every driver's parameter limit.
    for (let start = 0; start < redirects.length; start += 200) {
      const chunk = redirects.slice(start, start + 200);
      const cases = Prisma.join(chunk.map(([id, url]) => Prisma.sql`WHEN ${id} THEN ${url}`), " ");
      await tx.$executeRaw`UPDATE "PaymentSession" SET "nextActionUrl" = CASE "id" ${cases} END WHERE "id" IN (${Prisma.join(chunk.map(([id]) => id))})`;
    }
    const blocked = [...new Set(kept.filter((s) => s.shopNeedsReinstall).map((s) => s.delivery.shop))];
    if (blocked.length > 0) {
      await tx.shop.updateMany({ where: { domain: { in: blocked }, needsReinstallAt: null }, data: { needsReinstallAt: now } });
      logger.warn({ shops: blocked }, "Shopify refused these shops' access tokens; their deliveries wait until they reinstall the app");
    }
    return kept;
  });
  // Counted once committed: a rolled-back batch is attempted (and counted) again.
  countDeliveryAttempts(written);
  return written.length;
}

/** Makes a dead or failed delivery due again now (staff "retry now"). */
export async function retryDeliveryNow(db: Db | Tx, shop: string, deliveryId: string, now = new Date()): Promise<boolean> {
  const updated = await db.delivery.updateMany({
    where: { id: deliveryId, shop, status: { in: ["DEAD", "FAILED"] } },
    data: { status: "PENDING", attempts: 0, nextAttemptAt: now, failedAt: null, leaseOwner: null, leaseExpiresAt: null },
  });
  return updated.count === 1;
}

/** A shop installed the app again: its held deliveries go out now. */
export async function releaseShopDeliveries(db: Db, shop: string, now = new Date()): Promise<void> {
  await db.$transaction([
    db.shop.updateMany({ where: { domain: shop }, data: { needsReinstallAt: null } }),
    db.delivery.updateMany({ where: { shop, status: "PENDING" }, data: { nextAttemptAt: now } }),
  ]);
}

function readStateCode(session: Record<string, unknown> | null): string | null {
  const state = session?.state as { code?: unknown } | undefined;
  return typeof state?.code === "string" ? state.code : null;
}

function readRedirectUrl(session: Record<string, unknown> | null): string | null {
  const url = (session as { nextAction?: { context?: { redirectUrl?: unknown } } | null } | null)?.nextAction?.context?.redirectUrl;
  return typeof url === "string" ? url : null;
}

/** The session in the mutation's payload: `paymentSession`, `refundSession`, … after the operation's session kind. */
function sessionOf(delivery: Delivery, payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== "object" || payload === null) return null;
  const value = (payload as Record<string, unknown>)[`${DELIVERY_OPERATIONS[delivery.operation].session}Session`];
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}
