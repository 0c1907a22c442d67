import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * Support staff and merchants in the embedded admin, in a real browser through
 * the sandbox admin frame: onboarding, finding a pending payment under "needs
 * attention" and resolving it, rejecting a stuck refund, retrying a dead delivery.
 */
let stack: SandboxStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startSandboxStack("console-shop.myshopify.com", {
    // Pending payments stay pending until someone settles them.
    SANDBOX_PENDING_SECONDS: "3600",
    // Dead quickly when Shopify keeps failing.
    DELIVERY_RETRY_SCHEDULE: "0.2,0.2",
    DELIVERY_RETRY_JITTER: "0",
  });
  browser = await launchBrowser();
  page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

type Scenario = "Approve" | "Pending, then approve" | "Decline";

/** A buyer pays at the sandbox checkout; returns the payment session's id. */
async function pay(scenario: Scenario, amount = "20.00"): Promise<string> {
  await page.goto(`${stack.storefront.url}/checkout`);
  await page.getByLabel("Amount").fill(amount);
  // An English-speaking buyer: the buttons below are the English page's (the page speaks the buyer's language).
  await page.getByLabel("Buyer").selectOption("mary.jones@example.com");
  await page.getByRole("button", { name: "Pay with Payments App" }).click();
  await page.waitForURL(/\/pay\//);
  await page.getByRole("button", { name: scenario, exact: true }).click();
  return [...stack.storefront.orders.keys()].at(-1) ?? "";
}

/** …and lands on Shopify's order page once Shopify accepted the outcome. */
async function checkout(scenario: Scenario, amount?: string): Promise<string> {
  const id = await pay(scenario, amount);
  await page.waitForURL(`${stack.storefront.url}/checkouts/**`, { timeout: 60_000 });
  return id;
}

async function openAdmin(path = ""): Promise<Frame> {
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}${path}`);
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (!frame) throw new Error("no app frame");
  await frame.waitForLoadState();
  return frame;
}

async function confirm(app: Frame, button: string, reason: string, fill?: (dialog: ReturnType<Frame["getByRole"]>) => Promise<void>) {
  await app.getByRole("button", { name: button, exact: true }).click();
  const dialog = app.getByRole("dialog");
  await dialog.waitFor();
  await fill?.(dialog);
  await dialog.getByLabel("Reason (kept in the audit trail)").fill(reason);
  await dialog.getByRole("button", { name: button, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

describe("the embedded admin", () => {
  it("onboards: the account name and ready state reach Shopify, and can be changed again", async () => {
    const app = await openAdmin("/settings");
    await app.getByLabel("Account name").fill("Acme Payments EU");
    await app.getByLabel("Ready to process payments").check();
    await app.getByRole("button", { name: "Save and send to Shopify" }).click();
    await app.getByText("Shopify now knows the app is ready", { exact: false }).waitFor();
    expect(stack.shopify.configuration(stack.shop)).toMatchObject({ externalHandle: "Acme Payments EU", ready: true });
    await screenshot(page, "console-01-onboarded");

    await app.getByLabel("Account name").fill("Acme Payments");
    await app.getByLabel("Ready to process payments").uncheck();
    await app.getByRole("button", { name: "Save and send to Shopify" }).click();
    await app.getByText("Shopify shows the app as not ready", { exact: false }).waitFor();
    expect(stack.shopify.configuration(stack.shop)).toMatchObject({ externalHandle: "Acme Payments", ready: false });
    expect(stack.shopify.calls.filter((call) => call.mutations.includes("paymentsAppConfigure"))).toHaveLength(2);

    await app.getByLabel("Account name").fill("");
    await app.getByRole("button", { name: "Save and send to Shopify" }).click();
    // Each field's problem once, as a whole sentence.
    await app.getByText("Account name is required.", { exact: true }).waitFor();
    expect(await app.getByText("Account name is required", { exact: false }).count()).toBe(1);
    expect(await app.locator("body").textContent()).not.toMatch(/(^|[^A-Za-z ])is required/);
    await screenshot(page, "console-01b-settings-field-problem");
    expect(stack.shopify.calls.filter((call) => call.mutations.includes("paymentsAppConfigure"))).toHaveLength(2);
  });

  it("finds a pending payment under needs attention, resolves it with a confirmation, and shows the delivery and the audit entry", async () => {
    const approved = await checkout("Approve");
    const pending = await checkout("Pending, then approve");
    const declined = await checkout("Decline");

    const app = await openAdmin();
    await app.getByRole("tab", { name: /Needs attention/ }).click();
    const listed = () => app.getByRole("row").allTextContents();
    await expect.poll(async () => (await listed()).some((row) => row.includes(approved))).toBe(false);
    expect((await listed()).some((row) => row.includes(pending))).toBe(true);
    expect((await listed()).some((row) => row.includes(declined))).toBe(false);
    expect(await app.getByRole("tab", { name: /Needs attention/ }).getAttribute("aria-selected")).toBe("true");
    await screenshot(page, "console-02-needs-attention");

    await app.getByRole("row").filter({ hasText: pending }).getByRole("link").first().click();
    await app.getByText(`session ${pending}`, { exact: false }).waitFor();
    expect(await app.getByTestId("payment-status").textContent()).toMatch(/Pending$/);

    // Without a reason: the dialog says so once, as a sentence, and nothing changes.
    await app.getByRole("button", { name: "Resolve payment", exact: true }).click();
    const dialog = app.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Resolve payment", exact: true }).click();
    await dialog.getByText("Reason must say why, in a few words (it is kept in the audit trail).", { exact: true }).waitFor();
    expect(await dialog.getByText("must say why", { exact: false }).count()).toBe(1);
    expect(await dialog.textContent()).not.toContain("reason:");
    await screenshot(page, "console-02b-resolve-without-reason");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await app.getByTestId("payment-status").textContent()).toMatch(/Pending$/);

    await confirm(app, "Resolve payment", "Buyer's bank confirmed the transfer by phone");
    await expect.poll(() => app.getByTestId("payment-status").textContent()).toMatch(/Paid$/);
    await expect.poll(() => app.getByTestId("timeline").textContent(), { timeout: 60_000 }).toContain("Shopify was told the payment succeeded");
    // The staff member by the name Shopify's associated user gave (the online token).
    expect(await app.getByTestId("timeline").textContent()).toContain("Sam Support resolved the payment");
    expect(await stack.database.db.auditEntry.findFirstOrThrow({ where: { action: "PAYMENT_RESOLVE" } })).toMatchObject({ staffUserId: "1001", staffName: "Sam Support", staffEmail: "sam.support@example.com" });
    expect(await app.getByTestId("audit-entry").first().textContent()).toContain("Buyer's bank confirmed the transfer by phone");
    expect(stack.shopify.sessions.get(`gid://shopify/PaymentSession/${pending}`)?.state?.code).toBe("RESOLVED");
    await screenshot(page, "console-03-resolved-with-timeline");

    // A resolved payment offers no second outcome: the buttons say why.
    expect(await app.getByRole("button", { name: /Reject payment: not available/ }).isDisabled()).toBe(true);
  });

  it("lists a refund the provider left for staff under needs attention, and rejects it with a reason Shopify accepts for refunds", async () => {
    const paymentId = await checkout("Approve", "30.00");
    await page.getByLabel("Refund amount").fill("5.98");
    await page.getByRole("button", { name: "Refund" }).click();
    // Once the provider has left it undecided, the payment waits for staff.
    await expect
      .poll(async () => (await stack.database.db.refundSession.findFirst({ where: { paymentSession: { shopifyId: paymentId } } }))?.providerUndecidedAt ?? null, { timeout: 60_000 })
      .not.toBeNull();
    const app = await openAdmin();
    await app.getByRole("tab", { name: /Needs attention/ }).click();
    await expect.poll(() => app.getByRole("tab", { name: /Needs attention/ }).getAttribute("aria-selected")).toBe("true");
    const row = app.getByRole("row").filter({ hasText: paymentId });
    await row.waitFor();
    expect(await row.textContent()).toContain("Waiting for staff");
    await screenshot(page, "console-04a-refund-waiting-for-staff");
    await app.getByRole("row").filter({ hasText: paymentId }).getByRole("link").first().click();
    await app.getByText(`session ${paymentId}`, { exact: false }).waitFor();
    const refundStatus = app.locator("[data-testid^=follow-up-status-]");
    await expect.poll(() => refundStatus.textContent()).toMatch(/Received$/);
    await app.getByText("Waiting for staff: the provider has not decided", { exact: false }).waitFor();
    await confirm(app, "Reject refund", "Provider never settled it; merchant will refund by bank transfer", async (dialog) => {
      expect(await dialog.getByLabel("Reason for Shopify").locator("option").allTextContents()).toEqual(["Processing error"]);
      await dialog.getByLabel("Message to the merchant").fill("Refund failed at the provider; please refund another way.");
    });
    await expect.poll(() => refundStatus.textContent()).toMatch(/Rejected$/);
    // A label of a state goes with the state.
    await expect.poll(() => app.getByText("Waiting for staff", { exact: false }).count()).toBe(0);
    await expect.poll(() => app.getByTestId("timeline").textContent(), { timeout: 60_000 }).toContain("Shopify was told the refund failed");
    const refund = await stack.database.db.refundSession.findFirstOrThrow({ where: { paymentSession: { shopifyId: paymentId } } });
    expect(refund).toMatchObject({ status: "REJECTED", rejectionCode: "PROCESSING_ERROR", rejectionMessage: "Refund failed at the provider; please refund another way." });
    await expect.poll(() => stack.shopify.sessions.get(refund.gid)?.state?.code, { timeout: 60_000 }).toBe("REJECTED");
    await screenshot(page, "console-04-refund-rejected");
  });

  it("retries a dead delivery once Shopify is back", async () => {
    stack.shopify.setFaults({ errorRate: 1, only: "paymentSessionResolve" });
    // The buyer waits on the payment page while Shopify fails, until the delivery gives up.
    const shopifyId = await pay("Approve");
    const deadDelivery = () => stack.database.db.delivery.findFirst({ where: { status: "DEAD", paymentSession: { shopifyId } } });
    await expect.poll(async () => (await deadDelivery())?.status ?? null, { timeout: 60_000 }).toBe("DEAD");
    stack.shopify.clearFaults();
    const dead = (await deadDelivery())!;

    const app = await openAdmin("?view=attention");
    await app.getByRole("row").filter({ hasText: shopifyId }).getByRole("link").first().click();
    await app.getByText(`session ${shopifyId}`, { exact: false }).waitFor();
    expect(await app.getByTestId(`delivery-status-${dead.id}`).textContent()).toMatch(/Dead$/);
    await confirm(app, "Retry now", "Shopify's outage is over");
    await expect.poll(() => app.getByTestId(`delivery-status-${dead.id}`).textContent(), { timeout: 60_000 }).toMatch(/Succeeded$/);
    const audit = await stack.database.db.auditEntry.findFirstOrThrow({ where: { action: "DELIVERY_RETRY" } });
    expect(audit).toMatchObject({ shop: stack.shop, staffUserId: "1001", subject: dead.id, beforeState: "DEAD", afterState: "PENDING" });
    await screenshot(page, "console-05-delivery-retried");
  });
});
