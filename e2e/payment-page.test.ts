import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations } from "./support/axe-check";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The payment page as support staff use it, and the sandbox's own pages, in
 * Chromium at a laptop's 1280 px and a phone's 390 px: screenshots kept, and
 * axe-core finds no serious or critical violation on any of them.
 */
let stack: SandboxStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Pending payments stay pending until someone settles them.
  stack = await startSandboxStack("page-shop.myshopify.com", { SANDBOX_PENDING_SECONDS: "3600" });
  browser = await launchBrowser();
  page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPayment(paymentId: string): Promise<Frame> {
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}/payments/${paymentId}`);
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (!frame) throw new Error("no app frame");
  await frame.getByTestId("payment-status").waitFor({ timeout: 30_000 });
  return frame;
}

async function expectAccessible(target: Page | Frame) {
  expect(await seriousAccessibilityViolations(target)).toEqual([]);
}

/** Nothing on the page is wider than the screen (no sideways scrolling). */
async function expectNoSidewaysScroll(target: Page | Frame) {
  const { scroll, client } = await target.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client + 1);
}

describe("the payment page for support staff", () => {
  it("leads with amount, buyer, status and what to do; resolves a pending authorization by name; and the buyer's pending page follows along", async () => {
    // Camille Roy authorizes a payment that stays pending.
    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByLabel("Amount").fill("42.50");
    await page.getByLabel("Capture").selectOption("authorization");
    await page.getByLabel("Buyer").selectOption("camille.roy@example.com");
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    // Camille's payment page speaks her language (French): "Pending, then approve".
    await page.getByRole("button", { name: "En attente, puis accepté", exact: true }).click();
    await page.waitForURL(`${stack.storefront.url}/checkouts/**/pending`, { timeout: 60_000 });
    const shopifyId = /\/checkouts\/([^/]+)\//.exec(page.url())?.[1] ?? "";
    // The pending page offers the merchant nothing yet, and says it updates itself.
    expect(await page.getByTestId("no-merchant-action").textContent()).toMatch(/pending/);
    expect(await page.getByRole("status").textContent()).toContain("updates itself");
    await screenshot(page, "sandbox-01-pending-1280");
    await expectAccessible(page);

    // The buyer keeps the pending page open in another tab while staff look at the payment.
    const buyerTab = await browser.newPage({ locale: "en-US", viewport: { width: 390, height: 844 } });
    await buyerTab.goto(page.url());
    await screenshot(buyerTab, "sandbox-01b-pending-390");

    const row = await stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId } });
    const app = await openPayment(row.id);
    expect(await app.getByRole("heading", { level: 1 }).textContent()).toMatch(/^\$42\.50 from C\. Roy$/);
    expect(await app.getByTestId("payment-status").textContent()).toMatch(/Pending$/);
    expect(await app.getByTestId("next-step").textContent()).toMatch(/^Pending, waiting for the payment provider\..*rejected in /);
    // Disabled actions say why, next to them.
    expect((await app.getByTestId("disabled-reason").allTextContents()).length).toBeGreaterThan(0);
    // Times are relative, with the exact time on hover.
    const firstTime = app.getByTestId("timeline-event").first().locator("time");
    expect(await firstTime.getAttribute("title")).toMatch(/\d{4}/);
    expect(Date.parse((await firstTime.getAttribute("datetime")) ?? "")).not.toBeNaN();
    expect(await app.getByTestId("timeline").textContent()).toContain("Today");
    // The engineers' facts are there, collapsed.
    const technical = app.getByTestId("technical-details");
    expect(await technical.getAttribute("open")).toBeNull();
    expect(await app.getByTestId("technical-log").isVisible()).toBe(false);
    expect(await app.getByTestId("summary").textContent()).not.toContain(row.gid);
    await screenshot(page, "payment-01-pending-1280");
    await expectAccessible(app);

    await app.getByRole("button", { name: "Resolve payment", exact: true }).click();
    const dialog = app.getByRole("dialog");
    await dialog.getByLabel("Reason (kept in the audit trail)").fill("Provider confirmed the authorization by phone");
    await dialog.getByRole("button", { name: "Resolve payment", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => app.getByTestId("payment-status").textContent()).toMatch(/Authorized$/);
    await expect.poll(() => app.getByTestId("timeline").textContent(), { timeout: 60_000 }).toContain("Shopify was told the payment succeeded");
    // Newest first: what Shopify was told, above the staff member's action, above Shopify's request.
    const titles = await app.getByTestId("timeline-event").allTextContents();
    const index = (text: string) => titles.findIndex((title) => title.includes(text));
    expect(index("Shopify was told the payment succeeded")).toBeLessThan(index("Sam Support resolved the payment"));
    expect(index("Sam Support resolved the payment")).toBeLessThan(index("Shopify asked for an authorization of $42.50"));
    expect(await app.getByTestId("audit-entry").first().textContent()).toContain("Sam Support");
    expect(await app.getByTestId("countdown").first().textContent()).toMatch(/^in \d+ days?, \d+ h$/);
    expect(await app.getByTestId("next-step").textContent()).toMatch(/^Authorized\. The merchant captures it/);
    await technical.locator("summary").click();
    expect(await app.getByTestId("technical-log").textContent()).toContain("paymentSessionResolve");
    await screenshot(page, "payment-02-authorized-technical-1280");
    await expectAccessible(app);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const narrow = await (await page.waitForSelector("iframe#app")).contentFrame();
    if (!narrow) throw new Error("no app frame");
    await narrow.getByTestId("payment-status").waitFor({ timeout: 30_000 });
    await screenshot(page, "payment-03-authorized-390");
    await expectNoSidewaysScroll(narrow);
    await expectAccessible(narrow);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The buyer's pending page moved on by itself; the merchant may capture (all of it, pre-filled) or void.
    await buyerTab.waitForURL(`${stack.storefront.url}/checkouts/${shopifyId}/thank_you`, { timeout: 60_000 });
    expect(await buyerTab.getByTestId("state").textContent()).toBe("RESOLVED");
    expect(await buyerTab.getByLabel(/^Capture amount/).inputValue()).toBe("42.50");
    expect(await buyerTab.getByRole("button", { name: "Void authorization" }).count()).toBe(1);
    expect(await buyerTab.getByLabel(/^Refund amount/).count()).toBe(0);
    await screenshot(buyerTab, "sandbox-02-order-authorized-390");
    await expectNoSidewaysScroll(buyerTab);
    await expectAccessible(buyerTab);

    // After a partial capture: the rest to capture, what was captured to refund, no void.
    await buyerTab.getByLabel(/^Capture amount/).fill("40.00");
    await buyerTab.getByRole("button", { name: "Capture" }).click();
    // The order page posts to itself and comes back at the same URL, which waitForURL already
    // matches: wait for the new page's figure instead.
    await expect.poll(() => buyerTab.getByLabel(/^Capture amount/).inputValue()).toBe("2.50");
    expect(await buyerTab.getByLabel(/^Refund amount/).inputValue()).toBe("40.00");
    expect(await buyerTab.getByRole("button", { name: "Void authorization" }).count()).toBe(0);
    await buyerTab.setViewportSize({ width: 1280, height: 900 });
    await screenshot(buyerTab, "sandbox-03-order-captured-1280");
    await buyerTab.close();
  });
});

describe("the sandbox's webhook page", () => {
  it("keeps the chosen topic after sending, and says when in words", async () => {
    for (const [width, height] of [[1280, 900], [390, 844]] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${stack.storefront.url}/webhooks`);
      await page.getByLabel("Topic").selectOption("customers/data_request");
      await page.getByRole("button", { name: "Send" }).click();
      await page.getByRole("status").waitFor();
      expect(await page.getByLabel("Topic").inputValue()).toBe("customers/data_request");
      expect(await page.locator("table time").first().textContent()).toMatch(/^(just now|\d+ (second|minute)s? ago)$/);
      await screenshot(page, `sandbox-04-webhooks-${width}`);
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
    }
  });
});
