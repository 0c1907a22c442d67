import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskEmail } from "../app/admin/mask";
import { signSessionToken } from "../sandbox/shopify/session-token";
import type { OpenedPayment } from "../sandbox/shopify/simulator";
import type { SentWebhook } from "../sandbox/shopify/webhooks";
import { TEST_API_KEY, TEST_API_SECRET } from "../test/support/app-process";
import { submit, waitUntilRedirected } from "../test/support/buyer";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * Issue 6's "done when", as a newcomer tries it through the sandbox: install,
 * take a test payment with customer data, send customers/redact for that buyer
 * and see the PII gone from the database, send app/uninstalled and see
 * deliveries stop (until a reinstall), send a webhook with a wrong HMAC and get
 * 401; and through it all (a support agent's audited reveal included), no
 * personal data or token in the app's logs.
 */
let stack: SandboxStack;

beforeAll(async () => {
  stack = await startSandboxStack("privacy-journey.myshopify.com", {
    DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.3,0.5,1,1,1,1",
    DELIVERY_RETRY_JITTER: "0",
    // Log everything the app has to say: the check below must see it all.
    LOG_LEVEL: "debug",
  });
});

afterAll(() => stack?.stop());

/** What a developer does with `npm run dev` running: POST /_sandbox/webhooks/{topic} on the sandbox. */
async function sendFromSandbox(topic: string, input: Record<string, unknown> = {}): Promise<SentWebhook> {
  const response = await fetch(`${stack.storefront.url}/_sandbox/webhooks/${encodeURIComponent(topic)}`, { method: "POST", body: JSON.stringify(input) });
  expect(response.status).toBe(200);
  return (await response.json()) as SentWebhook;
}

/** The payment's page in the embedded admin (its loader data), as staff see it. */
async function adminPaymentPage(paymentId: string): Promise<string> {
  const token = signSessionToken({ shop: stack.shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "1001" });
  const response = await fetch(`${stack.app.url}/app/payments/${paymentId}.data`, {
    headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" },
  });
  expect(response.status).toBe(200);
  return response.text();
}

async function adminPaymentAction(paymentId: string, fields: Record<string, string>): Promise<string> {
  const token = signSessionToken({ shop: stack.shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "1001" });
  const response = await fetch(`${stack.app.url}/app/payments/${paymentId}.data`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" },
  });
  expect(response.status).toBe(200);
  return response.text();
}

const shopifyState = (gid: string) => stack.shopify.sessions.get(gid)?.state?.code ?? null;
const paymentRow = (payment: OpenedPayment) =>
  stack.database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: stack.shop, shopifyId: payment.id } }, include: { addresses: true } });

