import type { PaymentSession } from "@prisma/client";
import { decryptCard, describeCardDecryptionFailure } from "../../cards/card-decryption.server";
import type { CardKeyring } from "../../cards/card-keyring.server";
import type { Card } from "../../cards/card.server";
import type { EncryptedCard } from "../../cards/encrypted-card";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import { describeError } from "../../observability/describe-error";
import { cardPaymentsOf, type CardChargeResult, type ClientDetails } from "../../providers/payment-provider";
import type { ProviderRegistry } from "../../providers/provider-registry.server";
import { buyerPaymentUrl, type BuyerLinkConfig } from "../rules/buyer-link-token.server";
import { applyCardChargeResult, type CardOutcomeContext } from "../outcomes/card-outcomes.server";
import { applyPaymentOutcome } from "../outcomes/payment-outcomes.server";
import { callProvider } from "./timed-provider-call.server";
import type { ProcessingPolicy } from "./payment-charging.server";

/**
 * Onsite credit card payments (issue 13, spec §1.2, §3.3). Shopify sends the card
 * encrypted in the payment session request; the app answers 201 once the session
 * is recorded and the card decrypted, and charges it right away in the same
 * process. The card is never stored, so these rules keep a payment from being
 * lost or charged twice:
 *
 * 1. Claim before charging: the payment is claimed (cardChargeClaimedAt, with the
 *    card's summary and a provider check time) by one compare-and-set before the
 *    provider sees the card. Only the claimer charges; a retried request (Shopify
 *    retries until it gets a 2xx) whose payment was claimed changes nothing.
 * 2. Died after the claim: the check time brings the worker to ask the provider
 *    what became of the charge (idempotent by the payment id). A charge the
 *    provider never received is declined as a processing error; one it decided is
 *    applied. Nothing is ever charged again without the card.
 * 3. Died before the claim: a retry of the request (carrying the card again)
 *    claims and charges; without one, the worker rejects the payment with a
 *    processing error once UNCLAIMED_CARD_GRACE_MS has passed (the buyer can pay
 *    again at checkout).
 * 4. A payload that does not decrypt is rejected (PROCESSING_ERROR) with a log
 *    line naming the reason, never the payload.
 */
export const UNCLAIMED_CARD_GRACE_MS = 5 * 60_000;

export interface CardPaymentServices {
  db: Db;
  providers: ProviderRegistry;
  /** CARD_DECRYPTION_KEY_FILE's keys; null when the variable is not set (cards are then rejected). */
  keyring: CardKeyring | null;
  buyerLink: BuyerLinkConfig;
  policy: ProcessingPolicy;
}

export interface ReceivedCard {
  encrypted: EncryptedCard;
  moto: boolean;
  clientDetails: ClientDetails | null;
}

/** The context card outcomes need: where the 3-D Secure page of a payment is. */
export function cardOutcomeContext(buyerLink: BuyerLinkConfig, policy: ProcessingPolicy): CardOutcomeContext {
  return {
    // The provider's challenge URL is relative to the buyer's payment link (/pay/{token}/challenge).
    threeDSecurePage: (payment, providerUrl) => new URL(providerUrl, `${buyerPaymentUrl(buyerLink, payment)}/`).toString(),
    authorizationValidityMs: policy.authorizationValidityMs,
  };
}

/**
 * Decrypts the card of a recorded payment session and claims the payment for
 * charging (rules 1 and 4). Returns the charge to run, or null when there is
 * nothing to charge (another request claimed it, or it was rejected). The
 * caller answers Shopify, then runs it; the Card lives only in its closure.
 */
