import type { LoaderFunctionArgs } from "@remix-run/node";
import { getShopify } from "../shopify.server";

// OAuth and token-exchange callbacks handled by @shopify/shopify-app-remix.
export async function loader({ request }: LoaderFunctionArgs) {
  await getShopify().authenticate.admin(request);
  return null;
}
