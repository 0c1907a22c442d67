import type { AttemptOutcome, Delivery, DeliveryOperation } from "@prisma/client";
import type { Db } from "../db.server";
import type { MutationOutcome } from "../shopify/payments-apps/outcome";
import { deliveryVariables, type DeliveryVariables } from "./delivery-variables.server";
import { retryDelayMs, type RetryPolicy } from "./retry-schedule";

/** Sends one mutation for a shop; the Payments Apps client behind it classifies the answer. */
export type SendMutation = (operation: DeliveryOperation, variables: DeliveryVariables) => Promise<MutationOutcome<unknown>>;

/** What the worker needs to reach Shopify for a shop: its token and API version. */
export interface ShopChannel {
  apiVersion: string;
  send: SendMutation;
}

export type ChannelFor = (shop: string) => Promise<ShopChannel | null>;

export interface SendResult {
  outcome: AttemptOutcome;
  status: Delivery["status"];
}

/**
 * One attempt at a claimed delivery, and its consequences:
 * success → SUCCEEDED (and the buyer's next URL kept on the payment);
 * userErrors or a definitive failure → FAILED, not retried;
 * retryable → the next attempt per the schedule, or DEAD when it is exhausted;
 * token refused → the shop is marked as needing a reinstall and its deliveries wait.
 * Every attempt is logged in DeliveryAttempt. Writes are guarded by the lease, so
 * a worker whose lease expired cannot overwrite the work of the one that took over.
 */
export async function sendDelivery(db: Db, delivery: Delivery, owner: string, channelFor: ChannelFor, policy: RetryPolicy, now: () => Date = () => new Date()): Promise<SendResult> {
  const startedAt = now();
  const channel = await channelFor(delivery.shop);
  if (!channel) {
    await markShopNeedsReinstall(db, delivery.shop, startedAt);
    return settle(db, delivery, owner, startedAt, { outcome: "AUTH_FAILURE", detail: "no offline access token for this shop", httpStatus: null }, { status: "PENDING", nextAttemptAt: startedAt, attempts: delivery.attempts });
  }
  const variables = await deliveryVariables(db, delivery, channel.apiVersion);
  const result = await channel.send(delivery.operation, variables);
  const attempts = delivery.attempts + 1;
  const finishedAt = now();

  switch (result.kind) {
    case "success": {
      const stateCode = readStateCode(result.payload);
      const redirectUrl = readRedirectUrl(result.payload);
      if (delivery.paymentSessionId && redirectUrl) {
        await db.paymentSession.update({ where: { id: delivery.paymentSessionId }, data: { nextActionUrl: redirectUrl } });
      }
      return settle(db, delivery, owner, startedAt, { outcome: "SUCCESS", detail: stateCode, httpStatus: 200 }, {
        status: "SUCCEEDED", attempts, succeededAt: finishedAt, resultStateCode: stateCode, lastError: null,
      });
    }
    case "user-errors": {
      const detail = result.userErrors.map((e) => `${e.code ?? "USER_ERROR"}: ${e.message}`).join("; ");
      return settle(db, delivery, owner, startedAt, { outcome: "USER_ERRORS", detail, httpStatus: 200 }, {
        status: "FAILED", attempts, failedAt: finishedAt, lastError: detail,
      });
    }
    case "failed":
      return settle(db, delivery, owner, startedAt, { outcome: "FAILED", detail: result.reason, httpStatus: result.status }, {
        status: "FAILED", attempts, failedAt: finishedAt, lastError: result.reason,
      });
    case "auth-failure":
      await markShopNeedsReinstall(db, delivery.shop, finishedAt);
      // Not the delivery's fault: it waits, attempts untouched, until the shop reinstalls.
      return settle(db, delivery, owner, startedAt, { outcome: "AUTH_FAILURE", detail: result.message, httpStatus: result.status }, {
        status: "PENDING", attempts: delivery.attempts, nextAttemptAt: finishedAt, lastError: `Shopify refused the shop's token (${result.status}); reinstall needed`,
      });
    case "retryable": {
      const delay = retryDelayMs(policy, attempts, result.retryAfterMs ?? 0);
      const detail = result.reason;
      if (delay === null) {
        return settle(db, delivery, owner, startedAt, { outcome: "RETRYABLE", detail, httpStatus: result.status }, {
          status: "DEAD", attempts, failedAt: finishedAt, lastError: `gave up after ${attempts} attempts: ${detail}`,
        });
      }
      return settle(db, delivery, owner, startedAt, { outcome: "RETRYABLE", detail, httpStatus: result.status }, {
        status: "PENDING", attempts, nextAttemptAt: new Date(finishedAt.getTime() + delay), lastError: detail,
      });
    }
  }
}

interface AttemptRecord {
  outcome: AttemptOutcome;
  detail: string | null;
  httpStatus: number | null;
}

async function settle(
  db: Db,
  delivery: Delivery,
  owner: string,
  startedAt: Date,
  attempt: AttemptRecord,
  update: Partial<Pick<Delivery, "status" | "attempts" | "nextAttemptAt" | "lastError" | "succeededAt" | "failedAt" | "resultStateCode">>,
): Promise<SendResult> {
  const durationMs = Date.now() - startedAt.getTime();
  await db.$transaction(async (tx) => {
    const written = await tx.delivery.updateMany({
      where: { id: delivery.id, leaseOwner: owner, status: "PENDING" },
      data: { ...update, leaseOwner: null, leaseExpiresAt: null },
    });
    // Lost the lease meanwhile: another worker owns the delivery now; record nothing.
    if (written.count === 0) return;
    await tx.deliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        number: update.attempts ?? delivery.attempts,
        startedAt,
        durationMs,
        outcome: attempt.outcome,
        httpStatus: attempt.httpStatus,
        detail: attempt.detail?.slice(0, 1000) ?? null,
      },
    });
  });
  return { outcome: attempt.outcome, status: update.status ?? delivery.status };
}

async function markShopNeedsReinstall(db: Db, shop: string, at: Date): Promise<void> {
  await db.shop.updateMany({ where: { domain: shop, needsReinstallAt: null }, data: { needsReinstallAt: at } });
}

/** Makes a dead or failed delivery due again now (staff "retry now"). */
export async function retryDeliveryNow(db: Db, shop: string, deliveryId: string, now = new Date()): Promise<boolean> {
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

function readStateCode(payload: unknown): string | null {
  const session = sessionOf(payload);
  const state = session?.state as { code?: unknown } | undefined;
  return typeof state?.code === "string" ? state.code : null;
}

function readRedirectUrl(payload: unknown): string | null {
  const session = sessionOf(payload) as { nextAction?: { context?: { redirectUrl?: unknown } } | null } | null;
  const url = session?.nextAction?.context?.redirectUrl;
  return typeof url === "string" ? url : null;
}

function sessionOf(payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== "object" || payload === null) return null;
  for (const key of ["paymentSession", "refundSession", "captureSession", "voidSession"]) {
    const value = (payload as Record<string, unknown>)[key];
    if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  }
  return null;
}
