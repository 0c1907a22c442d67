import { existsSync, statSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * A buyer in a real browser (Debian's Chromium): the sandbox checkout opens a
 * payment over mTLS, the app's payment page takes the payment, Shopify's answer
 * brings the buyer to the order page, and the merchant refunds from there.
 */
let stack: SandboxStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startSandboxStack("browser-shop.myshopify.com");
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the buyer's journey in a browser", () => {
  it("pays a test order through the sandbox checkout and lands on the order page; the merchant refunds it", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByLabel("Amount").fill("25.50");
    await page.getByLabel("Currency").selectOption("CAD");
    await screenshot(page, "01-sandbox-checkout");
    await page.getByRole("button", { name: "Pay with Payments App" }).click();

    await page.waitForURL(/\/pay\//);
    expect(page.url().startsWith(`${stack.app.url}/pay/`)).toBe(true);
    await expect.poll(() => page.getByTestId("amount").textContent()).toMatch(/25[.,]50/);
    await screenshot(page, "02-payment-page");
    await page.getByRole("button", { name: "Approve", exact: true }).click();

    // The waiting page reloads itself until Shopify accepted the outcome.
    await page.waitForURL(`${stack.storefront.url}/checkouts/**/thank_you`, { timeout: 60_000 });
    await expect.poll(() => page.getByTestId("state").textContent()).toBe("RESOLVED");
    const file = await screenshot(page, "03-thank-you");
    expect(existsSync(file) && statSync(file).size > 1000).toBe(true);

    await page.getByLabel("Refund amount").fill("10.00");
    await page.getByRole("button", { name: "Refund" }).click();
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("table").textContent();
      }, { timeout: 60_000 })
      .toContain("RESOLVED");
    await screenshot(page, "04-refunded");
    await page.close();
  });

  it("cancels on the payment page and returns to the checkout's cancel URL", async () => {
    const page = await browser.newPage();
    // The shop's real checkout is not reachable from here: answer for it.
    await page.route(/myshopify\.com/, (route) => route.fulfill({ contentType: "text/html", body: "<h1>Back at checkout</h1>" }));
    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    await page.getByRole("button", { name: "Cancel and return to the store" }).click();
    await page.waitForURL(/myshopify\.com\/checkouts\/c\/.+\/payment$/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Back at checkout");
    await page.close();
  });
});
