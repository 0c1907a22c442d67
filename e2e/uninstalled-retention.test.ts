import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * An uninstalled shop's data is kept for UNINSTALLED_DATA_RETENTION_DAYS (here
 * five seconds), then deleted by the app's periodic privacy pass; a reinstall
 * within the period calls the deletion off.
 *
 * Nothing here waits a fixed time: each step waits for what shows that the app
 * did its part (a pass ran past a moment, the data went, the line was logged),
 * with deadlines far beyond what a slow machine needs.
 */
let stack: SandboxStack;

const RETENTION_SECONDS = 5;
const DEADLINE = { timeout: 60_000, interval: 100 };
/** A shop that stays uninstalled: its purge shows that a pass ran past its retention. */
const WITNESS = "retention-witness.myshopify.com";

beforeAll(async () => {
  stack = await startSandboxStack("retention.myshopify.com", {
    UNINSTALLED_DATA_RETENTION_DAYS: String(RETENTION_SECONDS / 86_400),
    PRIVACY_MAINTENANCE_INTERVAL_SECONDS: "0.2",
  });
});

afterAll(() => stack?.stop());

describe("retention of an uninstalled shop's data", () => {
  it("survives an uninstall followed by a reinstall, and is deleted once the period passes after the next uninstall", async () => {
    const db = stack.database.db;
    expect((await stack.simulator.startPayment({ customer: "full" })).response.status).toBe(201);
    const payments = () => db.paymentSession.count({ where: { shop: stack.shop } });
    const uninstalledAt = async () => (await db.shop.findUnique({ where: { domain: stack.shop } }))?.uninstalledAt ?? null;
    const withinPeriodOf = (uninstalled: Date) => Date.now() < uninstalled.getTime() + RETENTION_SECONDS * 1000;

    expect((await stack.storefront.sendWebhook("app/uninstalled", {}, {})).status).toBe(200);
    const firstUninstall = (await uninstalledAt())!;
    expect(firstUninstall).toBeInstanceOf(Date);
    // Uninstalled at the same moment, never reinstalled: once it is purged, a pass
    // has run past the moment the shop's data would have gone without the reinstall.
    await db.shop.create({ data: { domain: WITNESS, uninstalledAt: firstUninstall } });
    await stack.storefront.admin?.install();
    // The period runs from the uninstall; a machine so slow that it was over before
    // the reinstall finished has rightly deleted the data, and nothing to check here.
    if (withinPeriodOf(firstUninstall)) {
      expect(await uninstalledAt()).toBeNull();
      await expect.poll(() => db.shop.count({ where: { domain: WITNESS } }), DEADLINE).toBe(0);
      expect(await payments()).toBe(1);
    } else if ((await payments()) === 0) {
      expect((await stack.simulator.startPayment({ customer: "full" })).response.status).toBe(201);
    }

    const before = await payments();
    expect((await stack.storefront.sendWebhook("app/uninstalled", {}, {})).status).toBe(200);
    const secondUninstall = (await uninstalledAt())!;
    const keptDuringPeriod = await payments();
    if (withinPeriodOf(secondUninstall)) expect(keptDuringPeriod).toBe(before);
    await expect.poll(payments, DEADLINE).toBe(0);
    expect(await db.shop.count({ where: { domain: stack.shop } })).toBe(0);
    expect(await db.paymentAddress.count()).toBe(0);
    // The pass logs after its transactions commit: the line may come a moment after the rows went.
    const purgeLogged = () => stack.app.logs.some((entry) => entry.msg === "privacy maintenance" && (entry.shopsPurged as string[]).includes(stack.shop));
    await expect.poll(purgeLogged, DEADLINE).toBe(true);
    // The webhook ids stay: a retried delivery is still recognized.
    expect(await db.processedWebhook.count({ where: { shop: stack.shop } })).toBe(2);
  }, 180_000);
});
