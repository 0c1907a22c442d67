import { createRequire } from "node:module";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptPii, piiKeyringFromEnv } from "../app/privacy/pii-crypto.server";
import { TEST_API_SECRET } from "../test/support/app-process";
import { launchBrowser, screenshot, waitForHydration } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The admin's pages for people, in Chromium through the sandbox admin, at a
 * laptop's width and a phone's: the payments list in a merchant's words, the
 * overview's charts, the audit trail and the data requests, each screenshotted
 * and checked with axe-core (no serious or critical violation).
 */
const SHOP = "pages-shop.myshopify.com";
const HOUR = 3_600_000;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
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

/** axe-core in the app's frame: the serious and critical violations, by rule and the elements they concern. */
async function seriousViolations(app: Frame): Promise<string[]> {
  await app.addScriptTag({ path: AXE });
  const violations = await app.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(", ")}`);
}

describe.each(WIDTHS)("the admin's pages at %i px", (width) => {
  it("lists payments with the buyer, the amount and the status in words; the Abandoned tab filters through the URL and back undoes it", async () => {
    const { page, app, errors } = await openAdmin(width);
    await app.getByRole("heading", { name: "Payments" }).waitFor();
    const camille = app.getByRole("row").filter({ hasText: "C. Roy" });
    await expect.poll(() => camille.textContent()).toContain("Pending");
    expect(await camille.textContent()).toContain("$49.99");
    expect(await app.getByTestId("status-walked").textContent()).toMatch(/Abandoned/);
    expect(await app.getByTestId("status-paid1").textContent()).toMatch(/Paid/);
    expect(await app.getByTestId("status-declined").textContent()).toMatch(/Failed/);
    await screenshot(page, `admin-pages-list-${width}`);
    expect(await seriousViolations(app)).toEqual([]);

    await waitForHydration(app);
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
    expect(await seriousViolations(app)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the audit trail with the change in words and the payment linked", async () => {
    const { page, app, errors } = await openAdmin(width, "/audit");
    await app.getByRole("heading", { name: "Audit trail" }).waitFor();
    const row = app.getByRole("row").filter({ hasText: "Approved a payment" }).first();
    expect(await row.textContent()).toContain("Pending → Approved");
    expect(await row.getByRole("link").getAttribute("href")).toContain("/app/payments/paid1");
    await screenshot(page, `admin-pages-audit-${width}`);
    expect(await seriousViolations(app)).toEqual([]);
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
    expect(await seriousViolations(app)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
