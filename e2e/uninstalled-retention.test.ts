import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * An uninstalled shop's data is kept for UNINSTALLED_DATA_RETENTION_DAYS (here
 * two seconds), then deleted by the app's periodic privacy pass; a reinstall
 * within the period calls the deletion off.
 */
let stack: SandboxStack;

const RETENTION_SECONDS = 2;

beforeAll(async () => {
  stack = await startSandboxStack("retention.myshopify.com", {
    UNINSTALLED_DATA_RETENTION_DAYS: String(RETENTION_SECONDS / 86_400),
    PRIVACY_MAINTENANCE_INTERVAL_SECONDS: "0.2",
  });
});

afterAll(() => stack?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("retention of an uninstalled shop's data", () => {
  it("survives an uninstall followed by a reinstall, and is deleted once the period passes after the next uninstall", async () => {
    const db = stack.database.db;
    const payment = await stack.simulator.startPayment({ customer: "full" });
    expect(payment.response.status).toBe(201);
    const payments = () => db.paymentSession.count({ where: { shop: stack.shop } });

    expect((await stack.storefront.sendWebhook("app/uninstalled", {}, {})).status).toBe(200);
    await stack.storefront.admin?.install();
    expect((await db.shop.findUniqueOrThrow({ where: { domain: stack.shop } })).uninstalledAt).toBeNull();
    await sleep(RETENTION_SECONDS * 1000 + 1000);
    expect(await payments()).toBe(1);

    expect((await stack.storefront.sendWebhook("app/uninstalled", {}, {})).status).toBe(200);
    await sleep(RETENTION_SECONDS * 500);
    expect(await payments()).toBe(1);
    await expect.poll(payments, { timeout: 10_000, interval: 200 }).toBe(0);
    expect(await db.shop.count({ where: { domain: stack.shop } })).toBe(0);
    expect(await db.paymentAddress.count()).toBe(0);
    expect(stack.app.logs.some((entry) => entry.msg === "privacy maintenance" && (entry.shopsPurged as string[]).includes(stack.shop))).toBe(true);
    // The webhook ids stay: a retried delivery is still recognized.
    expect(await db.processedWebhook.count({ where: { shop: stack.shop } })).toBe(2);
  });
});
