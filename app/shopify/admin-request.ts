import type { FieldProblem } from "../http/http-error";

/**
 * The query parameters Shopify's admin puts on the embedded app's URLs (`shop`,
 * `host`, `embedded`, `id_token`, and `exitIframe` on the exit-iframe page),
 * checked before @shopify/shopify-app-remix sees them. The library assumes they
 * are well formed: a `host` that is not valid base64 makes its `atob` throw, a
 * foreign `exitIframe` makes it throw a ShopifyError, and both become 500s. A
 * person (or anyone) can type such a URL, so each malformed value is a 400 that
 * names the parameter. An absent value is not checked here (the library then
 * sends the person to the login page, which says what this app is), except
 * `exitIframe` on the exit-iframe page: without it the library throws too.
 */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

// Where Shopify's admin lives: `admin.shopify.com/store/{store}` (base64 in `host`),
// or the legacy `{shop}.myshopify.com/admin`.
const ADMIN_HOST = /^(admin\.shopify\.com\/store\/[a-z0-9][a-z0-9-]*|[a-z0-9][a-z0-9-]*\.myshopify\.com\/admin)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_PARAMETER_LENGTH = 4096;
// authPathPrefix (shopify.server.ts) + the library's exit-iframe page.
const EXIT_IFRAME_PATH = "/auth/exit-iframe";

const CHECKED = ["shop", "host", "embedded", "id_token", "exitIframe"] as const;

/** What is wrong with the Shopify parameters of an admin (`/app…`) or auth (`/auth/…`) URL; empty when nothing is. */
export function adminRequestProblems(url: URL, appUrl: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (url.pathname === EXIT_IFRAME_PATH && !url.searchParams.has("exitIframe")) problems.push({ field: "exitIframe", message: "is missing: this page only leaves the admin's frame for an address it is given" });
  for (const name of CHECKED) {
    const values = url.searchParams.getAll(name);
    if (values.length === 0) continue;
    const value = values[0] ?? "";
    if (values.length > 1) problems.push({ field: name, message: "is given more than once" });
    else if (value.length > MAX_PARAMETER_LENGTH) problems.push({ field: name, message: `is longer than ${MAX_PARAMETER_LENGTH} characters` });
    else {
      const message = CHECKS[name](value, appUrl);
      if (message) problems.push({ field: name, message });
    }
  }
  return problems;
}

const CHECKS: Record<(typeof CHECKED)[number], (value: string, appUrl: string) => string | null> = {
  shop: (value) => (SHOP_DOMAIN.test(value) ? null : "is not a shop domain such as my-shop.myshopify.com"),
  host: (value) => (ADMIN_HOST.test(decodeHost(value) ?? "") ? null : "is not the Shopify admin's base64-encoded address"),
  embedded: (value) => (value === "0" || value === "1" ? null : "must be 0 or 1"),
  id_token: (value) => (JWT.test(value) ? null : "is not a session token (a JSON Web Token)"),
  exitIframe: (value, appUrl) => (isServableExitIframe(value, appUrl) ? null : "is not this app's address or the Shopify admin's"),
};

/**
 * The text a `host` encodes, or null unless it is canonical base64 (or base64url):
 * the library decodes it with `atob`, which throws on anything else (a length of
 * 4n+1, stray characters).
 */
function decodeHost(value: string): string | null {
  const unpadded = value.replace(/=+$/, "");
  for (const [alphabet, pattern] of [["base64", BASE64], ["base64url", BASE64URL]] as const) {
    if (!pattern.test(value)) continue;
    const bytes = Buffer.from(value, alphabet);
    if (bytes.toString(alphabet).replace(/=+$/, "") === unpadded) return bytes.toString("latin1");
  }
  return null;
}

/**
 * What the library's exit-iframe page will redirect to without throwing: an
 * https address that is this app's own or the Shopify admin's (its
 * `isTrustedExitIframeDestination` and `sanitizeRedirectUrl`, restated because
 * they are not part of its public API).
 */
function isServableExitIframe(value: string, appUrl: string): boolean {
  if (value.trim() === "" || /\s/.test(value) || value.includes("///")) return false;
  let destination: URL;
  try {
    destination = new URL(value, appUrl);
  } catch {
    return false;
  }
  if (/[/\\][/\\]/.test(destination.pathname) || destination.protocol !== "https:") return false;
  if (destination.origin === new URL(appUrl).origin) return true;
  if (destination.port !== "") return false;
  if (destination.hostname === "admin.shopify.com") return true;
  return SHOP_DOMAIN.test(destination.hostname) && (destination.pathname === "/admin" || destination.pathname.startsWith("/admin/"));
}

/**
 * Throws a 400 a person can read when the URL's Shopify parameters are malformed.
 * Called before `authenticate.admin` by every admin and auth route.
 */
export function requireWellFormedAdminRequest(request: Request, appUrl: string): void {
  const problems = adminRequestProblems(new URL(request.url), appUrl);
  if (problems.length === 0) return;
  const details = problems.map((problem) => `${problem.field} ${problem.message}`).join("; ");
  throw new Response(`This link to the app is not valid (${details}). Open the app from your store's Shopify admin, under Apps.`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * The shop a person types on the login page, as the Shopify template's login
 * accepts it ("my-shop", "my-shop.myshopify.com", "https://my-shop.myshopify.com/"),
 * as its domain; null when it cannot be one.
 */
export function shopDomainFromInput(input: string): string | null {
  const bare = input.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const domain = bare.includes(".") ? bare : `${bare}.myshopify.com`;
  return bare.length <= 255 && SHOP_DOMAIN.test(domain) ? domain : null;
}
