import type { PaymentSession } from "@prisma/client";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import type { ChargeResult, FollowUpResult, HostedPageContext } from "../../providers/payment-provider";
import type { ProviderRegistry } from "../../providers/provider-registry.server";
import { applyFollowUpOutcome, type FollowUpKind } from "../outcomes/apply-follow-up-outcome.server";
import { applyCardChargeResult } from "../outcomes/card-outcomes.server";
import { applyPaymentOutcome } from "../outcomes/payment-outcomes.server";
import { callProvider } from "./timed-provider-call.server";
import { describeError } from "../../observability/describe-error";

/**
 * Moving money through the provider and turning its answers into outcomes.
 * Used by the buyer page (charges) and by the worker (follow-ups, status checks
 * of pending or unanswered charges, pending expiry).
 */
export interface ProcessingPolicy {
  providerTimeoutMs: number;
  /** How long an authorization holds; captures after it are refused. */
  authorizationValidityMs: number;
  /** pendingExpiresAt sent to Shopify (≤ 3 days, spec §5.2). */
  pendingExpiryMs: number;
  /** How long before pendingExpiresAt the app gives up on a pending payment and rejects it. */
  pendingSafetyMarginMs: number;
  /** How long to wait before asking again about an unanswered charge or follow-up. */
  recheckMs: number;
}

/** What a provider call that did not answer in time counts as: ask again later. */
function noAnswer(policy: ProcessingPolicy): ChargeResult {
  return { status: "unknown", checkAfter: new Date(Date.now() + policy.recheckMs) };
}

/**
 * When an outcome the provider decided took effect: when its answer came, not
 * when the worker's pass began (the pass's `now`, which may be seconds earlier,
 * would date the outcome before the provider call that produced it). Never
 * before `now`, so an injected clock still rules.
 */
function answeredAt(now: Date): Date {
  return new Date(Math.max(now.getTime(), Date.now()));
}

/** Applies what the provider said about a charge. */
export async function applyChargeResult(db: Db, payment: PaymentSession, result: ChargeResult, policy: ProcessingPolicy, now = new Date()): Promise<PaymentSession> {
  // Cards have their own rules (no pending; 3-D Secure through Shopify's redirect).
  if (payment.paymentMethodType === "credit_card") {
    return applyCardChargeResult(db, payment, result, { threeDSecurePage: null, authorizationValidityMs: policy.authorizationValidityMs }, now);
  }
  switch (result.status) {
    case "approved":
      return applyPaymentOutcome(db, payment.id, {
        kind: "resolve",
        // The provider's own deadline when it tells one (Stripe's capture_before), else the app's policy.
        authorizationExpiresAt: payment.kind === "AUTHORIZATION" ? (result.authorizationExpiresAt ?? new Date(now.getTime() + policy.authorizationValidityMs)) : null,
        providerReference: result.reference,
      }, now);
    case "declined":
      return applyPaymentOutcome(db, payment.id, { kind: "reject", code: result.code, message: result.message, providerReference: result.reference }, now);
    case "pending":
      if (payment.status === "PENDING") {
        return db.paymentSession.update({ where: { id: payment.id }, data: { providerCheckAt: result.checkAfter } });
      }
      return applyPaymentOutcome(db, payment.id, {
        kind: "pend",
        reason: "PARTNER_ACTION_REQUIRED",
        pendingExpiresAt: new Date(now.getTime() + policy.pendingExpiryMs),
        checkAt: result.checkAfter,
        providerReference: result.reference,
      }, now);
    case "challenge":
      return db.paymentSession.update({ where: { id: payment.id }, data: { providerReference: result.reference, providerCheckAt: null } });
    case "redirect":
      // The buyer pays on the provider's page. The return page, a notification
      // or, should both be lost, the worker's next check (reconciliation)
      // learns the outcome from the provider.
      if (payment.status !== "OPEN") return payment;
      return db.paymentSession.update({ where: { id: payment.id }, data: { providerReference: result.reference, providerCheckAt: new Date(now.getTime() + policy.recheckMs) } });
    case "unknown":
      // Never charge again blindly: ask the provider what became of this charge later.
      return db.paymentSession.update({ where: { id: payment.id }, data: { providerCheckAt: result.checkAfter } });
  }
}

