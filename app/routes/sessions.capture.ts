import type { ActionFunctionArgs } from "@remix-run/node";
import { readJsonBody } from "../http/json-body.server";
import { receiveCaptureSession } from "../payments/follow-up-sessions.server";
import { captureSessionRequestSchema } from "../payments/session-request-schemas";
import { followUpResult } from "../shopify/follow-up-result";
import { methodNotAllowed, serveSessionRequest } from "../shopify/session-endpoint.server";

// Shopify asks for a capture (spec §3.6): record it and acknowledge with 201.
export const action = ({ request, context }: ActionFunctionArgs) =>
  serveSessionRequest("capture", request, context, async (db, meta) => {
    const body = await readJsonBody(request, captureSessionRequestSchema);
    return followUpResult(await receiveCaptureSession(db, meta, body));
  });

export const loader = methodNotAllowed;
