import type { PaymentSession } from "@prisma/client";
import type { Db } from "../../db.server";
import type { BuyerLinkConfig } from "../../payments/rules/buyer-link-token.server";
import { lookUpBuyerPayment, type BuyerLinkRefusal } from "../../payments/buyer/buyer-payment-lookup.server";

/**
 * The payment a buyer link names, for the buyer pages' loaders and actions:
 * a 404 for a tampered or unknown link, a 410 for an expired one, with the
 * refusal as the body of the thrown response (the page's error boundary reads it).
 */
export async function requireBuyerPayment(db: Db, config: BuyerLinkConfig, token: string | undefined): Promise<PaymentSession> {
  const lookup = await lookUpBuyerPayment(db, config, token);
  if (lookup.found) return lookup.payment;
  throw refusalResponse(lookup.refusal.buyerLink === "expired" ? 410 : 404, lookup.refusal);
}

function refusalResponse(status: number, body: BuyerLinkRefusal): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}
