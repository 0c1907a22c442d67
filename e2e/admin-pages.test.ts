import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptPii, piiKeyringFromEnv } from "../app/privacy/pii-crypto.server";
import { TEST_API_SECRET } from "../test/support/app-process";
import { seriousAccessibilityViolations } from "./support/axe-check";
import { launchBrowser, screenshot, sidewaysScroll, waitForHydration } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The admin's pages for people, in Chromium through the sandbox admin, at a
 * laptop's width and a phone's: the payments list in a merchant's words, the
 * overview's charts, the audit trail, the data requests, a payment, the
 * settings and the pages for what the admin cannot show, each screenshotted,
 * checked with axe-core (no serious or critical violation) and, on the phone,
 * not scrolling sideways.
 */
const SHOP = "pages-shop.myshopify.com";
const HOUR = 3_600_000;
let stack: SandboxStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startSandboxStack(SHOP);
  browser = await launchBrowser();
  const { db } = stack.database;
  const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: TEST_API_SECRET });
  const now = Date.now();
  const payment = (id: string, status: "OPEN" | "PENDING" | "RESOLVED" | "REJECTED", hoursAgo: number, amountMinor: bigint, currency = "USD") => ({
    id, shop: SHOP, shopifyId: id, gid: `gid://shopify/PaymentSession/${id}`, group: `g-${id}`, amountMinor, amount: (Number(amountMinor) / 100).toFixed(2), currency, test: true, merchantLocale: "en", kind: "SALE" as const,
    paymentMethodType: "offsite", cancelUrl: "https://x.test/c", proposedAt: new Date(now), shopifyApiVersion: "2026-04", shopifyRequestId: `req-${id}`, requestHash: "h", status, receivedAt: new Date(now - hoursAgo * HOUR),
  });
  await db.paymentSession.createMany({
    data: [payment("camille", "PENDING", 2, 4999n), payment("walked", "OPEN", 24 * 4, 1250n), payment("paid1", "RESOLVED", 5, 10000n), payment("paid2", "RESOLVED", 30, 2500n, "EUR"), payment("declined", "REJECTED", 50, 800n)],
  });
  await db.paymentAddress.create({
    data: { paymentSessionId: "camille", role: "BILLING", givenName: encryptPii(keyring, "PaymentAddress.givenName", "Camille"), familyName: encryptPii(keyring, "PaymentAddress.familyName", "Roy"), line1: encryptPii(keyring, "PaymentAddress.line1", "1 rue de la Paix"), city: encryptPii(keyring, "PaymentAddress.city", "Paris"), countryCode: "FR" },
  });
  await db.auditEntry.create({ data: { shop: SHOP, staffUserId: "1", action: "PAYMENT_RESOLVE", paymentSessionId: "paid1", subject: "gid://shopify/PaymentSession/paid1", beforeState: "PENDING", afterState: "RESOLVED", reason: "The buyer sent proof of the bank transfer by email; checked against the bank statement of this morning" } });
  await db.customerDataExport.create({ data: { id: "export1", shop: SHOP, webhookId: "w1", dataRequestId: "9999", shopifyCustomerId: "207119551", paymentCount: 1, document: encryptPii(keyring, "CustomerDataExport.document", '{"payments":[]}'), expiresAt: new Date(now + 30 * 24 * HOUR) } });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const WIDTHS = [1280, 390] as const;

