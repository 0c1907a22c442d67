import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { serveWebhook } from "../inbound/webhooks/webhook-endpoint.server";
import { getPiiKeyring } from "../privacy/keyring.server";
import { getProviderAccountStore } from "../services.server";

// Every webhook topic the app subscribes to (shopify.app.toml): app/uninstalled
// and the compliance topics customers/data_request, customers/redact, shop/redact.
export const action = ({ request }: ActionFunctionArgs) =>
  serveWebhook(request, {
    db: getDb(),
    keyring: getPiiKeyring(),
    apiSecret: getEnv().SHOPIFY_API_SECRET,
    sweepProviderAccounts: () => getProviderAccountStore().sweepRemovals(),
  });

export const loader = () =>
  Response.json({ error: { code: "METHOD_NOT_ALLOWED", message: "Webhooks are POSTed.", problems: [] } }, { status: 405, headers: { Allow: "POST" } });
