import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookSender } from "../sandbox/shopify/webhooks";
import { TEST_API_SECRET } from "../test/support/app-process";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * Issue 16 §1: a signed webhook body is valid forever (the signature covers the
 * body, not the time or the headers). A genuine shop/redact erases an uninstalled
 * shop; sent again after the merchant reinstalled (a new webhook id, its old
 * X-Shopify-Triggered-At), it must erase nothing: not the new payments, not the
 * new token. The same for an old app/uninstalled. Decision 0009.
 */
let stack: SandboxStack;

beforeAll(async () => {
  stack = await startSandboxStack("replay-after-reinstall.myshopify.com");
}, 60_000);

afterAll(() => stack?.stop());

describe("a shop/redact replayed after a reinstall", () => {
  it("erases the uninstalled shop once, and after the reinstall erases nothing and uninstalls nothing", async () => {
    const db = stack.database.db;
    const shop = stack.shop;
    // Replays come from whoever kept the bodies, not from the sandbox's Shopify: no uninstall at the sandbox first.
    const replayer = createWebhookSender({ appUrl: stack.app.url, apiSecret: TEST_API_SECRET, shop, attempts: 1 });

    expect((await stack.simulator.startPayment({ buyer: "camille.roy@example.com" })).response.status).toBe(201);
    const uninstall = await stack.storefront.sendWebhook("app/uninstalled", {}, {});
    expect(uninstall).toMatchObject({ status: 200, response: { outcome: "processed" } });
    const redact = await stack.storefront.sendWebhook("shop/redact", {}, {});
    expect(redact).toMatchObject({ status: 200, response: { outcome: "processed" } });
    expect(await db.paymentSession.count({ where: { shop } })).toBe(0);

    // The merchant installs the app again and takes payments.
    await stack.storefront.admin?.install();
    const installedAt = (await db.shop.findUniqueOrThrow({ where: { domain: shop } })).installedAt;
    expect(installedAt).toBeInstanceOf(Date);
    const again = await stack.simulator.startPayment({ buyer: "mary.jones@example.com" });
    expect(again.response.status).toBe(201);
    const token = (await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } })).accessToken;

    // The same signed bodies again, with new webhook ids and their old trigger times.
    const replayedRedact = await replayer.send("shop/redact", {}, { body: JSON.parse(redact.body), triggeredAt: redact.triggeredAt });
    expect(replayedRedact).toMatchObject({ status: 200, response: { outcome: "acknowledged" } });
    expect(replayedRedact.webhookId).not.toBe(redact.webhookId);
    const replayedUninstall = await replayer.send("app/uninstalled", {}, { body: JSON.parse(uninstall.body), triggeredAt: uninstall.triggeredAt });
    expect(replayedUninstall).toMatchObject({ status: 200, response: { outcome: "acknowledged" } });

    expect(await db.paymentSession.count({ where: { shop } })).toBe(1);
    expect((await db.paymentSession.findFirstOrThrow({ where: { shop } })).customerEmail).not.toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } })).accessToken).toBe(token);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();

    // Uninstalled again: the old shop/redact is about the installation before, and still erases nothing
    // (this installation's data waits for its own shop/redact, or its retention period).
    expect((await stack.storefront.sendWebhook("app/uninstalled", {}, {})).status).toBe(200);
    const staleRedact = await replayer.send("shop/redact", {}, { body: JSON.parse(redact.body), triggeredAt: redact.triggeredAt });
    expect(staleRedact).toMatchObject({ status: 200, response: { outcome: "acknowledged" } });
    expect(await db.paymentSession.count({ where: { shop } })).toBe(1);

    // The lines reach this process through the app's stdout, which may come after its responses.
    const reasons = () => stack.app.logs.filter((entry) => entry.msg === "webhook" && [replayedRedact.webhookId, staleRedact.webhookId].includes(String(entry.webhookId))).map((line) => line.reason);
    await expect.poll(reasons, { timeout: 60_000 }).toEqual(["shop-installed", "triggered-before-install"]);
    expect(JSON.stringify(stack.app.logs)).not.toContain("mary.jones@example.com");
  });
});
