import { existsSync, statSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buyerPaymentUrl } from "../app/payments/rules/buyer-link-token.server";
import { TEST_API_SECRET } from "../test/support/app-process";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * A buyer in a real browser (Debian's Chromium): the sandbox checkout opens a
 * payment over mTLS, the app's payment page takes the payment, Shopify's answer
 * brings the buyer to the order page, and the merchant refunds from there.
 */
let stack: SandboxStack;
let browser: Browser;
/** An English-speaking sandbox buyer: these journeys read the page's English words (e2e/buyer-language.test.ts reads the others). */
const MARY = "mary.jones@example.com";

beforeAll(async () => {
  stack = await startSandboxStack("browser-shop.myshopify.com", {
    // A provider that hangs a minute: the buyer must be answered long before.
    PROVIDER_TIMEOUT_MS: "60000",
  });
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
    await page.getByLabel("Buyer").selectOption(MARY);
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

  it("cancels on the payment page and comes back to the sandbox checkout, which shows the payment abandoned", async () => {
    const page = await browser.newPage();
    // No interception: the buyer's browser follows cancel_url for real, and never
    // leaves this machine for the shop's real checkout.
    const offMachine: string[] = [];
    page.on("request", (request) => {
      if (/^https?:/.test(request.url()) && !request.url().startsWith("http://127.0.0.1:")) offMachine.push(request.url());
    });
    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByLabel("Buyer").selectOption(MARY);
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    await page.getByRole("button", { name: "Cancel and return to the store" }).click();
    await page.waitForURL(new RegExp(`^${escapeRegExp(stack.storefront.url)}/checkouts/[^/]+/payment\\?cancelled=1$`));
    await expect.poll(() => page.locator("h1").textContent()).toBe("Payment abandoned");
    expect(await page.getByTestId("state").textContent()).toBe("open");
    const file = await screenshot(page, "05-cancelled-back-at-sandbox-checkout");
    expect(existsSync(file) && statSync(file).size > 1000).toBe(true);
    expect(offMachine).toEqual([]);
    await page.close();
  });
});

describe("the buyer page while the provider decides, in a browser", () => {
  async function openPaymentPage(page: Page) {
    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByLabel("Buyer").selectOption(MARY);
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    await page.getByRole("button", { name: "Approve", exact: true }).waitFor();
  }

  it("shows at once that the payment is processing, with its buttons disabled, and the waiting page long before a hanging provider answers", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await openPaymentPage(page);
    // Hold the buyer's choice on its way, to look at the page while it is submitted.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const posts = (url: URL) => url.pathname.startsWith("/pay/");
    await page.route(posts, async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Provider times out" }).click();
    await page.getByRole("heading", { name: "Processing your payment…" }).waitFor();
    for (const name of ["Approve", "Provider times out", "Decline", "Cancel and return to the store"]) {
      expect(await page.getByRole("button", { name, exact: true }).isDisabled(), name).toBe(true);
    }
    await screenshot(page, "08-processing-buttons-disabled");
    // Let it go (the route stays: it passes every later request straight on).
    release();

    // The provider keeps the charge waiting a minute; the buyer reads the waiting page well before.
    await page.getByRole("heading", { name: "Confirming your payment…" }).waitFor({ timeout: 30_000 });
    expect(await page.locator("main").textContent()).toContain("waiting for the payment provider's answer");
    await screenshot(page, "09-waiting-for-the-provider");
    await page.close();
  });

  it("says in words that a payment failing 3-D Secure was declined, with the way back to the store", async () => {
    // Shopify is slow to take the rejection: the buyer must not wait on "confirming…" meanwhile.
    stack.shopify.setFaults({ errorRate: 1, only: "paymentSessionReject" });
    try {
      const page = await browser.newPage({ locale: "en-US" });
      await openPaymentPage(page);
      await page.getByRole("button", { name: "3-D Secure challenge" }).click();
      await page.waitForURL(/\/challenge$/);
      await page.getByRole("button", { name: "Fail verification" }).click();
      await page.getByRole("heading", { name: "Your payment was declined" }).waitFor({ timeout: 30_000 });
      const text = await page.locator("main").textContent();
      expect(text).toContain("The verification with your bank (3-D Secure) did not succeed.");
      expect(text).not.toContain("Confirming");
      expect(text).not.toContain("telling the store");
      const payment = await stack.database.db.paymentSession.findFirstOrThrow({ where: { status: "REJECTED", rejectionCode: "AUTHENTICATION_FAILED" } });
      expect(await page.getByRole("link", { name: "Return to the store to pay another way" }).getAttribute("href")).toBe(payment.cancelUrl);
      await screenshot(page, "10-declined-after-3ds");
      await page.close();
    } finally {
      stack.shopify.clearFaults();
    }
  });
});

describe("a payment link the app cannot serve, in a browser", () => {
  async function openLink(path: string, name: string) {
    const page = await browser.newPage();
    const response = await page.goto(`${stack.app.url}${path}`);
    const file = await screenshot(page, name);
    expect(existsSync(file) && statSync(file).size > 1000).toBe(true);
    return { page, status: response?.status() };
  }

  /** The buyer page's style (its card), not the browser's default rendering of bare text. */
  const cardRadius = (page: Page) => page.locator("main").evaluate((main) => getComputedStyle(main).borderRadius);

  it("says in words that a tampered link is not valid (404), in the buyer page's style", async () => {
    const payment = await stack.simulator.startPayment({ buyer: MARY });
    const link = new URL(payment.redirectUrl ?? "");
    const tampered = link.pathname.slice(0, -1) + (link.pathname.endsWith("A") ? "B" : "A");
    const { page, status } = await openLink(tampered, "06-payment-link-not-valid");
    expect(status).toBe(404);
    expect(await page.locator("h2").textContent()).toBe("This payment link is not valid");
    expect(await page.locator("main").textContent()).toContain("Return to the store and start the payment again");
    expect(await cardRadius(page)).toBe("12px");
    await page.close();
  });

  it("says in words that an expired link has expired (410), with the way back to the store", async () => {
    const payment = await stack.simulator.startPayment({ buyer: MARY });
    const row = await stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: payment.id } });
    const expired = buyerPaymentUrl({ appUrl: stack.app.url, secret: TEST_API_SECRET, ttlHours: 1 }, { id: row.id, receivedAt: new Date(Date.now() - 2 * 3_600_000) });
    const { page, status } = await openLink(new URL(expired).pathname, "07-payment-link-expired");
    expect(status).toBe(410);
    expect(await page.locator("h2").textContent()).toBe("This payment link has expired");
    expect(await page.getByRole("link", { name: "Return to the store" }).getAttribute("href")).toBe(row.cancelUrl);
    expect(await cardRadius(page)).toBe("12px");
    await page.close();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
