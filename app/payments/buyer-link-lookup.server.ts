import type { PaymentSession } from "@prisma/client";
import type { Db } from "../db.server";
import { checkBuyerToken, type BuyerLinkConfig } from "./buyer-link.server";

/**
 * Why a buyer link cannot be served, as the body of the thrown response (the
 * buyer page's error boundary puts it in words): "expired" with the store's
 * cancel_url to return to, or "invalid" (tampered, unknown, not ours), which
 * names no store.
 */
export type BuyerLinkRefusal = { buyerLink: "expired"; returnUrl: string | null } | { buyerLink: "invalid" };

/** The payment a buyer link names; a 404 for a tampered or unknown link, a 410 for an expired one. */
export async function requireBuyerPayment(db: Db, config: BuyerLinkConfig, token: string | undefined): Promise<PaymentSession> {
  const check = token ? checkBuyerToken(config, token) : ({ status: "invalid" } as const);
  const payment = check.status === "invalid" ? null : await db.paymentSession.findUnique({ where: { id: check.id } });
  if (!payment) throw refusal(404, { buyerLink: "invalid" });
  if (check.status === "expired") throw refusal(410, { buyerLink: "expired", returnUrl: payment.cancelUrl || null });
  return payment;
}

function refusal(status: number, body: BuyerLinkRefusal): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}
