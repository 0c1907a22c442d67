import type { PaymentSession } from "@prisma/client";
import type { Db } from "../../db.server";
import { enqueueDelivery } from "./outcome-outbox.server";
import type { CardChargeResult, ChargeResult } from "../../providers/payment-provider";
import { applyPaymentOutcome } from "./payment-outcomes.server";

/**
 * What a provider's answer about a card means for the payment (spec §1.2):
 * approved → resolve, or, after a 3-D Secure redirect, paymentSessionConfirm
 * first (the confirmation callback then resolves or rejects); declined → reject
 * with the provider's reason; a challenge → paymentSessionRedirect to the app's
 * 3-D Secure page; no answer → ask the provider later, never charge again.
 * Pending does not exist for cards (Shopify refuses paymentSessionPending), so a
 * provider's "pending" is asked about again like an unanswered call. Every report
 * to Shopify goes through the outbox, in the transaction of the state it reports.
 */
export interface CardOutcomeContext {
  /** The absolute URL of the app's 3-D Secure page for this payment (a relative challenge URL is resolved against it). */
  threeDSecurePage: ((payment: PaymentSession, providerUrl: string) => string) | null;
  authorizationValidityMs: number;
}

export async function applyCardChargeResult(
  db: Db,
  payment: PaymentSession,
  result: CardChargeResult | ChargeResult,
  context: CardOutcomeContext,
  now = new Date(),
): Promise<PaymentSession> {
  const authentication = "authentication" in result && result.authentication ? JSON.stringify(result.authentication) : null;
  switch (result.status) {
    case "approved": {
      if (payment.threeDSecureRedirectUrl) return requestConfirmation(db, payment, result.reference, authentication, now);
      return applyPaymentOutcome(db, payment.id, {
        kind: "resolve",
        authorizationExpiresAt: payment.kind === "AUTHORIZATION" ? new Date(now.getTime() + context.authorizationValidityMs) : null,
        providerReference: result.reference,
      }, now);
    }
    case "declined":
      if (authentication && payment.threeDSecureRedirectUrl) {
        await db.paymentSession.updateMany({ where: { id: payment.id, status: "OPEN" }, data: { threeDSecureAuthentication: authentication } });
      }
      return applyPaymentOutcome(db, payment.id, { kind: "reject", code: result.code, message: result.message, providerReference: result.reference }, now);
    case "challenge": {
      if (payment.threeDSecureRedirectUrl) return payment;
      if (!context.threeDSecurePage) {
        // Found by a status check after the charging process died: the buyer has
        // long left the 3-D Secure moment; nothing was charged.
        return applyPaymentOutcome(db, payment.id, {
          kind: "reject",
          code: "PROCESSING_ERROR",
          message: "3-D Secure could not be started for this card payment.",
          providerReference: result.reference,
        }, now);
      }
      return requestRedirect(db, payment, result.reference, context.threeDSecurePage(payment, result.url), now);
    }
    case "pending":
    case "unknown":
      return db.paymentSession.update({ where: { id: payment.id }, data: { providerCheckAt: result.checkAfter } });
    case "redirect":
      // A provider's hosted page is for offsite payments: the card buyer is still in
      // Shopify's checkout and only a 3-D Secure challenge may take them away.
      return applyPaymentOutcome(db, payment.id, {
        kind: "reject",
        code: "PROCESSING_ERROR",
        message: "The provider asked to send a card buyer to its own page; card payments stay in Shopify's checkout.",
        providerReference: result.reference,
      }, now);
  }
}

/** paymentSessionRedirect(id, the 3-D Secure page), recorded once with its delivery. */
async function requestRedirect(db: Db, payment: PaymentSession, reference: string, redirectUrl: string, now: Date): Promise<PaymentSession> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.paymentSession.updateMany({
      where: { id: payment.id, status: "OPEN", threeDSecureRedirectUrl: null },
      data: { threeDSecureRedirectUrl: redirectUrl, providerReference: reference, providerCheckAt: null },
    });
    if (claimed.count === 1) {
      await enqueueDelivery(tx, "PAYMENT_REDIRECT", payment, now);
    }
    return tx.paymentSession.findUniqueOrThrow({ where: { id: payment.id } });
  });
}

/**
 * The card passed 3-D Secure and the provider approved it: Shopify confirms the
 * order can still be fulfilled (oversell protection) before the payment resolves.
 */
async function requestConfirmation(db: Db, payment: PaymentSession, reference: string, authentication: string | null, now: Date): Promise<PaymentSession> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.paymentSession.updateMany({
      where: { id: payment.id, status: "OPEN", confirmRequestedAt: null },
      data: { confirmRequestedAt: now, providerReference: reference, providerCheckAt: null, ...(authentication ? { threeDSecureAuthentication: authentication } : {}) },
    });
    if (claimed.count === 1) {
      await enqueueDelivery(tx, "PAYMENT_CONFIRM", payment, now);
    }
    return tx.paymentSession.findUniqueOrThrow({ where: { id: payment.id } });
  });
}
