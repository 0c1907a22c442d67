import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountKeys } from "../sandbox/stripe/accounts";
import { startStripeSandbox, type StripeSandbox } from "../sandbox/stripe/server";
import { stripeClient } from "../sandbox/stripe/test-client";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * A merchant connects Stripe in Settings, in a real browser through the sandbox
 * admin frame, against the local Stripe: a publishable key is refused next to
 * the field, a secret key connects and shows only its last four, disconnecting
 * removes the app's webhook endpoint at Stripe.
 */
let stack: SandboxStack;
let stripe: StripeSandbox;
let merchant: AccountKeys;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stripe = await startStripeSandbox({ port: 0 });
  merchant = stripe.createAccount();
  stack = await startSandboxStack("stripe-settings-shop.myshopify.com", { STRIPE_API_BASE: stripe.url });
  browser = await launchBrowser();
  page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 1100 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await stripe?.close();
});

async function openSettings(): Promise<Frame> {
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}/settings`);
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (!frame) throw new Error("no app frame");
  await frame.waitForLoadState();
  return frame;
}

const endpoints = async () => (await stripeClient(stripe, merchant.testSecretKey).webhookEndpoints.list()).data;

describe("Settings › Stripe in the embedded admin", () => {
  it("refuses a publishable key, connects a secret key shown by its last four, and disconnects", async () => {
    const app = await openSettings();
    const field = app.getByLabel("Stripe test key");
    await field.fill(merchant.testPublishableKey);
    await app.getByRole("button", { name: "Connect the Stripe test account" }).click();
    await app.getByText("This is a publishable key (pk_…), which cannot make payments", { exact: false }).waitFor();
    expect(await endpoints()).toHaveLength(0);
    await screenshot(page, "stripe-01-publishable-key-refused");

    await app.getByLabel("Stripe test key").fill(merchant.testSecretKey);
    await app.getByRole("button", { name: "Connect the Stripe test account" }).click();
    await app.getByText(`Stripe test account ${merchant.account} is connected`, { exact: false }).waitFor();
    const shown = (await app.getByTestId("stripe-test-account").textContent()) ?? "";
    expect(shown).toContain(`•••• ${merchant.testSecretKey.slice(-4)}`);
    expect(await app.getByLabel("Stripe test key").inputValue()).toBe("");
    expect(await app.locator("body").innerHTML()).not.toContain(merchant.testSecretKey);
    expect(await endpoints()).toHaveLength(1);
    await screenshot(page, "stripe-02-test-account-connected");

    await app.getByRole("button", { name: "Disconnect the Stripe test account" }).click();
    await app.getByText(`Stripe test account ${merchant.account} is disconnected.`, { exact: false }).waitFor();
    await app.getByTestId("stripe-test-account").waitFor({ state: "detached" });
    expect(await endpoints()).toHaveLength(0);
  });
});
