import type { PaymentRejectionCode, PaymentSession, PaymentStatus } from "@prisma/client";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import { describeError } from "../../observability/describe-error";
import type { ChargeResult, HostedPageContext } from "../../providers/payment-provider";
import { withTimeout, type ProviderRegistry } from "../../providers/provider-registry.server";
import type { BuyerLinkConfig } from "../rules/buyer-link-token.server";
import { completeCardChallenge } from "../charging/card-payments.server";
import { deliveryOperationFor, type OutcomeEvent } from "../rules/delivery-operations";
import { formatAmount } from "../rules/money";
import { applyChargeResult, chargePayment, type ProcessingPolicy } from "../charging/payment-charging.server";

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

/** The outcome each decided status reports to Shopify (its delivery operation: delivery-operations.ts). */
const REPORTED_AS: Record<Exclude<PaymentStatus, "OPEN">, OutcomeEvent> = {
  RESOLVED: "resolve",
  REJECTED: "reject",
  PENDING: "pending",
};

export async function buyerView(db: Db, payment: PaymentSession): Promise<BuyerView> {
  const shop = await db.shop.findUnique({ where: { domain: payment.shop }, select: { name: true } });
  const summary = summarize(payment, shop?.name ?? null);
  if (payment.status === "OPEN") {
    if (payment.paymentMethodType === "credit_card") return cardBuyerView(db, payment, summary);
    if (payment.providerCheckAt) return { kind: "waiting", summary, reason: "provider" };
    if (payment.providerName && payment.providerReference) return { kind: "challenge", summary };
    if (payment.providerName) return { kind: "waiting", summary, reason: "provider" };
    return { kind: "pay", summary };
  }
  const delivery = await db.delivery.findUnique({
    where: { sessionGid_operation: { sessionGid: payment.gid, operation: deliveryOperationFor("payment", REPORTED_AS[payment.status]) } },
    select: { status: true },
  });
  if (delivery?.status === "SUCCEEDED" && payment.nextActionUrl) return { kind: "redirect", url: payment.nextActionUrl };
  const unreachable = delivery?.status === "DEAD" || delivery?.status === "FAILED";
  // The outcome is decided: a declined buyer learns it now, not "confirming…".
  if (payment.status === "REJECTED") return { kind: "declined", summary, code: payment.rejectionCode, returnUrl: payment.cancelUrl, stillReporting: !unreachable };
  return { kind: "waiting", summary, reason: unreachable ? "unreachable" : "shopify" };
}

/**
 * A card payment while it is open: the buyer only comes here through Shopify's
 * 3-D Secure redirect; after the challenge, Shopify's confirmation page.
 */
async function cardBuyerView(db: Db, payment: PaymentSession, summary: PaymentSummary): Promise<BuyerView> {
  if (payment.confirmRequestedAt) {
    const confirm = await db.delivery.findUnique({
      where: { sessionGid_operation: { sessionGid: payment.gid, operation: "PAYMENT_CONFIRM" } },
      select: { status: true },
    });
    if (confirm?.status === "SUCCEEDED" && payment.nextActionUrl) return { kind: "redirect", url: payment.nextActionUrl };
    return { kind: "waiting", summary, reason: confirm?.status === "DEAD" || confirm?.status === "FAILED" ? "unreachable" : "shopify" };
  }
  if (payment.threeDSecureRedirectUrl && !payment.providerCheckAt) return { kind: "challenge", summary };
  return { kind: "waiting", summary, reason: "provider" };
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
  pages?: BuyerPages,
): Promise<ChargeResult | null> {
  // A card is charged when Shopify sends it (card-payments.server.ts), never from this page.
  if (payment.status !== "OPEN" || payment.paymentMethodType === "credit_card") return null;
  const provider = await providers.forSession(payment);
  // The check time is a safety net: should this request die before the answer
  // is applied, the worker asks the provider what became of the charge.
  const claimed = await db.paymentSession.updateMany({
    where: { id: payment.id, status: "OPEN", providerName: null },
    data: { providerName: provider?.name ?? "none", providerCheckAt: new Date(Date.now() + policy.providerTimeoutMs + policy.recheckMs) },
  });
  if (claimed.count !== 1) return null;
  const charging = chargePayment(db, providers, payment, input, policy, pages && hostedPageContext(payment, pages)).then(
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
  buyerLink: BuyerLinkConfig,
): Promise<void> {
  if (payment.paymentMethodType === "credit_card") {
    await completeCardChallenge({ db, providers, buyerLink, policy }, payment, input);
    return;
  }
  const provider = await providers.forSession(payment);
  if (payment.status !== "OPEN" || !provider) return;
  const result = await provider.completeChallenge(payment.id, input);
  await applyChargeResult(db, payment, result, policy);
}

/** The app's pages a provider's hosted page sends the buyer back to, and the link's deadline. */
export interface BuyerPages {
  returnUrl: string;
  cancelUrl: string;
  expiresAt: Date;
}

function hostedPageContext(payment: PaymentSession, pages: BuyerPages): HostedPageContext {
  return { shop: payment.shop, returnUrl: pages.returnUrl, cancelUrl: pages.cancelUrl, locale: payment.customerLocale, expiresAt: pages.expiresAt };
}

/**
 * The buyer is back from the provider's page (or asks again): the payment's
 * state is read from the provider, never from the return URL's query string,
 * and applied like any answer. A charge still open on the provider's side
 * answers "redirect" with its page, where the buyer can go on paying.
 */
export async function refreshFromProvider(db: Db, providers: ProviderRegistry, payment: PaymentSession, policy: ProcessingPolicy): Promise<ChargeResult | null> {
  if (payment.status !== "OPEN" || !payment.providerReference) return null;
  const provider = await providers.forSession(payment);
  if (!provider) return null;
  const result = await withTimeout(provider.chargeStatus(payment.id, payment.providerReference), policy.providerTimeoutMs, (): ChargeResult => ({ status: "unknown", checkAfter: new Date(Date.now() + policy.recheckMs) }));
  await applyChargeResult(db, payment, result, policy);
  return result;
}

/**
 * The buyer's view, after asking the provider when the payment waits on a
 * provider's page (its reference is kept, no outcome yet): a page still open
 * there sends the buyer back to it; a decided one is applied first.
 */
export async function buyerViewAfterProvider(
  db: Db,
  providers: ProviderRegistry,
  payment: PaymentSession,
  policy: ProcessingPolicy,
): Promise<BuyerView | { kind: "provider-page"; url: string }> {
  const view = await buyerView(db, payment);
  if (view.kind !== "waiting" || view.reason !== "provider" || !payment.providerReference) return view;
  const result = await refreshFromProvider(db, providers, payment, policy);
  if (result?.status === "redirect" && result.url) return { kind: "provider-page", url: result.url };
  return buyerView(db, await db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } }));
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
