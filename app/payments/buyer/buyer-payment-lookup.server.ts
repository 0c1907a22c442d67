import type { PaymentSession } from "@prisma/client";
import type { Db } from "../../db.server";
import { checkBuyerToken, type BuyerLinkConfig } from "../rules/buyer-link-token.server";

/**
 * Why a buyer link cannot be served (the buyer page's error boundary puts it in
 * words): "expired" with the store's cancel_url to return to, or "invalid"
 * (tampered, unknown, not ours), which names no store.
 */
export type BuyerLinkRefusal = { buyerLink: "expired"; returnUrl: string | null } | { buyerLink: "invalid" };

export type BuyerPaymentLookup = { found: true; payment: PaymentSession } | { found: false; refusal: BuyerLinkRefusal };

/** The payment a buyer link names, or why the link cannot be served. */
export async function lookUpBuyerPayment(db: Db, config: BuyerLinkConfig, token: string | undefined): Promise<BuyerPaymentLookup> {
  const check = token ? checkBuyerToken(config, token) : ({ status: "invalid" } as const);
  const payment = check.status === "invalid" ? null : await db.paymentSession.findUnique({ where: { id: check.id } });
  if (!payment) return { found: false, refusal: { buyerLink: "invalid" } };
  if (check.status === "expired") return { found: false, refusal: { buyerLink: "expired", returnUrl: payment.cancelUrl || null } };
  return { found: true, payment };
}
