import { getEnv } from "../env.server";
import { requireWellFormedAdminRequest } from "../shopify/admin-request";
import { getShopify } from "../shopify.server";

/** Who is using the embedded admin: the shop, and the staff member the session token names. */
export interface StaffContext {
  shop: string;
  /** Shopify's user id (the session token's `sub`), recorded on every staff action. */
  staffUserId: string;
  /** "Sam Support": the online token's associated user, recorded with the id so the audit trail can name them. */
  staffName: string | null;
  staffEmail: string | null;
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
  const user = session.onlineAccessInfo?.associated_user;
  return {
    shop: session.shop,
    staffUserId: String(sessionToken?.sub ?? user?.id ?? "unknown"),
    staffName: present([user?.first_name, user?.last_name].map(present).filter(Boolean).join(" ")),
    staffEmail: present(user?.email),
  };
}

/**
 * A field of the associated user, or null. The session storage turns a missing
 * name into the text "null" when it reads a session back (String(null)).
 */
function present(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text && text !== "null" && text !== "undefined" ? text : null;
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
