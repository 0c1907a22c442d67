import { readJsonBody } from "../../http/json-body.server";
import { buyerPaymentUrl } from "../../payments/rules/buyer-link-token.server";
import { receiveCaptureSession, receiveRefundSession, receiveVoidSession } from "../../payments/receipt/receive-follow-up.server";
import { receivePaymentSession } from "../../payments/receipt/payment-sessions.server";
import { captureSessionRequestSchema, confirmationCallbackSchema, paymentSessionRequestSchema, refundSessionRequestSchema, voidSessionRequestSchema, type PaymentSessionRequest } from "../../payments/receipt/session-request-schemas";
import { fieldError } from "../../http/http-error";
import { chargeInBackground, claimCardPayment, receiveConfirmation } from "../../payments/charging/card-payments.server";
import type { ClientDetails } from "../../providers/payment-provider";
import { followUpResult } from "./follow-up-answer";
import type { SessionHandler, SessionKind } from "./serve-session-request.server";

/**
 * Shopify's four session URLs (the extension's *_session_url, spec §3), each
 * served by the app's own HTTP server (app/server/app-server.ts), not by Remix.
 */
export const SESSION_ENDPOINTS: Readonly<Record<string, { kind: SessionKind; handle: SessionHandler }>> = {
  // Shopify opens an offsite payment: record it, answer with the buyer's link (spec §3.2).
  "/sessions/payment": {
    kind: "payment",
    handle: async ({ receiptStore, piiKeyring, buyerLinks, cardPayments }, meta, request) => {
      const body = readJsonBody(request, paymentSessionRequestSchema);
      const { row, replayed } = await receivePaymentSession(receiptStore(), piiKeyring, meta, body);
      if (body.payment_method.type === "credit_card") {
        // Onsite card (spec §3.3): decrypted and claimed before the answer, charged
        // right after it; the answer carries no link (card-payments.server.ts).
        const { moto, ...encrypted } = body.payment_method.data;
        const charge = await claimCardPayment(cardPayments(), row.id, {
          encrypted,
          moto: moto ?? false,
          clientDetails: clientDetailsOf(body.client_details),
        });
        if (charge) void chargeInBackground(charge, row.id);
        return { status: 201, body: {}, outcome: replayed ? "replayed" : "created", id: row.shopifyId };
      }
      return {
        status: 201,
        body: { redirect_url: buyerPaymentUrl(buyerLinks, row) },
        outcome: replayed ? "replayed" : "created",
        id: row.shopifyId,
      };
    },
  },
  // Shopify's answer to paymentSessionConfirm (spec §3.8): the extension's confirmation_callback_url.
  "/sessions/confirm": {
    kind: "confirmation",
    handle: async ({ cardPayments }, meta, request) => {
      const body = readJsonBody(request, confirmationCallbackSchema);
      const answer = await receiveConfirmation(cardPayments(), meta.shop, body.id, body.confirmation_result);
      if (answer.outcome === "not_found") throw fieldError(404, "PAYMENT_SESSION_NOT_FOUND", "id", "no payment session with this id for this shop");
      if (answer.outcome === "not_confirming") throw fieldError(422, "NOT_CONFIRMING", "id", "this payment session was not sent for confirmation");
      return { status: 200, body: {}, outcome: answer.outcome, id: body.id };
    },
  },
  // Shopify asks for a refund (spec §3.5): record it and acknowledge with 201.
  "/sessions/refund": {
    kind: "refund",
    handle: async ({ db }, meta, request) => followUpResult(await receiveRefundSession(db, meta, readJsonBody(request, refundSessionRequestSchema))),
  },
  // Shopify asks for a capture (spec §3.6).
  "/sessions/capture": {
    kind: "capture",
    handle: async ({ db }, meta, request) => followUpResult(await receiveCaptureSession(db, meta, readJsonBody(request, captureSessionRequestSchema))),
  },
  // Shopify asks for a void (spec §3.7).
  "/sessions/void": {
    kind: "void",
    handle: async ({ db }, meta, request) => followUpResult(await receiveVoidSession(db, meta, readJsonBody(request, voidSessionRequestSchema))),
  },
};

function clientDetailsOf(details: PaymentSessionRequest["client_details"]): ClientDetails | null {
  if (!details) return null;
  return {
    ...(details.ip_address ? { ipAddress: details.ip_address } : {}),
    ...(details.user_agent ? { userAgent: details.user_agent } : {}),
    ...(details.accept_language ? { acceptLanguage: details.accept_language } : {}),
  };
}
