import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerAdminGraphql, sandboxShopName } from "../../sandbox/shopify/admin-api";
import { createWebhookSender } from "../../sandbox/shopify/webhooks";
import { startApp, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, shopifyHeaders } from "../support/shopify-requests";

/**
 * The shop's name for buyers: read at install (the sandbox admin answers the
 * Admin API's `shop { name }`; e2e/buyer-language.test.ts installs through it),
 * kept current by shop/update, shown on the payment page instead of the domain.
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

const shopUpdate = (shop: string, name: string, extra: Record<string, unknown> = {}) => ({ id: 1, name, email: "owner@example.com", domain: shop, myshopify_domain: shop, ...extra });

async function youPayLine(shop: string): Promise<string> {
  const created = await post(app.url, "/sessions/payment", paymentBody({ customer: { ...paymentBody().customer, locale: "en" } }), shopifyHeaders(shop));
  expect(created.status).toBe(201);
  const html = await (await fetch(`${app.url}${String(created.json.redirect_url).slice(TEST_APP_URL.length)}`)).text();
  return /data-testid="you-pay"[^>]*>(.*?)<\/p>/.exec(html)?.[1] ?? "";
}

describe("shop/update keeps the shop's name current", () => {
  it("renames the shop on the buyer page, once per webhook id", async () => {
    const shop = "renamed.myshopify.com";
    await installShop(database.db, shop);
    expect(await youPayLine(shop)).toBe(`You pay CA$123.00 to ${shop}`);

    const sender = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop, attempts: 1 });
    const first = await sender.send("shop/update", {}, { body: shopUpdate(shop, "  Maison Roy  ") });
    expect(first.status).toBe(200);
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).name).toBe("Maison Roy");
    expect(await youPayLine(shop)).toBe("You pay CA$123.00 to Maison Roy");

    // A replay of an older delivery (same webhook id) after a newer rename changes nothing.
    await sender.send("shop/update", {}, { body: shopUpdate(shop, "Maison Roy & Fille") });
    const replay = await sender.send("shop/update", {}, { body: shopUpdate(shop, "Maison Roy"), webhookId: first.webhookId });
    expect(replay.status).toBe(200);
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).name).toBe("Maison Roy & Fille");
  });

  it("keeps the name when the update carries a blank one", async () => {
    const shop = "blank-name.myshopify.com";
    await installShop(database.db, shop);
    await youPayLine(shop);
    const sender = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop, attempts: 1 });
    await sender.send("shop/update", {}, { body: shopUpdate(shop, "Blank Co") });
    expect((await sender.send("shop/update", {}, { body: shopUpdate(shop, "   ") })).status).toBe(200);
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).name).toBe("Blank Co");
  });

  it("refuses a body about another shop (422) and renames nothing", async () => {
    const shop = "bound-name.myshopify.com";
    await installShop(database.db, shop);
    await youPayLine(shop);
    const sender = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop, attempts: 1 });
    const answer = await sender.send("shop/update", {}, { body: shopUpdate("other.myshopify.com", "Not Mine") });
    expect(answer.status).toBe(422);
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).name).toBeNull();
  });

  it("does not bring back the row of a shop it knows nothing of (erased by shop/redact)", async () => {
    const shop = "erased-name.myshopify.com";
    const sender = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop, attempts: 1 });
    expect((await sender.send("shop/update", {}, { body: shopUpdate(shop, "Gone") })).status).toBe(200);
    expect(await database.db.shop.findUnique({ where: { domain: shop } })).toBeNull();
  });

  it("answers a body without a name with 422", async () => {
    const shop = "nameless.myshopify.com";
    const sender = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop, attempts: 1 });
    const { name: _name, ...body } = shopUpdate(shop, "x");
    const answer = await sender.send("shop/update", {}, { body });
    expect(answer.status).toBe(422);
    expect(answer.response).toMatchObject({ error: { problems: [{ field: "name" }] } });
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