export async function claimCardPayment(services: CardPaymentServices, paymentId: string, received: ReceivedCard, now = new Date()): Promise<(() => Promise<PaymentSession>) | null> {
  const { db } = services;
  const payment = await db.paymentSession.findUniqueOrThrow({ where: { id: paymentId } });
  if (payment.status !== "OPEN" || payment.cardChargeClaimedAt) return null;

  const decrypted = services.keyring ? decryptCard(services.keyring, received.encrypted) : null;
  if (!decrypted?.ok) {
    const reason = decrypted ? describeCardDecryptionFailure(decrypted.reason) : "CARD_DECRYPTION_KEY_FILE is not set: the app has no key to decrypt cards";
    const claimed = await db.paymentSession.updateMany({ where: { id: payment.id, status: "OPEN", cardChargeClaimedAt: null }, data: { cardChargeClaimedAt: now } });
    if (claimed.count !== 1) return null;
    logger.warn({ shop: payment.shop, paymentId: payment.id, reason: decrypted?.reason ?? "no_key" }, `card payment rejected: ${reason}`);
    await applyPaymentOutcome(db, payment.id, {
      kind: "reject",
      code: "PROCESSING_ERROR",
      message: "The card could not be read (decryption failed); the buyer was not charged.",
      providerReference: null,
    }, now);
    return null;
  }

  const card = decrypted.card;
  const summary = card.summary();
  const provider = await services.providers.forSession(payment);
  const claimed = await db.paymentSession.updateMany({
    where: { id: payment.id, status: "OPEN", cardChargeClaimedAt: null },
    data: {
      cardChargeClaimedAt: now,
      cardBrand: summary.brand,
      cardLast4: summary.last4,
      cardExpiryMonth: summary.expiryMonth,
      cardExpiryYear: summary.expiryYear,
      cardInitials: summary.initials,
      providerName: provider?.name ?? "none",
      // Rule 2: should this process die with the card, the worker asks the provider.
      providerCheckAt: new Date(now.getTime() + services.policy.providerTimeoutMs + services.policy.recheckMs),
    },
  });
  if (claimed.count !== 1) return null;
  return () => chargeCard(services, paymentId, card, received);
}

/** Runs a claimed charge: the card to the provider, the answer applied. */
async function chargeCard(services: CardPaymentServices, paymentId: string, card: Card, received: ReceivedCard): Promise<PaymentSession> {
  const { db, policy } = services;
  const payment = await db.paymentSession.findUniqueOrThrow({ where: { id: paymentId } });
  const provider = await services.providers.forSession(payment);
  const cards = cardPaymentsOf(provider);
  const result: CardChargeResult =
    !provider || !cards
      ? { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "No payment provider that processes cards is configured for this app." }
      : await callProvider<CardChargeResult>(
          db,
          { shop: payment.shop, paymentSessionId: payment.id, operation: "CHARGE", provider: provider.name },
          () =>
            cards.chargeCard({
              paymentId: payment.id,
              kind: payment.kind,
              amount: { minor: payment.amountMinor, currency: payment.currency },
              test: payment.test,
              card,
              moto: received.moto,
              clientDetails: received.clientDetails,
            }),
          policy.providerTimeoutMs,
          () => ({ status: "unknown", checkAfter: new Date(Date.now() + policy.recheckMs) }),
        );
  return applyCardChargeResult(db, payment, result, cardOutcomeContext(services.buyerLink, policy));
}

/** Runs a claimed charge after the answer to Shopify; a failure is left to the worker (rule 2). */
export function chargeInBackground(charge: () => Promise<PaymentSession>, paymentId: string): Promise<void> {
  return charge().then(
    () => undefined,
    (error: unknown) => logger.error({ paymentId, err: describeError(error) }, "card charge failed; the worker will ask the provider what became of it"),
  );
}

/** The buyer answered the 3-D Secure challenge on the app's page. */
export async function completeCardChallenge(services: Omit<CardPaymentServices, "keyring">, payment: PaymentSession, input: Record<string, string>): Promise<PaymentSession> {
  const cards = cardPaymentsOf(await services.providers.forSession(payment));
  if (payment.status !== "OPEN" || !cards || !payment.threeDSecureRedirectUrl || payment.confirmRequestedAt) return payment;
  const result = await cards.completeCardChallenge(payment.id, input);
  return applyCardChargeResult(services.db, payment, result, cardOutcomeContext(services.buyerLink, services.policy));
}

/**
 * Rule 3: card payments received but never claimed (the process died between
 * recording and decrypting, and Shopify did not retry) are rejected: the card
 * is gone, so they can never be charged.
 */
export async function rejectUnclaimedCardPayments(db: Db, limit: number, now = new Date(), graceMs = UNCLAIMED_CARD_GRACE_MS): Promise<number> {
  const stale = await db.paymentSession.findMany({
    where: { paymentMethodType: "credit_card", status: "OPEN", cardChargeClaimedAt: null, receivedAt: { lte: new Date(now.getTime() - graceMs) } },
    select: { id: true },
    take: limit,
  });
  let rejected = 0;
  for (const { id } of stale) {
    const claimed = await db.paymentSession.updateMany({ where: { id, status: "OPEN", cardChargeClaimedAt: null }, data: { cardChargeClaimedAt: now } });
    if (claimed.count !== 1) continue;
    await applyPaymentOutcome(db, id, {
      kind: "reject",
      code: "PROCESSING_ERROR",
      message: "The card was never charged: the app stopped before charging it.",
      providerReference: null,
    }, now);
    rejected += 1;
  }
  return rejected;
}

