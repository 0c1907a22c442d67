import { existsSync, rmSync, statSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../sandbox/payments-apps/server";
import { createLocalPki, type LocalPki } from "../sandbox/pki";
import { startShopifySandbox } from "../sandbox/shopify/server";
import { createShopifySimulator, type ShopifySimulator } from "../sandbox/shopify/simulator";
import { freePort, startApp, type AppProcess } from "../test/support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../test/support/database";
import { launchBrowser, screenshot } from "./support/browser";

/**
 * A buyer in a real browser (Debian's Chromium): the sandbox checkout opens a
 * payment over mTLS, the app's payment page takes the payment, Shopify's answer
 * brings the buyer to the order page, and the merchant refunds from there.
 */
const SHOP = "browser-shop.myshopify.com";
let database: TestDatabase;
let pki: LocalPki;
let shopify: PaymentsAppsSandbox;
let app: AppProcess;
let simulator: ShopifySimulator;
let storefront: Awaited<ReturnType<typeof startShopifySandbox>>;
let browser: Browser;

beforeAll(async () => {
  database = createTestDatabase();
  await installShop(database.db, SHOP);
  pki = await createLocalPki();
  shopify = await startPaymentsAppsSandbox();
  shopify.registerShop(SHOP, `shpat_test_${SHOP}`);
  // The buyer's browser follows the buyer link, so SHOPIFY_APP_URL must be this process.
  const port = await freePort();
  app = await startApp({
    PORT: String(port),
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    SHOPIFY_REQUEST_AUTH: "mtls",
    MTLS_CA_FILE: pki.files.ca,
    TLS_CERT_FILE: pki.files.serverCert,
    TLS_KEY_FILE: pki.files.serverKey,
    PAYMENTS_APPS_API_ORIGIN: shopify.url,
    WORKER_POLL_MS: "50",
  });
  simulator = createShopifySimulator({
    appOrigin: app.mtlsUrl ?? "",
    shop: SHOP,
    clientCertFile: pki.files.shopifyCert,
    clientKeyFile: pki.files.shopifyKey,
    serverCaFile: pki.files.serverCa,
    paymentsApi: shopify,
  });
  storefront = await startShopifySandbox({ shop: SHOP, simulator, paymentsApi: shopify });
  shopify.setCheckoutOrigin(storefront.url);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  simulator?.close();
  await storefront?.stop();
  await app?.stop();
  await shopify?.stop();
  await database?.drop();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

describe("the buyer's journey in a browser", () => {
  it("pays a test order through the sandbox checkout and lands on the order page; the merchant refunds it", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${storefront.url}/checkout`);
    await page.getByLabel("Amount").fill("25.50");
    await page.getByLabel("Currency").selectOption("CAD");
    await screenshot(page, "01-sandbox-checkout");
    await page.getByRole("button", { name: "Pay with Payments App" }).click();

    await page.waitForURL(/\/pay\//);
    expect(page.url().startsWith(`${app.url}/pay/`)).toBe(true);
    await expect.poll(() => page.getByTestId("amount").textContent()).toMatch(/25[.,]50/);
    await screenshot(page, "02-payment-page");
    await page.getByRole("button", { name: "Approve", exact: true }).click();

    // The waiting page reloads itself until Shopify accepted the outcome.
    await page.waitForURL(`${storefront.url}/checkouts/**/thank_you`, { timeout: 20_000 });
    await expect.poll(() => page.getByTestId("state").textContent()).toBe("RESOLVED");
    const file = await screenshot(page, "03-thank-you");
    expect(existsSync(file) && statSync(file).size > 1000).toBe(true);

    await page.getByLabel("Refund amount").fill("10.00");
    await page.getByRole("button", { name: "Refund" }).click();
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("table").textContent();
      }, { timeout: 20_000 })
      .toContain("RESOLVED");
    await screenshot(page, "04-refunded");
    await page.close();
  });

  it("cancels on the payment page and returns to the checkout's cancel URL", async () => {
    const page = await browser.newPage();
    // The shop's real checkout is not reachable from here: answer for it.
    await page.route(/myshopify\.com/, (route) => route.fulfill({ contentType: "text/html", body: "<h1>Back at checkout</h1>" }));
    await page.goto(`${storefront.url}/checkout`);
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    await page.getByRole("button", { name: "Cancel and return to the store" }).click();
    await page.waitForURL(/myshopify\.com\/checkouts\/c\/.+\/payment$/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Back at checkout");
    await page.close();
  });
});
