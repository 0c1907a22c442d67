import { getEnv } from "../env.server";
import { requireWellFormedAdminRequest } from "../shopify/admin-request";
import { getShopify } from "../shopify.server";

/** Who is using the embedded admin: the shop, and the staff member the session token names. */
export interface StaffContext {
  shop: string;
  /** Shopify's user id (the session token's `sub`), recorded on every staff action. */
  staffUserId: string;
}

/**
 * Every admin loader and action starts here. Throws the library's response
 * (bounce to get a session token, 401 with a retry header, or a redirect to
 * install) when the request is not from a signed-in staff member of an installed shop,
 * and a 400 when Shopify's parameters in the URL are malformed.
 */
export async function requireStaff(request: Request): Promise<StaffContext> {
  requireWellFormedAdminRequest(request, getEnv().SHOPIFY_APP_URL);
  const { session, sessionToken } = await getShopify().authenticate.admin(request);
  return { shop: session.shop, staffUserId: String(sessionToken?.sub ?? "unknown") };
}

/** The staff member's locale: the admin's `locale` parameter, else the browser's first language. */
export function staffLocale(request: Request): string {
  const fromAdmin = new URL(request.url).searchParams.get("locale");
  const fromBrowser = request.headers.get("Accept-Language")?.split(",")[0]?.split(";")[0]?.trim();
  const locale = fromAdmin || fromBrowser || "en";
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? "en";
  } catch {
    return "en";
  }
}
