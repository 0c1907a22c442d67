import type { ActionFunctionArgs } from "@remix-run/node";
import { readJsonBody } from "../http/json-body.server";
import { buyerPaymentUrl } from "../payments/buyer-link.server";
import { receivePaymentSession } from "../payments/payment-sessions.server";
import { paymentSessionRequestSchema } from "../payments/session-request-schemas";
import { getBuyerLinkConfig } from "../services.server";
import { methodNotAllowed, serveSessionRequest } from "../shopify/session-endpoint.server";

// Shopify opens an offsite payment: record it, answer with the buyer's link (spec §3.2).
export const action = ({ request, context }: ActionFunctionArgs) =>
  serveSessionRequest("payment", request, context, async (db, meta) => {
    const body = await readJsonBody(request, paymentSessionRequestSchema);
    const { row, replayed } = await receivePaymentSession(db, meta, body);
    return {
      status: 201,
      body: { redirect_url: buyerPaymentUrl(getBuyerLinkConfig(), row) },
      outcome: replayed ? "replayed" : "created",
      id: row.shopifyId,
    };
  });

export const loader = methodNotAllowed;
