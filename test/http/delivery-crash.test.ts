import { describe, expect, it } from "vitest";
import { retryDeliveryNow } from "../../app/delivery/send-delivery.server";
import { useAppsOnOneDatabase } from "../support/apps-on-one-database";
import { submit } from "../support/buyer";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

const stack = useAppsOnOneDatabase({
  WORKER_POLL_MS: "50",
  DELIVERY_LEASE_SECONDS: "2",
  DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.5,1,1,1,1,1,1,1",
  DELIVERY_RETRY_JITTER: "0",
  PAYMENTS_APPS_TIMEOUT_MS: "1000",
});
const launch = stack.launch;

describe("a worker killed with kill -9 in the middle of a delivery", () => {
  it("loses no outcome: another process takes the delivery over when the lease expires, and Shopify applies it once", async () => {
    const first = await launch();
    const body = paymentBody();
    stack.shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment" });
    const link = ((await post(first.url, "/sessions/payment", body)).json.redirect_url as string).replace("https://payments-app.test", first.url);

    // Shopify answers slowly, so the process dies while the mutation is on the wire.
    stack.shopify.setFaults({ latencyMs: 3000, only: "paymentSessionResolve" });
    await submit(first.url, link, { intent: "pay", scenario: "approve" });
    await expect
      .poll(async () => (await stack.database.db.delivery.findFirst({ where: { sessionGid: body.gid } }))?.leaseOwner ?? null, { timeout: 60_000 })
      .not.toBeNull();
    await first.crash();
    stack.shopify.clearFaults();

    // The outcome was committed with its delivery before the crash.
    const payment = await stack.database.db.paymentSession.findFirstOrThrow({ where: { gid: body.gid } });
    expect(payment.status).toBe("RESOLVED");

    await launch();
    await expect
      .poll(async () => (await stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } })).status, { timeout: 60_000 })
      .toBe("SUCCEEDED");
    const executed = stack.shopify.calls.filter((c) => c.executed && c.mutations.includes("paymentSessionResolve") && c.variables?.id === body.gid);
    expect(executed).toHaveLength(1);
    expect(stack.shopify.sessions.get(body.gid)?.state?.code).toBe("RESOLVED");
  });

  it("sends each delivery once when two processes share the database", async () => {
    // Leases long enough for any attempt: a lease that expires mid-send lets the
    // other process send again (harmless for Shopify, but not what this checks).
    const settings = { DELIVERY_LEASE_SECONDS: "30", PAYMENTS_APPS_TIMEOUT_MS: "5000" };
    const [a, b] = await Promise.all([launch(settings), launch(settings)]);
    const bodies = Array.from({ length: 20 }, () => paymentBody());
    for (const body of bodies) stack.shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment" });
    stack.shopify.clearCalls();
    await Promise.all(
      bodies.map(async (body, index) => {
        const app = index % 2 === 0 ? a : b;
        const link = ((await post(app.url, "/sessions/payment", body)).json.redirect_url as string).replace("https://payments-app.test", app.url);
        await submit(app.url, link, { intent: "pay", scenario: "approve" });
      }),
    );
    await expect
      .poll(() => stack.database.db.delivery.count({ where: { sessionGid: { in: bodies.map((body) => body.gid) }, status: "SUCCEEDED" } }), { timeout: 60_000 })
      .toBe(20);
    // (The first test's crashed call may still finish at Shopify after clearCalls: count only these.)
    const gids = new Set(bodies.map((body) => body.gid));
    const resolveCalls = stack.shopify.calls.filter((c) => c.mutations.includes("paymentSessionResolve") && gids.has(String(c.variables?.id)));
    expect(new Set(resolveCalls.map((c) => c.variables?.id)).size).toBe(20);
    // Each call Shopify received is one recorded attempt of one claim, and each
    // delivery succeeded once: a second send could only follow a failed attempt
    // (a timeout on a loaded machine), never a second process's claim.
    const attempts = await stack.database.db.deliveryAttempt.findMany({
      where: { delivery: { sessionGid: { in: bodies.map((body) => body.gid) } } },
      select: { deliveryId: true, outcome: true, number: true },
      orderBy: { number: "asc" },
    });
    expect(attempts).toHaveLength(resolveCalls.length);
    const successes = attempts.filter((attempt) => attempt.outcome === "SUCCESS");
    expect(successes).toHaveLength(20);
    expect(new Set(successes.map((attempt) => attempt.deliveryId)).size).toBe(20);
    for (const attempt of attempts) {
      const isLastOfItsDelivery = !attempts.some((other) => other.deliveryId === attempt.deliveryId && other.number > attempt.number);
      expect(attempt.outcome === "SUCCESS").toBe(isLastOfItsDelivery);
    }
  });

  it("gives up after the last scheduled attempt (DEAD), and sends again when retried on demand", async () => {
    const app = await launch({ DELIVERY_RETRY_SCHEDULE: "0.1,0.1", DELIVERY_LEASE_SECONDS: "30" });
    const body = paymentBody();
    stack.shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment" });
    const link = ((await post(app.url, "/sessions/payment", body)).json.redirect_url as string).replace("https://payments-app.test", app.url);
    stack.shopify.setFaults({ errorRate: 1, only: "paymentSessionResolve" });
    await submit(app.url, link, { intent: "pay", scenario: "approve" });
    const dead = await expect
      .poll(async () => (await stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } })).status, { timeout: 60_000 })
      .toBe("DEAD")
      .then(() => stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } }));
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toContain("gave up after 3 attempts");
    stack.shopify.clearFaults();

    // Only the delivery's own shop can retry it.
    expect(await retryDeliveryNow(stack.database.db, "someone-else.myshopify.com", dead.id)).toBe(false);
    expect(await retryDeliveryNow(stack.database.db, SHOP, dead.id)).toBe(true);
    await expect
      .poll(async () => (await stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } })).status, { timeout: 60_000 })
      .toBe("SUCCEEDED");
    expect(stack.shopify.sessions.get(body.gid)?.state?.code).toBe("RESOLVED");
  });
});
