import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import { getEnv } from "../env.server";
import { requireWellFormedAdminRequest } from "../shopify/admin-request";
import { getShopify } from "../shopify.server";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";

// OAuth and token-exchange callbacks, the session-token bounce page and the
// exit-iframe page, all answered by @shopify/shopify-app-remix (by throwing its
// responses), once the URL's Shopify parameters are known to be well formed.
export async function loader({ request }: LoaderFunctionArgs) {
  requireWellFormedAdminRequest(request, getEnv().SHOPIFY_APP_URL);
  await getShopify().authenticate.admin(request);
  return null;
}

export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame={false} />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
