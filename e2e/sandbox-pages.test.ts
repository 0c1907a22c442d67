import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations } from "./support/axe-check";
import { launchBrowser, screenshot, sidewaysScroll } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The sandbox's pages a developer pays and plays the merchant with, at a
 * laptop's 1280 px and a phone's 390 px, along a buyer's way through them: the
 * checkout, the app's payment page in English, the order page after paying, the
 * checkout after cancelling, and the pending page. Each is screenshotted,
 * checked with axe-core (no serious or critical violation) and does not scroll
 * sideways. (The webhooks page: payment-page.test.ts; the buyer's pages in
 * other languages and states: buyer-language.test.ts.)
 */
let stack: SandboxStack;
let browser: Browser;

beforeAll(async () => {
  // A pending payment stays pending while it is looked at.
  stack = await startSandboxStack("sandbox-pages-shop.myshopify.com", { SANDBOX_PENDING_SECONDS: "3600" });
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const WIDTHS = [1280, 390] as const;

async function expectFitsAndAccessible(page: Page) {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  expect(await sidewaysScroll(page)).toBeNull();
}

/** A buyer at the sandbox checkout, sent on to the app's payment page. */
async function payWithPaymentsApp(width: number, kept?: string): Promise<Page> {
  const page = await browser.newPage({ locale: "en-US", viewport: { width, height: 844 } });
  await page.goto(`${stack.storefront.url}/checkout`);
  await page.getByLabel("Amount").fill("25.50");
  // An English-speaking buyer (the checkout picks one at random otherwise).
  await page.getByLabel("Buyer").selectOption("mary.jones@example.com");
  if (kept) {
    await screenshot(page, `${kept}-checkout-${width}`);
    await expectFitsAndAccessible(page);
  }
  await page.getByRole("button", { name: "Pay with Payments App" }).click();
  await page.waitForURL(/\/pay\//);
  await page.getByRole("button", { name: "Approve", exact: true }).waitFor();
  return page;
}

describe.each(WIDTHS)("the sandbox's pages at %i px", (width) => {
  it("the checkout, the payment page and the order page after paying", async () => {
    const page = await payWithPaymentsApp(width, "sandbox-pages");
    await screenshot(page, `sandbox-pages-buyer-payment-${width}`);
    await expectFitsAndAccessible(page);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.waitForURL(`${stack.storefront.url}/checkouts/**/thank_you`, { timeout: 60_000 });
    await expect.poll(() => page.getByTestId("state").textContent(), { timeout: 60_000 }).toBe("RESOLVED");
    await screenshot(page, `sandbox-pages-order-${width}`);
    await expectFitsAndAccessible(page);
    await page.close();
  });

  it("the checkout after the buyer cancelled on the payment page", async () => {
    const page = await payWithPaymentsApp(width);
    await page.getByRole("button", { name: "Cancel and return to the store" }).click();
    await page.waitForURL(/\/checkouts\/[^/]+\/payment\?cancelled=1$/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Payment abandoned");
    await screenshot(page, `sandbox-pages-abandoned-${width}`);
    await expectFitsAndAccessible(page);
    await page.close();
  });

  it("the pending page while the provider decides", async () => {
    const page = await payWithPaymentsApp(width);
    await page.getByRole("button", { name: "Pending, then approve", exact: true }).click();
    await page.waitForURL(`${stack.storefront.url}/checkouts/**/pending`, { timeout: 60_000 });
    await page.getByRole("heading", { name: "Your payment is pending" }).waitFor();
    await screenshot(page, `sandbox-pages-pending-${width}`);
    await expectFitsAndAccessible(page);
    await page.close();
  });
});
