import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buyerPaymentUrl } from "../../app/payments/rules/buyer-link-token.server";
import { startApp, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * A payment link the app cannot serve is a page in words for the buyer, in the
 * buyer page's style: 404 for a link that is not valid (tampered, unknown, not
 * ours), 410 for one of ours that has expired, with the way back to the store.
 * The payment here is a French buyer's (paymentBody: customer.locale "fr"), so
 * the pages that know the payment speak French; a link that is not valid knows
 * no payment and speaks the browser's language (none sent here: English).
 */
let database: TestDatabase;
let app: AppProcess;
let token: string;
let payment: { id: string; cancelUrl: string };
const config = { appUrl: TEST_APP_URL, secret: TEST_API_SECRET, ttlHours: 1 };

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
  const body = paymentBody();
  const response = await post(app.url, "/sessions/payment", body);
  expect(response.status).toBe(201);
  token = String(response.json.redirect_url).slice(`${TEST_APP_URL}/pay/`.length);
  payment = await database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: body.id }, select: { id: true, cancelUrl: true } });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const tokenOf = (url: string) => new URL(url).pathname.slice("/pay/".length);
const expiredToken = () => tokenOf(buyerPaymentUrl(config, { id: payment.id, receivedAt: new Date(Date.now() - 2 * 3_600_000) }));

async function expectBuyerPage(response: Response, status: number, title: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("text/html");
  const html = await response.text();
  expect(html).toContain(`<h2>${title}</h2>`);
  // The buyer page's stylesheet, not a bare status text.
  expect(html).toContain('rel="stylesheet" href="data:text/css');
  expect(html).not.toContain("Application Error");
  return html;
}

describe("a payment link that is not valid", () => {
  const invalid: [string, () => string][] = [
    ["a word", () => "not-a-real-token"],
    ["a token with its signature changed", () => token.slice(0, -1) + (token.endsWith("A") ? "B" : "A")],
    ["a token whose expiry was pushed back", () => token.replace(/\.(\d+)\./, (_m, expires: string) => `.${Number(expires) + 3600}.`)],
    ["a token signed with another secret", () => tokenOf(buyerPaymentUrl({ ...config, secret: "another-secret-0123456789abcdef" }, { id: payment.id, receivedAt: new Date() }))],
    ["a valid signature for a payment that does not exist", () => tokenOf(buyerPaymentUrl(config, { id: "nosuchpayment", receivedAt: new Date() }))],
    ["an expired link of a payment that does not exist", () => tokenOf(buyerPaymentUrl(config, { id: "nosuchpayment", receivedAt: new Date(0) }))],
  ];

  it.each(invalid)("GET with %s is a 404 page in words", async (_what, make) => {
    const html = await expectBuyerPage(await fetch(`${app.url}/pay/${make()}`), 404, "This payment link is not valid");
    expect(html).toContain("Return to the store and start the payment again");
  });

  it.each(invalid)("POST with %s is the same 404 page, and pays nothing", async (_what, make) => {
    const response = await fetch(`${app.url}/pay/${make()}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=pay&scenario=approve", redirect: "manual" });
    await expectBuyerPage(response, 404, "This payment link is not valid");
    expect((await database.db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("OPEN");
  });

  it("the challenge page of a link that is not valid is the same 404 page", async () => {
    await expectBuyerPage(await fetch(`${app.url}/pay/not-a-real-token/challenge`), 404, "This payment link is not valid");
  });
});

describe("an expired payment link", () => {
  it("is a 410 page saying it expired, with a link back to the store (the checkout's cancel_url)", async () => {
    const html = await expectBuyerPage(await fetch(`${app.url}/pay/${expiredToken()}`), 410, "Ce lien de paiement a expiré");
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain(`href="${payment.cancelUrl}"`);
    expect(html).toContain("Revenir à la boutique");
  });

  it("refuses a payment through it (410) and changes nothing", async () => {
    const response = await fetch(`${app.url}/pay/${expiredToken()}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=pay&scenario=approve", redirect: "manual" });
    await expectBuyerPage(response, 410, "Ce lien de paiement a expiré");
    expect((await database.db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("OPEN");
  });

  it("still serves the link while it is valid", async () => {
    const response = await fetch(`${app.url}/pay/${token}`);
    expect(response.status).toBe(200);
  });
});

describe("a buyer post whose body is not a form", () => {
  it.each([
    ["JSON", "application/json", '{"intent":"pay","scenario":"approve"}', 415],
    ["plain text", "text/plain", "intent=pay&scenario=approve", 415],
    ["a multipart body cut short", "multipart/form-data; boundary=x", "--x\r\nbroken", 400],
  ])("answers %s with a 4xx page, not a 500, and pays nothing", async (_what, type, body, status) => {
    for (const path of [`/pay/${token}`, `/pay/${token}/challenge`]) {
      const response = await fetch(`${app.url}${path}`, { method: "POST", headers: { "Content-Type": type }, body, redirect: "manual" });
      // The challenge page answers only while a challenge waits: otherwise it sends the buyer back to the payment page.
      if (path.endsWith("/challenge")) expect([status, 302]).toContain(response.status);
      else await expectBuyerPage(response, status, "Nous n&#x27;avons pas pu traiter cette demande");
    }
    expect((await database.db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("OPEN");
  });
});
