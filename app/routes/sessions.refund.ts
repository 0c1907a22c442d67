import type { ActionFunctionArgs } from "@remix-run/node";
import { readJsonBody } from "../http/json-body.server";
import { receiveRefundSession } from "../payments/follow-up-sessions.server";
import { refundSessionRequestSchema } from "../payments/session-request-schemas";
import { followUpResult } from "../shopify/follow-up-result";
import { methodNotAllowed, serveSessionRequest } from "../shopify/session-endpoint.server";

// Shopify asks for a refund (spec §3.5): record it and acknowledge with 201.
export const action = ({ request, context }: ActionFunctionArgs) =>
  serveSessionRequest("refund", request, context, async (db, meta) => {
    const body = await readJsonBody(request, refundSessionRequestSchema);
    return followUpResult(await receiveRefundSession(db, meta, body));
  });

export const loader = methodNotAllowed;