async function openAdmin(width: number, appPath = ""): Promise<{ page: Page; app: Frame; errors: string[] }> {
  const page = await browser.newPage({ locale: "en-US", viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}${appPath}`);
  await page.waitForSelector("iframe#app");
  const app = await (await page.$("iframe#app"))?.contentFrame();
  if (!app) throw new Error("the admin has no app frame");
  return { page, app, errors };
}

/** No serious or critical axe-core violation, and nothing a person needs off the side of the screen. */
async function expectFitsAndAccessible(target: Page | Frame) {
  expect(await seriousAccessibilityViolations(target)).toEqual([]);
  expect(await sidewaysScroll(target)).toBeNull();
}

describe.each(WIDTHS)("the admin's pages at %i px", (width) => {
  it("lists payments with the buyer, the amount and the status in words; the Abandoned tab filters through the URL and back undoes it", async () => {
    const { page, app, errors } = await openAdmin(width);
    await app.getByRole("heading", { name: "Payments" }).waitFor();
    // A table row on a laptop; on a phone Polaris's condensed list gives each payment a list item.
    const camille = app.locator(width < 490 ? "li" : "tr").filter({ hasText: "C. Roy" }).last();
    await expect.poll(() => camille.textContent()).toContain("Pending");
    expect(await camille.textContent()).toContain("$49.99");
    expect(await app.getByTestId("status-walked").textContent()).toMatch(/Abandoned/);
    expect(await app.getByTestId("status-paid1").textContent()).toMatch(/Paid/);
    expect(await app.getByTestId("status-declined").textContent()).toMatch(/Failed/);
    await waitForHydration(app);
    // Every fact of a row is on the screen, its age too (at 390 px the table's last columns were cut
    // off inside its own scrolling box, which the page's sideways check does not see).
    const age = camille.locator("time");
    await expect.poll(async () => {
      const box = await age.boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= width;
    }, { timeout: 30_000 }).toBe(true);
    await screenshot(page, `admin-pages-list-${width}`);
    await expectFitsAndAccessible(app);

    // Polaris measures the tabs after hydration and may render them again (at 390 px some move
    // into "More views"): a click on a tab it replaced does nothing, so click until the URL follows.
    const abandonedTab = app.getByRole("tab", { name: /Abandoned/ }).first();
    await expect
      .poll(
        async () => {
          const status = new URL(app.url()).searchParams.get("status");
          if (status !== "abandoned") await abandonedTab.click({ timeout: 5_000 }).catch(() => undefined);
          return new URL(app.url()).searchParams.get("status");
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe("abandoned");
    await expect.poll(() => app.getByTestId(/^status-/).count(), { timeout: 30_000 }).toBe(1);
    await app.evaluate(() => window.history.back());
    await expect.poll(() => app.getByTestId(/^status-/).count(), { timeout: 30_000 }).toBe(5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws the overview's charts in the browser, with the figures", async () => {
    const { page, app, errors } = await openAdmin(width, "/overview");
    await app.getByRole("heading", { name: "Overview" }).waitFor();
    await app.locator('[data-chart][data-drawn="yes"] svg').first().waitFor({ timeout: 30_000 });
    expect(await app.getByText("Approval rate").count()).toBeGreaterThan(0);
    // Two approved, one declined.
    expect(await app.locator("body").textContent()).toContain("66.7%");
    await screenshot(page, `admin-pages-overview-${width}`);
    await expectFitsAndAccessible(app);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the audit trail with the change in words and the payment linked", async () => {
    const { page, app, errors } = await openAdmin(width, "/audit");
    await app.getByRole("heading", { name: "Audit trail" }).waitFor();
    const row = app.getByRole("row").filter({ hasText: "Approved a payment" }).first();
    expect(await row.textContent()).toContain("Pending → Approved");
    expect(await row.getByRole("link").getAttribute("href")).toContain("/app/payments/paid1");
    // The whole reason is on the screen, at a phone's width too (not cut off in a table that scrolls sideways).
    const reason = await app.getByText(/checked against the bank statement of this morning$/).boundingBox();
    expect(reason && reason.x >= 0 && reason.x + reason.width <= width).toBe(true);
    await screenshot(page, `admin-pages-audit-${width}`);
    await expectFitsAndAccessible(app);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a payment with the buyer masked, the status in words and the actions it allows", async () => {
    const { page, app, errors } = await openAdmin(width, "/payments/camille");
    await app.getByRole("heading", { level: 1, name: "$49.99 from C. Roy" }).waitFor({ timeout: 30_000 });
    expect(await app.getByTestId("payment-status").textContent()).toMatch(/Pending$/);
    expect(await app.getByRole("button", { name: "Resolve payment", exact: true }).isEnabled()).toBe(true);
    await screenshot(page, `admin-pages-payment-${width}`);
    await expectFitsAndAccessible(app);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the settings: onboarding, Stripe, the API version and test mode", async () => {
    const { page, app, errors } = await openAdmin(width, "/settings");
    await app.getByRole("heading", { level: 1, name: "Settings" }).waitFor({ timeout: 30_000 });
    for (const section of ["Onboarding", "Stripe", "Shopify API", "Test mode"]) expect(await app.getByRole("heading", { name: section, exact: true }).count()).toBeGreaterThan(0);
    await screenshot(page, `admin-pages-settings-${width}`);
    await expectFitsAndAccessible(app);
    // The sandbox admin around the app is a page of its own.
    await expectFitsAndAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows an unknown payment as a page with the way back to the list", async () => {
    const { page, app, errors } = await openAdmin(width, "/payments/does-not-exist");
    await app.getByRole("heading", { name: "Not found" }).waitFor({ timeout: 30_000 });
    expect(await app.getByRole("link", { name: "Payments" }).count()).toBeGreaterThan(0);
    await screenshot(page, `admin-pages-not-found-${width}`);
    await expectFitsAndAccessible(app);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("lists the customer data requests and records each download in the audit trail", async () => {
    const { page, app, errors } = await openAdmin(width, "/data-requests");
    await app.getByRole("heading", { name: "Customer data requests" }).waitFor();
    const before = await stack.database.db.auditEntry.count({ where: { shop: SHOP, action: "CUSTOMER_DATA_EXPORT_DOWNLOAD" } });
    const download = page.waitForEvent("download");
    await app.getByRole("button", { name: /Download the export of data request 9999/ }).click();
    expect((await download).suggestedFilename()).toBe("customer-data-9999.json");
    await expect.poll(() => stack.database.db.auditEntry.count({ where: { shop: SHOP, action: "CUSTOMER_DATA_EXPORT_DOWNLOAD" } })).toBe(before + 1);
    await screenshot(page, `admin-pages-data-requests-${width}`);
    await expectFitsAndAccessible(app);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.each(WIDTHS)("the app's pages outside the admin at %i px", (width) => {
  it("shows the login page, and a shop it refuses in words", async () => {
    const page = await browser.newPage({ locale: "en-US", viewport: { width, height: 900 } });
    await page.goto(`${stack.app.url}/auth/login`);
    await page.getByRole("heading", { name: "Payments app" }).waitFor();
    await screenshot(page, `admin-pages-login-${width}`);
    await expectFitsAndAccessible(page);
    await page.getByLabel("Shop domain").fill("not a shop");
    await page.getByRole("button", { name: "Open in Shopify" }).click();
    await page.getByText("Enter your shop's domain, such as my-shop.myshopify.com.").waitFor();
    await screenshot(page, `admin-pages-login-refused-${width}`);
    await expectFitsAndAccessible(page);
    await page.close();
  });

  it("shows a malformed link to the app as a page in words", async () => {
    const page = await browser.newPage({ locale: "en-US", viewport: { width, height: 900 } });
    const response = await page.goto(`${stack.app.url}/app?shop=${SHOP}&host=x&embedded=1`);
    expect(response?.status()).toBe(400);
    await page.getByRole("heading", { name: "This link is not valid" }).waitFor();
    await screenshot(page, `admin-pages-malformed-link-${width}`);
    await expectFitsAndAccessible(page);
    await page.close();
  });
});
