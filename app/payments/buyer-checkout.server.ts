import type { DeliveryOperation, PaymentRejectionCode, PaymentSession, PaymentStatus } from "@prisma/client";
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { describeError } from "../observability/describe-error";
import type { ChargeResult } from "../providers/payment-provider";
import { withTimeout, type ProviderRegistry } from "../providers/provider-registry.server";
import { formatAmount } from "./money";
import { applyChargeResult, chargePayment, type ProcessingPolicy } from "./provider-processing.server";

/**
 * What the buyer sees at the payment link, decided from the stored state alone,
 * so a second visit or a reload never pays twice: the payment page while nothing
 * was tried, a waiting page while the outcome is being decided or reported, and
 * a declined page (in words, with the way back to the store) while a rejection is
 * being reported, and a redirect to where Shopify said to send the buyer once it
 * accepted the outcome.
 */
export type BuyerView =
  | { kind: "pay"; summary: PaymentSummary }
  | { kind: "challenge"; summary: PaymentSummary }
  | { kind: "waiting"; summary: PaymentSummary; reason: "provider" | "shopify" | "unreachable" }
  | { kind: "declined"; summary: PaymentSummary; code: PaymentRejectionCode | null; returnUrl: string; stillReporting: boolean }
  | { kind: "redirect"; url: string };

/**
 * How long the buyer's "pay" request waits for the provider. A slow provider
 * (up to PROVIDER_TIMEOUT_MS) must not leave the buyer before a blank page: after
 * this the buyer gets the waiting page, which follows the charge as it goes on.
 */
export const BUYER_ANSWER_WITHIN_MS = 1_500;

export interface PaymentSummary {
  shop: string;
  /** What the buyer reads as the store: the shop's name, or its domain until the name is known. */
  shopName: string;
  /** Exact decimal; the page formats it in its own language (app/ui/buyer-language.server.ts). */
  amount: string;
  currency: string;
  test: boolean;
  kind: "sale" | "authorization";
  cancelUrl: string;
}

const REPORTED_BY: Record<Exclude<PaymentStatus, "OPEN">, DeliveryOperation> = {
  RESOLVED: "PAYMENT_RESOLVE",
  REJECTED: "PAYMENT_REJECT",
  PENDING: "PAYMENT_PENDING",
};

export async function buyerView(db: Db, payment: PaymentSession): Promise<BuyerView> {
  const shop = await db.shop.findUnique({ where: { domain: payment.shop }, select: { name: true } });
  const summary = summarize(payment, shop?.name ?? null);
  if (payment.status === "OPEN") {
    if (payment.providerCheckAt) return { kind: "waiting", summary, reason: "provider" };
    if (payment.providerName && payment.providerReference) return { kind: "challenge", summary };
    if (payment.providerName) return { kind: "waiting", summary, reason: "provider" };
    return { kind: "pay", summary };
  }
  const delivery = await db.delivery.findUnique({
    where: { sessionGid_operation: { sessionGid: payment.gid, operation: REPORTED_BY[payment.status] } },
    select: { status: true },
  });
  if (delivery?.status === "SUCCEEDED" && payment.nextActionUrl) return { kind: "redirect", url: payment.nextActionUrl };
  const unreachable = delivery?.status === "DEAD" || delivery?.status === "FAILED";
  // The outcome is decided: a declined buyer learns it now, not "confirming…".
  if (payment.status === "REJECTED") return { kind: "declined", summary, code: payment.rejectionCode, returnUrl: payment.cancelUrl, stillReporting: !unreachable };
  return { kind: "waiting", summary, reason: unreachable ? "unreachable" : "shopify" };
}

/**
 * The buyer pressed "pay": charge once. Claiming the attempt (setting the
 * provider's name where none was set) makes a double submit or a second tab
 * harmless: only the first request reaches the provider. The provider's answer
 * is awaited for at most `answerWithinMs`; null means "not decided yet" (or
 * another request is charging): the buyer gets the waiting page while the
 * charge goes on in this process.
 */
export async function payFromBuyerPage(
  db: Db,
  providers: ProviderRegistry,
  payment: PaymentSession,
  input: Record<string, string>,
  policy: ProcessingPolicy,
  answerWithinMs = BUYER_ANSWER_WITHIN_MS,
): Promise<ChargeResult | null> {
  if (payment.status !== "OPEN") return null;
  const provider = providers.forSession(payment);
  // The check time is a safety net: should this request die before the answer
  // is applied, the worker asks the provider what became of the charge.
  const claimed = await db.paymentSession.updateMany({
    where: { id: payment.id, status: "OPEN", providerName: null },
    data: { providerName: provider?.name ?? "none", providerCheckAt: new Date(Date.now() + policy.providerTimeoutMs + policy.recheckMs) },
  });
  if (claimed.count !== 1) return null;
  const charging = chargePayment(db, providers, payment, input, policy).then(
    ({ result }) => result,
    // The check time set above brings the worker to ask the provider what became
    // of this charge; the buyer sees the waiting page meanwhile, not an error.
    (error: unknown) => {
      logger.error({ paymentId: payment.id, err: describeError(error) }, "charge from the buyer page failed; the worker will ask the provider");
      return null;
    },
  );
  return withTimeout(charging, answerWithinMs, () => null);
}

/** The buyer answered the provider's challenge (3-D Secure). */
export async function completeBuyerChallenge(
  db: Db,
  providers: ProviderRegistry,
  payment: PaymentSession,
  input: Record<string, string>,
  policy: ProcessingPolicy,
): Promise<void> {
  const provider = providers.forSession(payment);
  if (payment.status !== "OPEN" || !provider) return;
  const result = await provider.completeChallenge(payment.id, input);
  await applyChargeResult(db, payment, result, policy);
}

function summarize(payment: PaymentSession, shopName: string | null): PaymentSummary {
  return {
    shop: payment.shop,
    shopName: shopName?.trim() || payment.shop,
    amount: formatAmount({ minor: payment.amountMinor, currency: payment.currency }),
    currency: payment.currency,
    test: payment.test,
    kind: payment.kind === "SALE" ? "sale" : "authorization",
    cancelUrl: payment.cancelUrl,
  };
}
