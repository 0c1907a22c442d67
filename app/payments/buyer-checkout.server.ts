import type { DeliveryOperation, PaymentSession, PaymentStatus } from "@prisma/client";
import type { Db } from "../db.server";
import type { ChargeResult } from "../providers/payment-provider";
import type { ProviderRegistry } from "../providers/provider-registry.server";
import { formatAmount, formatMoney } from "./money";
import { applyChargeResult, chargePayment, type ProcessingPolicy } from "./provider-processing.server";

/**
 * What the buyer sees at the payment link, decided from the stored state alone,
 * so a second visit or a reload never pays twice: the payment page while nothing
 * was tried, a waiting page while the outcome is being decided or reported, and
 * a redirect to where Shopify said to send the buyer once it accepted the outcome.
 */
export type BuyerView =
  | { kind: "pay"; summary: PaymentSummary }
  | { kind: "challenge"; summary: PaymentSummary }
  | { kind: "waiting"; summary: PaymentSummary; reason: "provider" | "shopify" | "unreachable" }
  | { kind: "redirect"; url: string };

export interface PaymentSummary {
  shop: string;
  amount: string;
  currency: string;
  /** The amount formatted for the buyer's language (or the merchant's). */
  formatted: string;
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
  const summary = summarize(payment);
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
  return { kind: "waiting", summary, reason: delivery?.status === "DEAD" || delivery?.status === "FAILED" ? "unreachable" : "shopify" };
}

/**
 * The buyer pressed "pay": charge once. Claiming the attempt (setting the
 * provider's name where none was set) makes a double submit or a second tab
 * harmless: only the first request reaches the provider.
 */
export async function payFromBuyerPage(
  db: Db,
  providers: ProviderRegistry,
  payment: PaymentSession,
  input: Record<string, string>,
  policy: ProcessingPolicy,
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
  const { result } = await chargePayment(db, providers, payment, input, policy);
  return result;
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

function summarize(payment: PaymentSession): PaymentSummary {
  const amount = formatAmount({ minor: payment.amountMinor, currency: payment.currency });
  return {
    shop: payment.shop,
    amount,
    currency: payment.currency,
    formatted: formatMoney(amount, payment.currency, payment.customerLocale ?? payment.merchantLocale),
    test: payment.test,
    kind: payment.kind === "SALE" ? "sale" : "authorization",
    cancelUrl: payment.cancelUrl,
  };
}