/** The buyer pays: one charge through the session's provider, its answer applied. */
export async function chargePayment(
  db: Db,
  providers: ProviderRegistry,
  payment: PaymentSession,
  input: Record<string, string>,
  policy: ProcessingPolicy,
  hosted?: HostedPageContext,
): Promise<{ payment: PaymentSession; result: ChargeResult }> {
  const provider = await providers.forSession(payment);
  if (!provider) {
    const result: ChargeResult = { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "No live payment provider is configured for this app." };
    return { payment: await applyChargeResult(db, payment, result, policy), result };
  }
  const result = await callProvider<ChargeResult>(
    db,
    { shop: payment.shop, paymentSessionId: payment.id, operation: "CHARGE", provider: provider.name },
    () => provider.charge({ paymentId: payment.id, kind: payment.kind, amount: { minor: payment.amountMinor, currency: payment.currency }, test: payment.test, input, ...(hosted ? { hosted } : {}) }),
    policy.providerTimeoutMs,
    () => noAnswer(policy),
  );
  return { payment: await applyChargeResult(db, payment, result, policy), result };
}

/**
 * Asks the provider about payments whose charge is pending or went unanswered,
 * and rejects pending payments that would otherwise outlive their pendingExpiresAt.
 * Each payment is claimed by moving its check time forward (compare-and-set), so
 * two workers never ask about the same payment at once.
 */
export async function checkDuePayments(db: Db, providers: ProviderRegistry, policy: ProcessingPolicy, limit: number, now = new Date()): Promise<number> {
  const due = await db.paymentSession.findMany({
    where: { status: { in: ["OPEN", "PENDING"] }, providerCheckAt: { lte: now } },
    orderBy: { providerCheckAt: "asc" },
    take: limit,
  });
  let handled = 0;
  for (const payment of due) {
    const claimed = await db.paymentSession.updateMany({
      where: { id: payment.id, providerCheckAt: payment.providerCheckAt },
      data: { providerCheckAt: new Date(now.getTime() + policy.recheckMs) },
    });
    if (claimed.count !== 1) continue;
    handled += 1;
    try {
      const provider = await providers.forSession(payment);
      const result = provider
        ? await callProvider<ChargeResult>(
            db,
            { shop: payment.shop, paymentSessionId: payment.id, operation: "CHARGE_STATUS", provider: provider.name },
            () => provider.chargeStatus(payment.id, payment.providerReference),
            policy.providerTimeoutMs,
            () => noAnswer(policy),
          )
        : noAnswer(policy);
      const expiring = payment.pendingExpiresAt && payment.pendingExpiresAt.getTime() - policy.pendingSafetyMarginMs <= now.getTime();
      if (expiring && (result.status === "pending" || result.status === "unknown")) {
        await applyPaymentOutcome(db, payment.id, {
          kind: "reject",
          code: "PROCESSING_ERROR",
          message: "The payment was still pending when its pending period ran out.",
          providerReference: payment.providerReference,
        }, answeredAt(now));
        continue;
      }
      await applyChargeResult(db, payment, result, policy, answeredAt(now));
    } catch (error) {
      logger.error({ paymentId: payment.id, err: describeError(error) }, "payment status check failed; will try again");
    }
  }
  return handled;
}

const FOLLOW_UP_KINDS: readonly FollowUpKind[] = ["capture", "refund", "void"];
const OPERATION = { capture: "CAPTURE", refund: "REFUND", void: "VOID" } as const;

/**
 * Processes refunds, captures and voids that were accepted (RECEIVED) with the
 * provider, then resolves or rejects them with their delivery. Claimed by moving
 * processAfter forward (compare-and-set): a crash leaves the claim to expire and
 * the session is processed again, which the provider's idempotency makes safe.
 */
