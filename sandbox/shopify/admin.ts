import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PaymentsAppsSandbox } from "../payments-apps/server";
import { ADMIN_GRAPHQL_PATH, answerAdminGraphql } from "./admin-api";
import { embeddedAppQuery, signSessionToken, verifySessionToken } from "./session-token";

/**
 * The Shopify admin, played locally: it installs the app the way Shopify-managed
 * installation does (the app exchanges a session token for the shop's offline
 * token at /admin/oauth/access_token), and frames the app's embedded UI with
 * `shop`, `host` and a session token signed with the app's secret. Inside the
 * frame, the App Bridge stand-in asks this page for fresh tokens.
 */
export interface SandboxApp {
  /** The app's URL (SHOPIFY_APP_URL). */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** The scopes the merchant grants at install (the app's SCOPES). */
  scopes: string;
}

/** A staff member of the sandbox shop, as Shopify's associated user of an online token. */
export interface SandboxStaffMember {
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
}

/** Staff members of the sandbox shop; `?user=` on the admin URL picks one. */
export const SANDBOX_STAFF: Record<string, SandboxStaffMember> = {
  "1001": { firstName: "Sam", lastName: "Support", email: "sam.support@example.com", accountOwner: false },
  "1002": { firstName: "Morgan", lastName: "Merchant", email: "morgan.merchant@example.com", accountOwner: true },
};

/** Any other user id the admin URL names: a staff member without a known name. */
function staffMember(userId: string): SandboxStaffMember {
  return SANDBOX_STAFF[userId] ?? { firstName: "Staff", lastName: userId, email: `staff-${userId}@example.com`, accountOwner: false };
}

/** How long an online token lives (Shopify: 24 hours); the app exchanges again after. */
const ONLINE_TOKEN_SECONDS = 24 * 60 * 60;
const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
const DEFAULT_STAFF = "1001";

const APP_HANDLE = "payments-app";
const appBridgeScript = readFileSync(new URL("./app-bridge-stand-in.js", import.meta.url), "utf8");
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface SandboxAdmin {
  /** The admin page that frames the app (what a merchant opens). */
  path: string;
  /** Whether this request was the admin's; answered if so. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** The embedded app's URL for a path of the app, as the admin frames it. */
  embeddedUrl(appPath?: string, options?: { userId?: string; locale?: string }): string;
  /** Installs the app as a merchant opening it for the first time does. */
  install(): Promise<void>;
  /**
   * The merchant uninstalls the app: Shopify revokes the offline token (the
   * Payments Apps API refuses it from now on) and a reinstall issues a new one.
   * Shopify then sends app/uninstalled (the caller's part: see webhooks.ts).
   */
  uninstall(): void;
}

export interface SandboxAdminOptions {
  shop: string;
  app: SandboxApp;
  paymentsApi: PaymentsAppsSandbox;
  /** The offline token of an install made earlier (a runner remembers it across restarts). */
  accessToken?: string;
  /** Told the offline token issued at install. */
  onInstall?: (accessToken: string) => void;
}

export function createSandboxAdmin(options: SandboxAdminOptions): SandboxAdmin {
  const { shop, app } = options;
  const path = `/admin/apps/${APP_HANDLE}`;
  // Shopify answers every exchange of an install with the same offline token
  // (the admin's parallel first requests each exchange one).
  let installedToken = options.accessToken ?? null;
  if (installedToken) options.paymentsApi.registerShop(shop, installedToken);

  const embeddedUrl: SandboxAdmin["embeddedUrl"] = (appPath = "/app", { userId = DEFAULT_STAFF, locale = "en" } = {}) => {
    const query = embeddedAppQuery({ shop, apiKey: app.apiKey, apiSecret: app.apiSecret, userId, locale });
    const target = new URL(appPath, app.url);
    for (const [key, value] of query) target.searchParams.set(key, value);
    return target.href;
  };

  // Shopify-managed installation with token exchange: the app trades a session
  // token for the shop's offline access token (spec §11). The token is known to
  // the local Payments Apps API from then on; a new install replaces it. The
  // embedded admin then trades the same session token for an online token of the
  // staff member it names (`sub`), answered with Shopify's associated user.
  const onlineTokens = new Map<string, string>();
  function exchangeToken(body: Record<string, unknown>, shopHeader: string | undefined): { status: number; body: unknown } {
    if (shopHeader !== shop) return { status: 404, body: { error: "shop_not_found" } };
    if (body.client_id !== app.apiKey || body.client_secret !== app.apiSecret) return { status: 401, body: { error: "invalid_client" } };
    if (body.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange" || body.subject_token_type !== "urn:ietf:params:oauth:token-type:id_token") {
      return { status: 400, body: { error: "unsupported_grant_type" } };
    }
    const claims = typeof body.subject_token === "string" ? verifySessionToken(body.subject_token, app) : null;
    if (!claims || claims.dest !== `https://${shop}`) return { status: 400, body: { error: "invalid_subject_token" } };
    if (body.requested_token_type === ONLINE_TOKEN_TYPE) {
      if (!installedToken) return { status: 400, body: { error: "invalid_request", error_description: "the app is not installed on this shop" } };
      return { status: 200, body: onlineToken(claims.sub) };
    }
    if (body.requested_token_type !== OFFLINE_TOKEN_TYPE) {
      return { status: 400, body: { error: "invalid_request", error_description: "requested_token_type must be an offline or online access token" } };
    }
    if (!installedToken) {
      installedToken = `shpat_sandbox_${randomBytes(16).toString("hex")}`;
      options.paymentsApi.registerShop(shop, installedToken);
      options.onInstall?.(installedToken);
    }
    return { status: 200, body: { access_token: installedToken, scope: app.scopes } };
  }

  // Shopify's answer for an online token: the token, its lifetime and the user it acts for.
  function onlineToken(userId: string) {
    const token = onlineTokens.get(userId) ?? `shpua_sandbox_${randomBytes(16).toString("hex")}`;
    onlineTokens.set(userId, token);
    const member = staffMember(userId);
    return {
      access_token: token,
      scope: app.scopes,
      expires_in: ONLINE_TOKEN_SECONDS,
      associated_user_scope: app.scopes,
      associated_user: {
        id: Number(userId),
        first_name: member.firstName,
        last_name: member.lastName,
        email: member.email,
        email_verified: true,
        account_owner: member.accountOwner,
        locale: "en",
        collaborator: false,
      },
    };
  }

  const adminPage = (userId: string, frameSrc: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>Payments app · ${escape(shop)} · Shopify sandbox admin</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#1a1a1a;display:grid;grid-template-rows:48px 1fr;grid-template-columns:220px 1fr;height:100vh}
header{grid-column:1/3;color:#fff;display:flex;align-items:center;gap:1rem;padding:0 1rem;font-size:.9rem}
nav{background:#ebebeb;padding:.75rem;border-top-left-radius:12px}nav a{display:block;padding:.35rem .5rem;border-radius:8px;color:#303030;text-decoration:none}
nav a[aria-current]{background:#fff;font-weight:600}nav a:focus-visible{outline:2px solid #005bd3}.app-name{font-weight:650;margin-top:.75rem}
iframe{border:0;width:100%;height:100%;background:#f1f1f1;border-top-right-radius:12px}
@media (max-width:700px){body{grid-template-columns:1fr}header{grid-column:1;font-size:.8rem;flex-wrap:wrap;gap:.5rem}nav{display:none}iframe{border-radius:0}}</style></head>
<body><header><strong>Shopify sandbox admin</strong><span>${escape(shop)}</span><span>Signed in as ${escape(`${staffMember(userId).firstName} ${staffMember(userId).lastName}`)}</span></header>
<nav aria-label="Admin"><a href="/checkout">Checkout (storefront)</a><div class="app-name">Payments app</div><div id="app-nav"></div></nav>
<main><iframe id="app" title="Payments app" src="${escape(frameSrc)}"></iframe></main>
<script>
const appOrigin = ${JSON.stringify(new URL(app.url).origin)};
const frame = document.getElementById("app");
addEventListener("message", async (event) => {
  if (event.origin !== appOrigin || event.source !== frame.contentWindow || !event.data) return;
  const message = event.data;
  if (message.type === "sandbox-app-bridge:id-token-request") {
    const response = await fetch("${path}/session-token?user=${encodeURIComponent(userId)}");
    const reply = response.ok ? { idToken: (await response.json()).idToken } : { error: "session token refused (" + response.status + ")" };
    frame.contentWindow.postMessage({ type: "sandbox-app-bridge:id-token", id: message.id, ...reply }, appOrigin);
  }
  if (message.type === "sandbox-app-bridge:nav") {
    const nav = document.getElementById("app-nav");
    nav.replaceChildren(...message.items.filter((item) => item.rel !== "home").map((item) => {
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = item.label;
      link.addEventListener("click", (click) => {
        click.preventDefault();
        frame.contentWindow.postMessage({ type: "sandbox-app-bridge:navigate", href: item.href }, appOrigin);
      });
      return link;
    }));
    if (message.title) document.title = message.title + " · Payments app · Shopify sandbox admin";
  }
});
</script></body></html>`;

  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8").slice(0, 20_000));
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  const staffFrom = (url: URL) => {
    const user = url.searchParams.get("user") ?? DEFAULT_STAFF;
    return /^\d{1,12}$/.test(user) ? user : DEFAULT_STAFF;
  };

  return {
    path,
    embeddedUrl,
    async handle(req, res, url) {
      const json = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(body));
      if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") {
        const header = req.headers["x-shopify-shop-domain"];
        const answer = exchangeToken(await readJson(req), typeof header === "string" ? header : undefined);
        json(answer.status, answer.body);
        return true;
      }
      if (ADMIN_GRAPHQL_PATH.test(url.pathname) && req.method === "POST") {
        const token = req.headers["x-shopify-access-token"];
        // Shopify's Admin API takes the shop's offline token and its staff members' online ones.
        const known = typeof token === "string" && (token === installedToken || [...onlineTokens.values()].includes(token));
        const answer = await answerAdminGraphql(shop, await readJson(req), known);
        json(answer.status, answer.body);
        return true;
      }
      if (url.pathname === "/app-bridge.js") {
        res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" }).end(appBridgeScript);
        return true;
      }
      if (url.pathname === `${path}/session-token`) {
        json(200, { idToken: signSessionToken({ shop, apiKey: app.apiKey, apiSecret: app.apiSecret, userId: staffFrom(url) }) });
        return true;
      }
      if (url.pathname === path || url.pathname.startsWith(`${path}/`)) {
        const appPath = `/app${url.pathname.slice(path.length)}`;
        const userId = staffFrom(url);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(adminPage(userId, embeddedUrl(appPath, { userId })));
        return true;
      }
      return false;
    },
    uninstall() {
      installedToken = null;
      onlineTokens.clear();
      // Any token but the revoked one: the shop stays known to the API (its
      // sessions too), and the app's old token is refused.
      options.paymentsApi.registerShop(shop, `shpat_revoked_${randomBytes(16).toString("hex")}`);
    },
    async install() {
      // A merchant opening the app for the first time: the app's first embedded
      // load carries a session token, which the app exchanges for its offline token.
      // (The library answers bots with 410; a merchant's browser is not one.)
      const response = await fetch(embeddedUrl("/app"), { redirect: "manual", headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`Installing the app on ${shop} failed: the app answered ${response.status} to its first embedded load.`);
    },
  };
}
