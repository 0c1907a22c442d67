import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import type Stripe from "stripe";
import { launchBrowser, screenshot } from "../../e2e/support/browser";
import { startStripeSandbox, type StripeSandbox } from "./server";
import { sessionParams, stripeClient } from "./test-client";

/** Stands for the app's return page: says which session the buyer came back with. */
async function startShop() {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://shop");
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html><title>Shop</title><h1>${url.pathname === "/return" ? "Back at the shop" : "Cancelled"}</h1><p id="session">${url.searchParams.get("session") ?? ""}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let sandbox: StripeSandbox;
let stripe: Stripe;
let shop: Awaited<ReturnType<typeof startShop>>;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startStripeSandbox();
  stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
  shop = await startShop();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await sandbox?.close();
});

async function openCheckout(amount: number): Promise<{ session: Stripe.Checkout.Session; page: Page }> {
  const session = await stripe.checkout.sessions.create(sessionParams(amount, { success_url: `${shop.url}/return?session={CHECKOUT_SESSION_ID}`, cancel_url: `${shop.url}/cancel` }));
  const page = await browser.newPage();
  await page.goto(session.url!);
  return { session, page };
}

async function typeCard(page: Page, number: string) {
  await page.fill("#card_number", number);
  await page.fill("#expiry", "12 / 34");
  await page.fill("#cvc", "123");
}

describe("the hosted checkout page in Chromium", () => {
  it("pays with 4242 4242 4242 4242 and comes back to success_url", async () => {
    const { session, page } = await openCheckout(4999);
    try {
      expect(await page.textContent("[data-testid=amount]")).toBe("49.99 USD");
      await typeCard(page, "4242 4242 4242 4242");
      await screenshot(page, "stripe-sandbox-checkout-4242");
      await Promise.all([page.waitForURL(`${shop.url}/return?**`), page.click("#pay")]);
      expect(await page.textContent("#session")).toBe(session.id);
      expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
    } finally {
      await page.close();
    }
  });

  it("pays with the 3-D Secure card after completing the challenge", async () => {
    const { session, page } = await openCheckout(3000);
    try {
      await typeCard(page, "4000 0027 6000 3184");
      await Promise.all([page.waitForURL(`**/c/pay/${session.id}/3ds`), page.click("#pay")]);
      expect(await page.textContent("h1:nth-of-type(2)")).toBe("3-D Secure authentication");
      await screenshot(page, "stripe-sandbox-3ds-challenge");
      await Promise.all([page.waitForURL(`${shop.url}/return?**`), page.click("#complete")]);
      expect(await page.textContent("#session")).toBe(session.id);
      expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
    } finally {
      await page.close();
    }
  });

  it("shows a declined card's reason on the page and lets the buyer go back to the store", async () => {
    const { page } = await openCheckout(1500);
    try {
      await typeCard(page, "4000 0000 0000 0002");
      await page.click("#pay");
      await page.waitForSelector("[role=alert]");
      expect(await page.textContent("[role=alert]")).toBe("Your card was declined.");
      await screenshot(page, "stripe-sandbox-declined");
      await Promise.all([page.waitForURL(`${shop.url}/cancel`), page.click("#cancel")]);
    } finally {
      await page.close();
    }
  });
});
