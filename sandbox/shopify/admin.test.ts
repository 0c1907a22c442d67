import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../payments-apps/server";
import { startShopifySandbox } from "./server";
import { embeddedAppQuery, signSessionToken, verifySessionToken } from "./session-token";
import type { ShopifySimulator } from "./simulator";

const SHOP = "admin-sandbox.myshopify.com";
const APP = { url: "http://127.0.0.1:9", apiKey: "key-1", apiSecret: "secret-0123456789abcdef", scopes: "write_payment_gateways,write_payment_sessions" };

let paymentsApi: PaymentsAppsSandbox;
let sandbox: Awaited<ReturnType<typeof startShopifySandbox>>;
const issued: string[] = [];

beforeAll(async () => {
  paymentsApi = await startPaymentsAppsSandbox();
  // The admin never uses the simulator; the checkout pages do.
  sandbox = await startShopifySandbox({ shop: SHOP, simulator: { setCheckoutOrigin: () => undefined } as unknown as ShopifySimulator, paymentsApi, app: APP, onInstall: (token) => issued.push(token) });
});

afterAll(async () => {
  await sandbox?.stop();
  await paymentsApi?.stop();
});

function exchange(body: Record<string, unknown>, shop = SHOP) {
  return fetch(`${sandbox.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Shop-Domain": shop },
    body: JSON.stringify({
      client_id: APP.apiKey,
      client_secret: APP.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: signSessionToken({ shop: SHOP, apiKey: APP.apiKey, apiSecret: APP.apiSecret, userId: "1" }),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      ...body,
    }),
  });
}

describe("session tokens", () => {
  it("are HS256 JWTs for the shop's admin and the app, verified with the app's secret only", () => {
    const token = signSessionToken({ shop: SHOP, apiKey: APP.apiKey, apiSecret: APP.apiSecret, userId: "42" });
    const claims = verifySessionToken(token, APP);
    expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: APP.apiKey, sub: "42" });
    expect(claims!.exp - claims!.iat).toBe(60);
    expect(verifySessionToken(token, { ...APP, apiSecret: "another-secret-0123456" })).toBeNull();
    expect(verifySessionToken(token, { ...APP, apiKey: "another-app" })).toBeNull();
  });

  it("expire after a minute", () => {
    const token = signSessionToken({ shop: SHOP, apiKey: APP.apiKey, apiSecret: APP.apiSecret, userId: "1", now: new Date(Date.now() - 120_000) });
    expect(verifySessionToken(token, APP)).toBeNull();
  });

  it("ride on the embedded URL with host and an hmac over the other parameters", () => {
    const query = embeddedAppQuery({ shop: SHOP, apiKey: APP.apiKey, apiSecret: APP.apiSecret, userId: "1" });
    expect(query.get("embedded")).toBe("1");
    expect(Buffer.from(query.get("host") ?? "", "base64url").toString()).toBe("admin.shopify.com/store/admin-sandbox");
    const hmac = query.get("hmac");
    query.delete("hmac");
    const message = [...query.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join("&");
    expect(hmac).toBe(createHmac("sha256", APP.apiSecret).update(message).digest("hex"));
  });
});

describe("token exchange at install", () => {
  it("issues one offline token per install, known to the Payments Apps API, whatever the number of exchanges", async () => {
    const first = await exchange({});
    expect(first.status).toBe(200);
    const { access_token: token, scope } = (await first.json()) as { access_token: string; scope: string };
    expect(scope).toBe(APP.scopes);
    expect((await (await exchange({})).json()) as object).toEqual({ access_token: token, scope });
    expect(issued).toEqual([token]);
    const graphql = await fetch(`${paymentsApi.url}/payments_apps/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Shopify-Shop-Domain": SHOP },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(graphql.status).not.toBe(401);
  });

  it.each([
    ["a wrong client secret", { client_secret: "wrong-secret-0123456789" }, 401, "invalid_client"],
    ["a session token signed with another secret", { subject_token: signSessionToken({ shop: SHOP, apiKey: APP.apiKey, apiSecret: "another-secret-0123456", userId: "1" }) }, 400, "invalid_subject_token"],
    ["a session token for another shop", { subject_token: signSessionToken({ shop: "other.myshopify.com", apiKey: APP.apiKey, apiSecret: APP.apiSecret, userId: "1" }) }, 400, "invalid_subject_token"],
    ["another grant type", { grant_type: "authorization_code" }, 400, "unsupported_grant_type"],
  ])("refuses %s", async (_name, body, status, error) => {
    const response = await exchange(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe(error);
  });

  it("issues an online token for the staff member the session token names, with Shopify's associated user", async () => {
    await exchange({});
    const subject = signSessionToken({ shop: SHOP, apiKey: APP.apiKey, apiSecret: APP.apiSecret, userId: "1001" });
    const response = await exchange({ subject_token: subject, requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; expires_in: number; associated_user: { id: number; first_name: string; last_name: string; email: string } };
    expect(body.access_token).toMatch(/^shpua_/);
    expect(body.expires_in).toBe(86_400);
    expect(body.associated_user).toMatchObject({ id: 1001, first_name: "Sam", last_name: "Support", email: "sam.support@example.com" });
  });

  it("refuses a token type it does not know", async () => {
    const response = await exchange({ requested_token_type: "urn:shopify:params:oauth:token-type:something-else" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("knows only its own shop", async () => {
    expect((await exchange({}, "other.myshopify.com")).status).toBe(404);
  });
});

describe("the admin page", () => {
  it("frames the app's /app with shop, host and a fresh session token for the chosen staff member", async () => {
    const html = await (await fetch(`${sandbox.url}/admin/apps/payments-app?user=1002`)).text();
    const src = /<iframe id="app" title="Payments app" src="([^"]+)"/.exec(html)?.[1]?.replaceAll("&#38;", "&") ?? "";
    const url = new URL(src);
    expect(url.origin + url.pathname).toBe(`${APP.url}/app`);
    expect(url.searchParams.get("shop")).toBe(SHOP);
    expect(verifySessionToken(url.searchParams.get("id_token") ?? "", APP)?.sub).toBe("1002");
    expect(html).toContain("Morgan Merchant");
  });

  it("serves the App Bridge stand-in", async () => {
    const response = await fetch(`${sandbox.url}/app-bridge.js`);
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(await response.text()).toContain("sandbox-app-bridge:id-token-request");
  });
});
