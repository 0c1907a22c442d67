import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * One language per buyer page (issue 15): the buyer's locale as Shopify sent
 * it, then the merchant's, then English; the money in a locale of that same
 * language; `<html lang dir>` saying so; the shop by its name.
 */
let database: TestDatabase;
let app: AppProcess;
const SHOP_NAME = "Boutique Camille & Fils";

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await database.db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP, name: SHOP_NAME }, update: { name: SHOP_NAME } });
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

/** Opens a payment as Shopify does and returns the buyer's page, as HTML. */
async function buyerPage(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const created = await post(app.url, "/sessions/payment", paymentBody(body));
  expect(created.status).toBe(201);
  const response = await fetch(`${app.url}${String(created.json.redirect_url).slice(TEST_APP_URL.length)}`, { headers });
  expect(response.status).toBe(200);
  return wholeCharacters(await response.text());
}

/**
 * The page's text has no NUL and no replacement character: React 18.3's
 * streaming renderer sent the unwritten tail of its 2 KB buffer (zeros) when a
 * multi-byte character did not fit at its end (patches/react-dom+18.3.1.patch).
 */
function wholeCharacters(html: string): string {
  expect(html).not.toContain("\u0000");
  expect(html).not.toContain("\ufffd");
  return html;
}

const customer = (locale: string) => ({ ...paymentBody().customer, locale });
const NBSP = "\u00a0";
const text = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[^>]*>(.*?)</p>`).exec(html)?.[1]?.replace(/<[^>]+>/g, "") ?? "";

describe("the buyer page's language", () => {
  it("is the buyer's: a French-Canadian buyer reads French, with French figures", async () => {
    const html = await buyerPage({ customer: customer("fr-CA"), merchant_locale: "en", amount: "75.00", currency: "CAD" });
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain("<title>Finalisez votre paiement</title>");
    expect(text(html, "amount")).toBe(`75,00${NBSP}$`);
    expect(text(html, "you-pay")).toBe(`Vous payez 75,00${NBSP}$ à Boutique Camille &amp; Fils`);
    expect(html).toContain("Annuler et revenir à la boutique");
    expect(html).not.toContain("Cancel and return to the store");
  });

  it("formats an English page's money the English way, never '75,00 $CA'", async () => {
    const html = await buyerPage({ customer: customer("en-US"), merchant_locale: "fr", amount: "75.00", currency: "CAD" });
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(text(html, "amount")).toBe("CA$75.00");
    expect(text(html, "you-pay")).toBe("You pay CA$75.00 to Boutique Camille &amp; Fils");
    expect(html).not.toContain("$CA");
  });

  it("is right to left for an Arabic buyer, with the amount isolated in the sentence", async () => {
    const html = await buyerPage({ customer: customer("ar"), amount: "49.99", currency: "USD" });
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("<title>أكمل الدفع</title>");
    // The Latin "US$" isolated left to right inside the amount, the amount and the name isolated in the sentence.
    expect(text(html, "amount")).toBe(`\u200f49.99${NBSP}\u2066US$\u2069`);
    expect(text(html, "you-pay")).toBe(`تدفع \u2068\u200f49.99${NBSP}\u2066US$\u2069\u2069 إلى \u2068Boutique Camille &amp; Fils\u2069`);
    expect(html).toContain("إلغاء والعودة إلى المتجر");
  });

  it("is the merchant's when the buyer's has no catalogue, then English", async () => {
    const german = await buyerPage({ customer: customer("sw"), merchant_locale: "de-DE", amount: "1234.50", currency: "EUR" });
    expect(german).toContain('<html lang="de" dir="ltr">');
    expect(text(german, "amount")).toBe(`1.234,50${NBSP}€`);
    expect(text(german, "you-pay")).toBe(`Sie zahlen 1.234,50${NBSP}€ an Boutique Camille &amp; Fils`);

    const english = await buyerPage({ customer: customer("sw"), merchant_locale: "ko", amount: "12.50", currency: "EUR" });
    expect(english).toContain('<html lang="en" dir="ltr">');
    expect(text(english, "amount")).toBe("€12.50");
  });

  it("is the merchant's when Shopify sent no customer", async () => {
    const { customer: _none, ...body } = paymentBody({ merchant_locale: "ja", amount: "4500", currency: "JPY" });
    const created = await post(app.url, "/sessions/payment", body);
    expect(created.status).toBe(201);
    const html = await (await fetch(`${app.url}${String(created.json.redirect_url).slice(TEST_APP_URL.length)}`)).text();
    expect(html).toContain('<html lang="ja" dir="ltr">');
    expect(text(html, "you-pay")).toBe("Boutique Camille &amp; Fils に ￥4,500 を支払います");
  });

  it.each([
    ["pt-PT", "pt-BR", "Você paga"],
    ["zh-CN", "zh-CN", "您向"],
    ["nl-BE", "nl", "Je betaalt"],
    ["es-MX", "es", "Pagas"],
    ["it", "it", "Paghi"],
  ])("a %s buyer reads the %s page", async (locale, lang, words) => {
    const html = await buyerPage({ customer: customer(locale), amount: "20.00", currency: "EUR" });
    expect(html).toContain(`<html lang="${lang}" dir="ltr">`);
    expect(text(html, "you-pay")).toContain(words);
  });

  it("names the shop by its domain until its name is known", async () => {
    await database.db.shop.update({ where: { domain: SHOP }, data: { name: null } });
    try {
      const html = await buyerPage({ customer: customer("en") });
      expect(text(html, "you-pay")).toBe(`You pay CA$123.00 to ${SHOP}`);
    } finally {
      await database.db.shop.update({ where: { domain: SHOP }, data: { name: SHOP_NAME } });
    }
  });
});

describe("a page with no payment behind it", () => {
  it("speaks the browser's language (Accept-Language): a link that is not valid, in Japanese", async () => {
    const response = await fetch(`${app.url}/pay/not-a-real-token`, { headers: { "Accept-Language": "sw, ja-JP;q=0.9, en;q=0.5" } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="ja" dir="ltr">');
    expect(html).toContain("<h2>この支払いリンクは無効です</h2>");
  });

  it("and in Arabic, right to left", async () => {
    const html = await (await fetch(`${app.url}/pay/not-a-real-token`, { headers: { "Accept-Language": "ar" } })).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("<h2>رابط الدفع هذا غير صالح</h2>");
  });

  it("is English when the browser asks for nothing we have", async () => {
    const html = await (await fetch(`${app.url}/pay/not-a-real-token`, { headers: { "Accept-Language": "sw" } })).text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("<h2>This payment link is not valid</h2>");
  });
});

describe("the rest of the app", () => {
  it("stays an English document", async () => {
    const html = await (await fetch(`${app.url}/no-such-page`, { headers: { "Accept-Language": "fr" } })).text();
    expect(html).toContain('<html lang="en" dir="ltr">');
  });
});
