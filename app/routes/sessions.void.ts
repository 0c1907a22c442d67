import type { ActionFunctionArgs } from "@remix-run/node";
import { readJsonBody } from "../http/json-body.server";
import { receiveVoidSession } from "../payments/follow-up-sessions.server";
import { voidSessionRequestSchema } from "../payments/session-request-schemas";
import { followUpResult } from "../shopify/follow-up-result";
import { methodNotAllowed, serveSessionRequest } from "../shopify/session-endpoint.server";

// Shopify asks for a void (spec §3.7): record it and acknowledge with 201.
export const action = ({ request, context }: ActionFunctionArgs) =>
  serveSessionRequest("void", request, context, async (db, meta) => {
    const body = await readJsonBody(request, voidSessionRequestSchema);
    return followUpResult(await receiveVoidSession(db, meta, body));
  });

export const loader = methodNotAllowed;