export async function processDueFollowUps(db: Db, providers: ProviderRegistry, policy: ProcessingPolicy, limit: number, now = new Date()): Promise<number> {
  let handled = 0;
  for (const kind of FOLLOW_UP_KINDS) {
    const rows = await findDue(db, kind, now, limit);
    for (const row of rows) {
      const lease = new Date(now.getTime() + policy.recheckMs);
      const where = { id: row.id, status: "RECEIVED" as const, processAfter: row.processAfter };
      const claimed =
        kind === "refund"
          ? await db.refundSession.updateMany({ where, data: { processAfter: lease } })
          : kind === "capture"
            ? await db.captureSession.updateMany({ where, data: { processAfter: lease } })
            : await db.voidSession.updateMany({ where, data: { processAfter: lease } });
      if (claimed.count !== 1) continue;
      handled += 1;
      try {
        const payment = await db.paymentSession.findUniqueOrThrow({ where: { id: row.paymentSessionId } });
        const provider = await providers.forSession({ shop: row.shop, test: row.test, providerName: payment.providerName });
        const request = { operationId: row.id, paymentId: payment.id, paymentReference: payment.providerReference, test: row.test };
        const money = row.amountMinor !== null && row.currency !== null ? { minor: row.amountMinor, currency: row.currency } : null;
        const result: FollowUpResult = !provider
          ? { status: "declined", message: "No live payment provider is configured for this app." }
          : await callProvider<FollowUpResult>(
              db,
              { shop: payment.shop, paymentSessionId: payment.id, followUpGid: row.gid, operation: OPERATION[kind], provider: provider.name },
              () =>
                kind === "void"
                  ? provider.void(request)
                  : kind === "capture"
                    ? provider.capture({ ...request, amount: money ?? { minor: 0n, currency: payment.currency } })
                    : provider.refund({ ...request, amount: money ?? { minor: 0n, currency: payment.currency } }),
              policy.providerTimeoutMs,
              () => ({ status: "unknown" }),
            );
        if (result.status === "pending") {
          // Accepted; the provider decides later (a refund the bank settles): the
          // same call asks again at checkAfter, or a notification settles it first.
          await markProviderPending(db, kind, row.id, result.reference, result.checkAfter);
        } else if (result.status === "approved" || result.status === "declined") {
          await applyFollowUpResult(db, kind, row.id, result, answeredAt(now));
        } else {
          // unknown: the claim expires and the same call is made again; meanwhile staff may settle it.
          await markProviderUndecided(db, kind, row.id, answeredAt(now));
        }
      } catch (error) {
        logger.error({ kind, id: row.id, err: describeError(error) }, "follow-up processing failed; will try again");
      }
    }
  }
  return handled;
}

/** Applies a provider's decision on a refund, capture or void (from the worker or a notification). */
export async function applyFollowUpResult(db: Db, kind: FollowUpKind, id: string, result: FollowUpResult, at: Date): Promise<void> {
  if (result.status === "approved") {
    await applyFollowUpOutcome(db, kind, id, { kind: "resolve", providerReference: result.reference }, at);
  } else if (result.status === "declined") {
    await applyFollowUpOutcome(db, kind, id, { kind: "reject", code: "PROCESSING_ERROR", message: result.message }, at);
  } else if (result.status === "pending") {
    await markProviderPending(db, kind, id, result.reference, result.checkAfter);
  }
}

async function markProviderPending(db: Db, kind: FollowUpKind, id: string, reference: string, checkAfter: Date): Promise<void> {
  const where = { id, status: "RECEIVED" as const };
  const data = { providerReference: reference, processAfter: checkAfter };
  if (kind === "refund") await db.refundSession.updateMany({ where, data });
  else if (kind === "capture") await db.captureSession.updateMany({ where, data });
  else await db.voidSession.updateMany({ where, data });
}

/**
 * The provider gave no decision: the session now waits for staff as well as for
 * the next try ("needs attention"). The first time is kept.
 */
async function markProviderUndecided(db: Db, kind: FollowUpKind, id: string, at: Date): Promise<void> {
  const where = { id, status: "RECEIVED" as const, providerUndecidedAt: null };
  const data = { providerUndecidedAt: at };
  if (kind === "refund") await db.refundSession.updateMany({ where, data });
  else if (kind === "capture") await db.captureSession.updateMany({ where, data });
  else await db.voidSession.updateMany({ where, data });
}

interface DueFollowUp {
  id: string;
  shop: string;
  gid: string;
  paymentSessionId: string;
  test: boolean;
  processAfter: Date;
  amountMinor: bigint | null;
  currency: string | null;
}

async function findDue(db: Db, kind: FollowUpKind, now: Date, limit: number): Promise<DueFollowUp[]> {
  const where = { status: "RECEIVED" as const, processAfter: { lte: now } };
  const orderBy = { processAfter: "asc" as const };
  if (kind === "void") {
    const rows = await db.voidSession.findMany({ where, orderBy, take: limit, select: { id: true, shop: true, gid: true, paymentSessionId: true, test: true, processAfter: true } });
    return rows.map((row) => ({ ...row, amountMinor: null, currency: null }));
  }
  const select = { id: true, shop: true, gid: true, paymentSessionId: true, test: true, processAfter: true, amountMinor: true, currency: true } as const;
  return kind === "refund"
    ? db.refundSession.findMany({ where, orderBy, take: limit, select })
    : db.captureSession.findMany({ where, orderBy, take: limit, select });
}
