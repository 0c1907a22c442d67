import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * What a merchant sees when the admin cannot show what was asked, in a real
 * browser: inside the sandbox admin frame, an unknown payment is a Polaris page
 * with a way back (status 404 kept); outside the admin, the app's URL is a page
 * that says what this is and how to open it.
 */
let stack: SandboxStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startSandboxStack("errors-shop.myshopify.com");
  browser = await launchBrowser();
  page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 800 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Opens a path of the app in the sandbox admin; resolves with the app's frame and the frame document's status. */
async function openAdmin(path: string): Promise<{ frame: Frame; status: number | undefined }> {
  const frameResponse = page.waitForResponse((response) => response.url().startsWith(`${stack.app.url}/app`) && response.request().resourceType() === "document");
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}${path}`);
  const status = (await frameResponse).status();
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (!frame) throw new Error("no app frame");
  await frame.waitForLoadState();
  return { frame, status };
}

describe("the embedded admin's error pages", () => {
  it("shows an unknown payment as a Polaris page with a back action, in the frame, with its 404", async () => {
    const { frame, status } = await openAdmin("/payments/does-not-exist");
    expect(status).toBe(404);
    await frame.getByRole("heading", { name: "Not found" }).waitFor();
    expect(await frame.locator(".Polaris-Page").count()).toBe(1);
    expect(await frame.locator("body").textContent()).toContain("No such payment in this shop.");
    await screenshot(page, "admin-08-payment-not-found");

    // The back action leads to the payments list, still inside the admin.
    await frame.getByRole("link", { name: "Payments" }).first().click();
    await frame.getByRole("heading", { name: "Payments" }).waitFor();
    expect(new URL(frame.url()).pathname).toBe("/app");
  });

  it("shows a malformed link to the app as a page in words (400), not a server error", async () => {
    const host = "x";
    const response = await page.goto(`${stack.app.url}/app?shop=${stack.shop}&host=${host}&embedded=1`);
    expect(response?.status()).toBe(400);
    await page.getByRole("heading", { name: "This link is not valid" }).waitFor();
    expect(await page.locator("body").textContent()).toContain("Open the app from your store's Shopify admin");
    await screenshot(page, "admin-09-malformed-link");
  });

  it("shows the app's URL opened outside the admin as the login page: what this is and a shop field", async () => {
    const response = await page.goto(`${stack.app.url}/app`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/auth/login");
    await page.getByRole("heading", { name: "Payments app" }).waitFor();
    await screenshot(page, "admin-10-login-page");
    await page.getByLabel("Shop domain").fill("not a shop");
    await page.getByRole("button", { name: "Open in Shopify" }).click();
    await page.getByText("Enter your shop's domain, such as my-shop.myshopify.com.").waitFor();
    expect(await page.getByLabel("Shop domain").inputValue()).toBe("not a shop");
    await screenshot(page, "admin-11-login-page-refused");
  });
});
