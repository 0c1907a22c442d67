import type { ActionFunctionArgs } from "@remix-run/node";
import { serveWebhook } from "../webhooks/webhook-endpoint.server";

// Every webhook topic the app subscribes to (shopify.app.toml): app/uninstalled,
// shop/update and the compliance topics customers/data_request, customers/redact, shop/redact.
export const action = ({ request }: ActionFunctionArgs) => serveWebhook(request);

export const loader = () =>
  Response.json({ error: { code: "METHOD_NOT_ALLOWED", message: "Webhooks are POSTed.", problems: [] } }, { status: 405, headers: { Allow: "POST" } });