/**
 * Shopify refused paymentSessionRedirect for good (BUYER_ALREADY_REDIRECTED_BY_SHOPIFY:
 * too late; or the extension lacks supports_3ds): the buyer never reaches the
 * challenge, so the payment is rejected, without authentication as Shopify
 * recorded no redirect.
 */
export async function rejectRefusedRedirect(db: Db, paymentId: string, detail: string | null, now = new Date()): Promise<void> {
  const payment = await db.paymentSession.findUnique({ where: { id: paymentId } });
  if (!payment || payment.status !== "OPEN") return;
  await db.paymentSession.update({ where: { id: paymentId }, data: { threeDSecureRedirectUrl: null } });
  const tooLate = detail?.includes("BUYER_ALREADY_REDIRECTED_BY_SHOPIFY") ?? false;
  await applyPaymentOutcome(db, paymentId, {
    kind: "reject",
    code: tooLate ? "AUTHENTICATION_FAILED" : "PROCESSING_ERROR",
    message: tooLate ? "Shopify had already moved the buyer on before 3-D Secure could start." : "Shopify refused to send the buyer to 3-D Secure.",
    providerReference: payment.providerReference,
  }, now);
}

/**
 * The worker rejects a refused redirect right after it notes the refusal
 * (settleAttempts); a process that dies in between leaves the payment OPEN,
 * waiting for a buyer Shopify will never send. Found again here from the
 * failed delivery (the same refusal as its lastError) and rejected as then.
 */
export async function rejectStrandedRefusedRedirects(db: Db, limit: number, now = new Date()): Promise<number> {
  const stranded = await db.delivery.findMany({
    where: { operation: "PAYMENT_REDIRECT", status: "FAILED", paymentSession: { status: "OPEN" } },
    select: { paymentSessionId: true, lastError: true },
    take: limit,
  });
  for (const { paymentSessionId, lastError } of stranded) {
    if (paymentSessionId) await rejectRefusedRedirect(db, paymentSessionId, lastError, now);
  }
  return stranded.length;
}

export type ConfirmationAnswer = { outcome: "resolved" | "rejected" | "replayed"; payment: PaymentSession } | { outcome: "not_found" } | { outcome: "not_confirming" };

/**
 * The confirmation callback (spec §3.8): true resolves the payment, false
 * rejects it with CONFIRMATION_REJECTED (and releases the provider's charge).
 * A repeat of the same answer changes nothing.
 */
export async function receiveConfirmation(
  services: Pick<CardPaymentServices, "db" | "providers" | "policy">,
  shop: string,
  shopifyId: string,
  confirmed: boolean,
  now = new Date(),
): Promise<ConfirmationAnswer> {
  const { db } = services;
  const payment = await db.paymentSession.findUnique({ where: { shop_shopifyId: { shop, shopifyId } } });
  if (!payment) return { outcome: "not_found" };
  if (!payment.confirmRequestedAt) return { outcome: "not_confirming" };
  if (payment.status !== "OPEN") return { outcome: "replayed", payment };
  await db.paymentSession.updateMany({ where: { id: payment.id, confirmationResult: null }, data: { confirmationResult: confirmed } });
  if (confirmed) {
    const resolved = await applyPaymentOutcome(db, payment.id, {
      kind: "resolve",
      authorizationExpiresAt: payment.kind === "AUTHORIZATION" ? new Date(now.getTime() + services.policy.authorizationValidityMs) : null,
      providerReference: payment.providerReference,
    }, now);
    return { outcome: "resolved", payment: resolved };
  }
  const rejected = await applyPaymentOutcome(db, payment.id, {
    kind: "reject",
    code: "CONFIRMATION_REJECTED",
    message: "Shopify did not confirm the order (for example, an item sold out); the charge was released.",
    providerReference: payment.providerReference,
  }, now);
  await releaseCharge(services, payment);
  return { outcome: "rejected", payment: rejected };
}

/** The provider approved a charge Shopify then refused: void it, so the buyer's money is not held. */
async function releaseCharge(services: Pick<CardPaymentServices, "db" | "providers" | "policy">, payment: PaymentSession): Promise<void> {
  const provider = await services.providers.forSession(payment);
  if (!provider) return;
  try {
    await callProvider(
      services.db,
      { shop: payment.shop, paymentSessionId: payment.id, operation: "VOID", provider: provider.name },
      () => provider.void({ operationId: `confirmation-rejected-${payment.id}`, paymentId: payment.id, test: payment.test }),
      services.policy.providerTimeoutMs,
      () => ({ status: "unknown" as const }),
    );
  } catch (error) {
    logger.error({ paymentId: payment.id, err: describeError(error) }, "could not release the card charge of a payment Shopify did not confirm; release it with the provider");
  }
}
