import { readJsonBody } from "../../http/json-body.server";
import { buyerPaymentUrl } from "../../payments/buyer-link-token.server";
import { receiveCaptureSession, receiveRefundSession, receiveVoidSession } from "../../payments/receive-follow-up.server";
import { receivePaymentSession } from "../../payments/payment-sessions.server";
import { captureSessionRequestSchema, paymentSessionRequestSchema, refundSessionRequestSchema, voidSessionRequestSchema } from "../../payments/session-request-schemas";
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
    handle: async ({ receiptStore, piiKeyring, buyerLinks }, meta, request) => {
      const body = readJsonBody(request, paymentSessionRequestSchema);
      const { row, replayed } = await receivePaymentSession(receiptStore(), piiKeyring, meta, body);
      return {
        status: 201,
        body: { redirect_url: buyerPaymentUrl(buyerLinks, row) },
        outcome: replayed ? "replayed" : "created",
        id: row.shopifyId,
      };
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