describe("privacy through the sandbox", () => {
  it("redacts a buyer, stops deliveries on uninstall until a reinstall, refuses a wrong HMAC, and logs no PII or token", async () => {
    const db = stack.database.db;
    const tokens = new Set((await db.session.findMany({ where: { shop: stack.shop } })).map((s) => s.accessToken));

    // A test payment with a full customer, paid, captured… refunded.
    const payment = await stack.simulator.startPayment({ kind: "sale", customer: "full", buyer: "noura.alsabah@example.com" });
    expect(payment.response.status).toBe(201);
    const landed = await submit(stack.app.url, payment.redirectUrl ?? "", { intent: "pay", scenario: "approve" });
    if (!landed.leftTo) await waitUntilRedirected(stack.app.url, payment.redirectUrl ?? "");
    await expect.poll(() => shopifyState(payment.gid), { timeout: 60_000 }).toBe("RESOLVED");
    const refund = await stack.simulator.followUp("refund", payment, "10.00");
    await expect.poll(() => shopifyState(refund.gid), { timeout: 60_000 }).toBe("RESOLVED");
    expect((await paymentRow(payment)).addresses.length).toBe(2);

    const buyer = payment.body.customer as { email: string; phone_number: string; billing_address: Record<string, string | null> };

    // The merchant's customer asks for their data, then to be forgotten.
    const who = { email: buyer.email, phone: buyer.phone_number };
    const rowId = (await paymentRow(payment)).id;
    // Staff see the buyer masked (revealing is an audited action of the admin).
    const before = await adminPaymentPage(rowId);
    expect(before).toContain(maskEmail(buyer.email));
    expect(before).not.toContain(buyer.email);
    // A support agent reveals them (audited): decrypted for the answer, never logged.
    const revealed = await adminPaymentAction(rowId, { intent: "reveal-customer", reason: "The buyer called about a refund" });
    expect(revealed).toContain(buyer.email);
    expect(revealed).toContain(buyer.billing_address.line1 ?? "");
    expect((await sendFromSandbox("customers/data_request", who)).status).toBe(200);
    expect(await db.customerDataExport.findFirstOrThrow({ where: { shop: stack.shop } })).toMatchObject({ paymentCount: 1 });
    expect(await sendFromSandbox("customers/redact", who)).toMatchObject({ status: 200, response: { outcome: "processed" } });
    const redacted = await paymentRow(payment);
    expect(redacted).toMatchObject({ customerEmail: null, customerPhoneNumber: null, customerLocale: null, addresses: [] });
    expect(redacted.customerRedactedAt).toBeInstanceOf(Date);
    expect(redacted.status).toBe("RESOLVED");
    expect(await db.customerDataExport.count({ where: { shop: stack.shop } })).toBe(0);
    // …and gone from the admin.
    expect(await adminPaymentPage(rowId)).not.toContain(maskEmail(buyer.email));

    // A webhook with a wrong HMAC: 401, nothing changes (Shopify would retry it; so does the sandbox).
    const forged = await sendFromSandbox("shop/redact", { signature: "wrong" });
    expect(forged.status).toBe(401);
    expect(await db.paymentSession.count({ where: { shop: stack.shop } })).toBe(1);

    // A buyer is paying when the merchant uninstalls the app.
    // A named buyer, never Mary: the next test counts Mary's payments in this shop.
    const late = await stack.simulator.startPayment({ kind: "sale", customer: "full", buyer: "haruto.sato@example.com" });
    expect(late.response.status).toBe(201);
    expect((await sendFromSandbox("app/uninstalled")).status).toBe(200);
    expect(await db.session.count({ where: { shop: stack.shop } })).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: stack.shop } })).uninstalledAt).toBeInstanceOf(Date);

    // The outcome is recorded, but not sent: Shopify hears nothing.
    await submit(stack.app.url, late.redirectUrl ?? "", { intent: "pay", scenario: "approve" });
    await expect.poll(() => db.delivery.count({ where: { sessionGid: late.gid } }), { timeout: 60_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stack.shopify.calls.filter((call) => call.variables?.id === late.gid)).toEqual([]);
    expect(await db.delivery.findFirstOrThrow({ where: { sessionGid: late.gid } })).toMatchObject({ status: "PENDING", attempts: 0 });

    // The merchant installs the app again: the held outcome goes out, once.
    await stack.storefront.admin?.install();
    await expect.poll(() => shopifyState(late.gid), { timeout: 60_000 }).toBe("RESOLVED");
    expect((await db.shop.findUniqueOrThrow({ where: { domain: stack.shop } })).uninstalledAt).toBeNull();
    for (const session of await db.session.findMany({ where: { shop: stack.shop } })) tokens.add(session.accessToken);

    // Nothing personal and no token in anything the app process wrote.
    const output = [...stack.app.logs.map((entry) => JSON.stringify(entry)), ...stack.app.stderr].join("\n");
    expect(stack.app.logs.some((entry) => entry.msg === "webhook")).toBe(true);
    const late_buyer = late.body.customer as typeof buyer;
    const secrets = [
      ...[buyer, late_buyer].flatMap((who) => [who.email, who.phone_number, who.billing_address.given_name, who.billing_address.family_name, who.billing_address.line1, who.billing_address.postal_code]),
      ...tokens,
    ].filter((value): value is string => typeof value === "string" && value.length > 3);
    expect(tokens.size).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(output, `the app's output contains "${secret}"`).not.toContain(secret);
    expect(output).not.toContain(buyer.phone_number.replace(/\D/g, ""));
  });

  it("from the sandbox's webhooks page, redacts one buyer while the others (same phone) keep their details, and the admin says so", async () => {
    const db = stack.database.db;
    const camille = await stack.simulator.startPayment({ buyer: "camille.roy@example.com" });
    const mary = await stack.simulator.startPayment({ buyer: "mary.jones@example.com" });
    expect([camille.response.status, mary.response.status]).toEqual([201, 201]);
    const [camilleRow, maryRow] = await Promise.all([paymentRow(camille), paymentRow(mary)]);
    expect(camille.body.customer).toMatchObject({ phone_number: "+15145550100" });
    expect(mary.body.customer).toMatchObject({ phone_number: "+15145550100" });

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ locale: "en-US" });
      const send = async (topic: string, buyer: string) => {
        await page.goto(`${stack.storefront.url}/webhooks`);
        await page.getByLabel("Topic").selectOption(topic);
        await page.getByLabel(/^Buyer/).selectOption(buyer);
        await page.getByRole("button", { name: "Send" }).click();
        return (await page.getByRole("status").textContent()) ?? "";
      };
      expect(await send("customers/redact", "camille.roy@example.com")).toContain("customers/redact: the app answered 200 (processed)");
      await screenshot(page, "privacy-01-redact-one-buyer");
      expect(await send("customers/data_request", "mary.jones@example.com")).toContain("answered 200 (processed)");

      // Camille's details are gone; Mary's (same phone) are not.
      expect(await paymentRow(camille)).toMatchObject({ customerEmail: null, customerPhoneNumber: null, addresses: [] });
      expect((await paymentRow(mary)).customerEmail).not.toBeNull();
      expect((await db.customerDataExport.findFirstOrThrow({ where: { shop: stack.shop }, orderBy: { createdAt: "desc" } })).paymentCount).toBe(1);

      // The admin says what happened, and when, and the trail names Shopify.
      const camillePage = await openAdminPayment(page, camilleRow.id);
      expect(await camillePage.getByTestId("customer-erased").textContent()).toMatch(/^Customer details erased on .+ at Shopify's request\.$/);
      expect(await camillePage.getByText("Shopify sent no customer details").count()).toBe(0);
      expect(await camillePage.getByText("Shopify had the customer's details erased (customers/redact)").count()).toBeGreaterThan(0);
      expect(await camillePage.getByTestId("audit-entry").first().textContent()).toMatch(/ · Shopify · Customer redact · /);
      await screenshot(page, "privacy-02-admin-erased");
      const maryPage = await openAdminPayment(page, maryRow.id);
      expect(await maryPage.getByTestId("customer-email").textContent()).toContain(maskEmail("mary.jones@example.com"));
      expect(await maryPage.getByText("Shopify had the customer's data exported (customers/data_request)").count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });
});

/** The payment's page in the sandbox admin, as staff open it: the embedded app's frame, loaded. */
async function openAdminPayment(page: Page, paymentId: string): Promise<Frame> {
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}/payments/${paymentId}`);
  await page.waitForSelector("iframe#app");
  const frame = await (await page.$("iframe#app"))?.contentFrame();
  if (!frame) throw new Error("the admin has no app frame");
  await frame.getByRole("heading", { name: "Timeline" }).waitFor({ timeout: 30_000 });
  return frame;
}
