import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The merchant's side in a real browser: the sandbox shop installed the app
 * through the sandbox admin (token exchange), a buyer pays at the sandbox
 * checkout, and the payment is there, with its state, in the embedded app that
 * the sandbox admin frames with shop, host and a session token.
 */
let stack: SandboxStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startSandboxStack("admin-shop.myshopify.com");
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function appFrame(page: Page): Promise<Frame> {
  await page.waitForSelector("iframe#app");
  const frame = await (await page.$("iframe#app"))?.contentFrame();
  if (!frame) throw new Error("the admin has no app frame");
  return frame;
}

describe("the embedded app in the sandbox admin", () => {
  it("installed the app with an offline token that Shopify issued and the app keeps in session storage", async () => {
    const session = await stack.database.db.session.findUniqueOrThrow({ where: { id: `offline_${stack.shop}` } });
    expect(session.accessToken).toMatch(/^shpat_sandbox_[0-9a-f]{32}$/);
    expect(session.isOnline).toBe(false);
    expect(session.scope).toBe("write_payment_gateways,write_payment_sessions");
  });

  it("shows a payment taken at the sandbox checkout with its state", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByLabel("Amount").fill("12.34");
    // An English-speaking buyer: the page speaks the buyer's language, and the button below is the English one.
    await page.getByLabel("Buyer").selectOption("mary.jones@example.com");
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.waitForURL(`${stack.storefront.url}/checkouts/**/thank_you`, { timeout: 60_000 });
    const paymentId = /\/checkouts\/([^/]+)\/thank_you/.exec(page.url())?.[1] ?? "";
    expect(paymentId).not.toBe("");

    await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}`);
    const app = await appFrame(page);
    await app.getByRole("heading", { name: "Payments" }).waitFor();
    // (Polaris badges also say their tone to screen readers: "Success".)
    await expect.poll(() => app.getByTestId(`status-${paymentId}`).textContent()).toMatch(/Paid$/);
    const row = app.getByRole("row").filter({ hasText: paymentId });
    expect(await row.textContent()).toContain("$12.34");
    expect(await row.textContent()).toContain("Test");
    await screenshot(page, "admin-01-payments");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("signs the staff member in with an online token that names them, beside the shop's offline token", async () => {
    // The admin was opened as Sam Support (1001) in the test above.
    const online = await stack.database.db.session.findUniqueOrThrow({ where: { id: `${stack.shop}_1001` } });
    expect(online).toMatchObject({ isOnline: true, firstName: "Sam", lastName: "Support", email: "sam.support@example.com" });
    expect(online.accessToken).toMatch(/^shpua_sandbox_/);
    expect(online.expires?.getTime() ?? 0).toBeGreaterThan(Date.now());
    // The worker's deliveries keep the offline token.
    expect((await stack.database.db.session.findUniqueOrThrow({ where: { id: `offline_${stack.shop}` } })).accessToken).toMatch(/^shpat_sandbox_/);
  });

  it("lets only the shop's admin (and the local sandbox admin) frame the embedded app, and nothing frame other pages", async () => {
    const embedded = await fetch(stack.storefront.admin?.embeddedUrl("/app") ?? "", { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" } });
    expect(embedded.status).toBe(200);
    const policy = embedded.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/^frame-ancestors /);
    expect(policy).toContain(stack.storefront.url);
    expect(policy).toContain(`https://${stack.shop}`);
    expect(policy).toContain("https://admin.shopify.com");
    const home = await fetch(`${stack.app.url}/`);
    expect(home.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    expect(home.headers.get("x-frame-options")).toBe("DENY");
  });

  it("refuses the app's page outside the admin frame without a session token", async () => {
    const response = await fetch(`${stack.app.url}/app?shop=${stack.shop}&embedded=1&host=${Buffer.from(`admin.shopify.com/store/admin-shop`).toString("base64url")}`, {
      redirect: "manual",
      headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" },
    });
    // Shopify's library sends the browser to its session-token bounce page.
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/auth\/session-token\?/);
  });
});
