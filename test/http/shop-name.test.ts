import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerAdminGraphql, sandboxShopName } from "../../sandbox/shopify/admin-api";
import { signWebhookBody } from "../../sandbox/shopify/webhooks";
import { startApp, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, shopifyHeaders } from "../support/shopify-requests";

/**
 * The shop's name for buyers: read at install (the sandbox admin answers the
 * Admin API's `shop { name }`; e2e/buyer-language.test.ts installs through it),
 * again at each token exchange, shown on the payment page instead of the domain.
 */
let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

async function youPayLine(shop: string): Promise<string> {
  const created = await post(app.url, "/sessions/payment", paymentBody({ customer: { ...paymentBody().customer, locale: "en" } }), shopifyHeaders(shop));
  expect(created.status).toBe(201);
  const html = await (await fetch(`${app.url}${String(created.json.redirect_url).slice(TEST_APP_URL.length)}`)).text();
  return /data-testid="you-pay"[^>]*>(.*?)<\/p>/.exec(html)?.[1] ?? "";
}

describe("the shop's name on the buyer page", () => {
  it("shows the stored name instead of the domain, and the domain until a name is known", async () => {
    const shop = "renamed.myshopify.com";
    await installShop(database.db, shop);
    expect(await youPayLine(shop)).toBe(`You pay CA$123.00 to ${shop}`);
    await database.db.shop.update({ where: { domain: shop }, data: { name: "Maison Roy" } });
    expect(await youPayLine(shop)).toBe("You pay CA$123.00 to Maison Roy");
  });

  it("does not subscribe to shop/update: a signed shop object under that topic changes nothing", async () => {
    // Its body is the shop object app/uninstalled carries too (decision 0009 binds
    // bodies to topics by shape), so the app reads the name at token exchange instead.
    const shop = "no-shop-update.myshopify.com";
    await installShop(database.db, shop);
    const raw = JSON.stringify({ id: 1, name: "Not From Here", email: "owner@example.com", domain: shop, myshopify_domain: shop });
    const answer = await fetch(`${app.url}/webhooks`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "shop/update",
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-04",
        "X-Shopify-Webhook-Id": "w-shop-update",
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-Hmac-Sha256": signWebhookBody(raw, TEST_API_SECRET),
      },
      body: raw,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ outcome: "ignored" });
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
    expect((await database.db.shop.findUnique({ where: { domain: shop } }))?.name ?? null).toBeNull();
    expect(await database.db.processedWebhook.count({ where: { shop } })).toBe(0);
  });
});

describe("the sandbox's Admin API", () => {
  it("answers shop { name } to the shop's token, and refuses another token", async () => {
    const shop = "browser-shop.myshopify.com";
    expect(sandboxShopName(shop)).toBe("Browser Shop");
    expect(await answerAdminGraphql(shop, { query: "query ShopName { shop { name } }" }, true)).toEqual({ status: 200, body: { data: { shop: { name: "Browser Shop" } } } });
    expect((await answerAdminGraphql(shop, { query: "{ shop { name } }" }, false)).status).toBe(401);
  });

  it("refuses a field Shopify's schema does not have, as GraphQL does", async () => {
    const answer = await answerAdminGraphql("a-shop.myshopify.com", { query: "{ shop { nickname } }" }, true);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('Cannot query field \\"nickname\\" on type \\"Shop\\"');
  });
});
