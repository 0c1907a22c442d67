import { Prisma } from "@prisma/client";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import { describeError } from "../../observability/describe-error";
import type { ProviderNotification } from "../../providers/payment-provider";
import type { ProviderRegistry } from "../../providers/provider-registry.server";
import { InvalidTransitionError } from "../rules/follow-up-transitions";
import { applyChargeResult, applyFollowUpResult, type ProcessingPolicy } from "./payment-charging.server";

/**
 * A provider's notification (webhook), from the raw request to its effect:
 * the account it names must be connected, its signature must verify, it is
 * applied once per event id, and what it applies is the CURRENT state the
 * provider reports for its object, through the same outcome functions (and so
 * the same transition rules and outbox) as every other answer. A repeat or an
 * older event can then only repeat an outcome, which the rules make a no-op.
 */
export type NotificationReceipt =
  | { outcome: "applied" | "duplicate" | "ignored"; eventId: string; type: string; reason?: string }
  | { outcome: "unknown-account" };

export class UnknownProviderAccountError extends Error {
  override name = "UnknownProviderAccountError";
}

export interface ProviderNotificationInput {
  providerName: string;
  accountId: string;
  rawBody: string;
  headers: Headers;
}

export async function receiveProviderNotification(db: Db, providers: ProviderRegistry, policy: ProcessingPolicy, input: ProviderNotificationInput, now = new Date()): Promise<NotificationReceipt> {
  const found = await providers.forAccount(input.accountId, input.providerName);
  const read = found?.provider.readNotification?.bind(found.provider);
  if (!found || !read) throw new UnknownProviderAccountError(`No connected ${input.providerName} account ${input.accountId}.`);
  const { provider, account } = found;
  // Throws ProviderSignatureError before anything is read further.
  const notification = await read({ rawBody: input.rawBody, headers: input.headers });
  // Claimed before it is applied, so two deliveries of one event at once apply
  // it once; a failed application gives the claim back for the provider's retry
  // (and should that be lost too, the worker's reconciliation reads the state).
  const key = { provider_eventId: { provider: provider.name, eventId: notification.eventId } };
  try {
    await db.providerEvent.create({ data: { provider: provider.name, eventId: notification.eventId, accountId: account.accountId, shop: account.shop, type: notification.type } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { outcome: "duplicate", eventId: notification.eventId, type: notification.type };
    }
    throw error;
  }
  let reason: string | null;
  try {
    reason = await applyNotification(db, provider.name, account.shop, notification, policy, now);
  } catch (error) {
    await db.providerEvent.delete({ where: key }).catch(() => undefined);
    throw error;
  }
  return { outcome: reason ? "ignored" : "applied", eventId: notification.eventId, type: notification.type, ...(reason ? { reason } : {}) };
}

/** Applies one notification; answers why nothing was applied, or null when it was. */
async function applyNotification(db: Db, providerName: string, shop: string, notification: ProviderNotification, policy: ProcessingPolicy, now: Date): Promise<string | null> {
  if (notification.about === "nothing") return "not an event the app acts on";
  try {
    if (notification.about === "charge") {
      // Only a payment of the account's own shop, charged through this provider.
      const payment = await db.paymentSession.findFirst({ where: { id: notification.paymentId, shop, providerName } });
      if (!payment) return "no payment of this shop and provider";
      if (notification.result.status === "unknown") return "the provider's state could not be read; reconciliation asks again";
      await applyChargeResult(db, payment, notification.result, policy, now);
      return null;
    }
    const where = { id: notification.operationId, shop };
    const row =
      notification.operation === "refund"
        ? await db.refundSession.findFirst({ where, select: { id: true } })
        : notification.operation === "capture"
          ? await db.captureSession.findFirst({ where, select: { id: true } })
          : await db.voidSession.findFirst({ where, select: { id: true } });
    if (!row) return `no ${notification.operation} of this shop`;
    await applyFollowUpResult(db, notification.operation, row.id, notification.result, now);
    return null;
  } catch (error) {
    // A final outcome cannot change (e.g. an authorization released after the
    // payment was resolved): the provider's later state is noted, not applied.
    if (error instanceof InvalidTransitionError) {
      logger.info({ eventId: notification.eventId, type: notification.type, err: describeError(error) }, "provider event after a final outcome");
      return "the session already has a final outcome";
    }
    throw error;
  }
}
