import type { PaymentSession } from "@prisma/client";
import type { Db } from "../db.server";
import { readBuyerToken, type BuyerLinkConfig } from "./buyer-link.server";

/** The payment a buyer link names; a 404 for a tampered, expired or unknown link. */
export async function requireBuyerPayment(db: Db, config: BuyerLinkConfig, token: string | undefined): Promise<PaymentSession> {
  const id = token ? readBuyerToken(config, token) : null;
  const payment = id ? await db.paymentSession.findUnique({ where: { id } }) : null;
  if (!payment) throw new Response("This payment link is not valid.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return payment;
}
