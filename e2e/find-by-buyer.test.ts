import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, waitForHydration } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * Issue 15's "Done when", as a support person does it: several buyers paid at
 * the sandbox checkout; "Camille Roy's pending payment from this morning" is
 * found by typing her name in the list's query field (no id read), opened,
 * resolved with a reason, and the audit trail names the staff member who did it.
 */
let stack: SandboxStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Pending payments stay pending until someone settles them.
  stack = await startSandboxStack("find-buyer-shop.myshopify.com", { SANDBOX_PENDING_SECONDS: "3600" });
  browser = await launchBrowser();
  page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A buyer pays at the sandbox checkout and picks a sandbox outcome (the page speaks the buyer's language); returns the Shopify id. */
async function pay(buyer: string, amount: string, outcome: string): Promise<string> {
  await page.goto(`${stack.storefront.url}/checkout`);
  await page.getByLabel("Amount").fill(amount);
  await page.getByLabel("Buyer").selectOption(buyer);
  await page.getByRole("button", { name: "Pay with Payments App" }).click();
  await page.waitForURL(/\/pay\//);
  await waitForHydration(page);
  await page.getByRole("button", { name: outcome, exact: true }).click();
  await page.waitForURL(`${stack.storefront.url}/checkouts/**`, { timeout: 60_000 });
  return /\/checkouts\/([^/]+)\//.exec(page.url())?.[1] ?? "";
}

async function openAdmin(path = ""): Promise<Frame> {
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}${path}`);
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (!frame) throw new Error("no app frame");
  await waitForHydration(frame);
  return frame;
}

/** The rows of the list as a person reads them (header row left out). */
async function listedRows(app: Frame): Promise<string[]> {
  return (await app.getByRole("row").allTextContents()).slice(1);
}

async function typeQuery(app: Frame, text: string): Promise<void> {
  const field = app.getByPlaceholder("Search by buyer name, email, phone or an id");
  if (!(await field.isVisible())) await app.getByRole("button", { name: /Search and filter/ }).first().click();
  await field.fill(text);
  // The list follows the query field into the URL once typing stops.
  await expect.poll(() => new URL(app.url()).searchParams.get("q"), { timeout: 30_000 }).toBe(text);
}

describe("finding a buyer's payment without reading an id", () => {
  it("finds Camille Roy's pending payment from this morning by her name, resolves it, and the audit trail names the staff member", async () => {
    // Several buyers pay; Camille Roy (a French buyer) three times: one paid, one pending
    // from two days ago, and the pending one from this morning that support must settle.
    const paid = await pay("camille.roy@example.com", "18.00", "Accepter");
    const older = await pay("camille.roy@example.com", "27.00", "En attente, puis accepté");
    await stack.database.db.paymentSession.update({ where: { shop_shopifyId: { shop: stack.shop, shopifyId: older } }, data: { receivedAt: new Date(Date.now() - 2 * 86_400_000) } });
    const target = await pay("camille.roy@example.com", "42.50", "En attente, puis accepté");
    const others = [await pay("mary.jones@example.com", "42.50", "Pending, then approve"), await pay("haruto.sato@example.com", "9.99", "承認"), await pay("noura.alsabah@example.com", "42.50", "قيد الانتظار، ثم قبول")];
    expect([paid, older, target, ...others].every(Boolean)).toBe(true);

    // "Within a minute" is the person's time, not the machine's: the test checks they need
    // nothing but the name (no id read, no page beyond list → payment → audit trail), never a clock.
    const app = await openAdmin();
    await app.getByRole("heading", { name: "Payments" }).waitFor();
    await expect.poll(async () => (await listedRows(app)).length).toBeGreaterThanOrEqual(6);
    await screenshot(page, "find-buyer-01-list");

    for (const query of ["camille", "roy camille", "Camille Roy"]) {
      await typeQuery(app, query);
      // Only Camille Roy's three payments, each named "C. Roy"; nobody else's.
      await expect.poll(async () => (await listedRows(app)).length, { timeout: 30_000 }).toBe(3);
      const rows = await listedRows(app);
      expect(rows.every((row) => row.includes("C. Roy"))).toBe(true);
      await screenshot(page, `find-buyer-02-search-${query.replace(/\s+/g, "-").toLowerCase()}`);
    }

    // The pending one from this morning: pending, and received minutes ago (not days).
    const pendingToday = app.getByRole("row").filter({ hasText: "Pending" }).filter({ hasNotText: /days? ago/ });
    expect(await pendingToday.count()).toBe(1);
    await pendingToday.getByRole("link").first().click();
    await app.getByTestId("payment-status").waitFor({ timeout: 30_000 });
    await waitForHydration(app);
    expect(await app.getByRole("heading", { level: 1 }).textContent()).toMatch(/^\$42\.50 from C\. Roy$/);
    expect(await app.getByTestId("payment-status").textContent()).toMatch(/Pending$/);
    // It is the one the test knows by id (the person never read it).
    expect(new URL(app.url()).pathname).toBe(`/app/payments/${(await stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: target } })).id}`);
    await screenshot(page, "find-buyer-03-payment");

    await app.getByRole("button", { name: "Resolve payment", exact: true }).click();
    const dialog = app.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByLabel("Reason (kept in the audit trail)").fill("Camille's bank confirmed the transfer by phone");
    await dialog.getByRole("button", { name: "Resolve payment", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => app.getByTestId("payment-status").textContent()).toMatch(/Paid$/);
    await screenshot(page, "find-buyer-04-resolved");

    const audit = await openAdmin("/audit");
    const entry = audit.getByRole("row").filter({ hasText: "Camille's bank confirmed the transfer by phone" });
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.textContent()).toContain("Sam Support");
    await screenshot(page, "find-buyer-05-audit-trail");

    // Nothing else changed: the older pending payment is still pending.
    expect((await stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: older } })).status).toBe("PENDING");
  });
});
