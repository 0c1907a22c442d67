import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { serveProviderWebhook } from "../inbound/providers/provider-webhook-endpoint.server";
import { getProcessingPolicy, getProviders } from "../services.server";

// Payment providers' notifications (Stripe's webhooks): docs/providers.md.
export const action = ({ request, params }: ActionFunctionArgs) => serveProviderWebhook(getDb(), getProviders(), getProcessingPolicy(), request, params.name);

export const loader = () =>
  Response.json({ error: { code: "METHOD_NOT_ALLOWED", message: "Provider webhooks are POSTed.", problems: [] } }, { status: 405, headers: { Allow: "POST" } });
