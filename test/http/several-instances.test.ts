import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { useAppsOnOneDatabase } from "../support/apps-on-one-database";
import { submit } from "../support/buyer";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

// Several app instances share one database only on PostgreSQL (SQLite serves one
// instance; delivery-crash.test.ts covers two processes on one SQLite file).
const onPostgresql = inject("testDatabase").provider === "postgresql";

describe.skipIf(!onPostgresql)(
  "two app instances on one PostgreSQL database (skipped on SQLite; run with TEST_DATABASE_URL=postgresql://…)",
  () => {
    const stack = useAppsOnOneDatabase({
      WORKER_POLL_MS: "20",
      DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.5,1,1,1,1,1,1,1",
      DELIVERY_RETRY_JITTER: "0",
    });
    const launch = stack.launch;

    it("records a payment once when copies of its request reach both instances at the same time, and answers every copy alike", async () => {
      const [a, b] = await Promise.all([launch({ WORKER_ENABLED: "false" }), launch({ WORKER_ENABLED: "false" })]);
      const body = paymentBody();
      const answers = await Promise.all(Array.from({ length: 24 }, (_, copy) => post(copy % 2 === 0 ? a.url : b.url, "/sessions/payment", body)));

      expect(answers.map((answer) => answer.status)).toEqual(Array(24).fill(201));
      const first = answers[0]!.json as { redirect_url: string };
      expect(first.redirect_url).toMatch(/^https:\/\/payments-app\.test\/pay\//);
      for (const answer of answers) expect(answer.json).toEqual(first);
      expect(await stack.database.db.paymentSession.count({ where: { shop: SHOP, shopifyId: body.id } })).toBe(1);
    });

    it("sends each of 60 outcomes exactly once when two instances' workers drain them together", async () => {
      const now = new Date();
      const gids: string[] = [];
      for (let n = 0; n < 60; n++) {
        const id = `drain-${n}-${randomBytes(4).toString("hex")}`;
        const gid = `gid://shopify/PaymentSession/${id}`;
        gids.push(gid);
        stack.shopify.registerSession({ gid, shop: SHOP, kind: "payment" });
        await stack.database.db.paymentSession.create({
          data: {
            shop: SHOP, shopifyId: id, gid, group: id, amountMinor: 1999n, amount: "19.99", currency: "USD", test: true,
            merchantLocale: "en", kind: "SALE", paymentMethodType: "offsite", cancelUrl: `https://${SHOP}/cancel`, proposedAt: now,
            shopifyApiVersion: "2026-04", shopifyRequestId: id, requestHash: id, status: "RESOLVED", resolvedAt: now,
            deliveries: { create: { shop: SHOP, operation: "PAYMENT_RESOLVE", sessionGid: gid, nextAttemptAt: now } },
          },
        });
      }
      stack.shopify.clearCalls();
      // Small batches, so the two workers claim again and again against each other.
      const settings = { WORKER_BATCH_SIZE: "4", WORKER_CONCURRENCY: "4", DELIVERY_LEASE_SECONDS: "30", PAYMENTS_APPS_TIMEOUT_MS: "5000" };
      await Promise.all([launch(settings), launch(settings)]);

      await expect
        .poll(() => stack.database.db.delivery.count({ where: { sessionGid: { in: gids }, status: "SUCCEEDED" } }), { timeout: 30_000 })
        .toBe(60);
      const resolveCalls = stack.shopify.calls.filter((call) => call.mutations.includes("paymentSessionResolve"));
      const callsPerGid = new Map<string, number>();
      for (const call of resolveCalls) callsPerGid.set(String(call.variables?.id), (callsPerGid.get(String(call.variables?.id)) ?? 0) + 1);
      expect([...callsPerGid.keys()].sort()).toEqual([...gids].sort());
      // Each call Shopify received is one recorded attempt of one claim, and each
      // delivery succeeded once: a second send could only follow a failed attempt
      // (a timeout on a loaded machine), never a second instance's claim.
      const attempts = await stack.database.db.deliveryAttempt.findMany({ where: { delivery: { sessionGid: { in: gids } } }, include: { delivery: true } });
      expect(attempts).toHaveLength(resolveCalls.length);
      for (const gid of gids) {
        const own = attempts.filter((attempt) => attempt.delivery.sessionGid === gid);
        expect(own).toHaveLength(callsPerGid.get(gid) ?? 0);
        expect(own.filter((attempt) => attempt.outcome === "SUCCESS")).toHaveLength(1);
      }
      expect(resolveCalls.filter((call) => call.outcome === "ok")).toHaveLength(60);
    });

    it("takes over a killed instance's claimed delivery once its lease expires, and Shopify applies it once", async () => {
      const settings = { DELIVERY_LEASE_SECONDS: "2", PAYMENTS_APPS_TIMEOUT_MS: "1000" };
      const [a, b] = await Promise.all([launch(settings), launch(settings)]);
      const body = paymentBody();
      stack.shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment" });
      const link = ((await post(a.url, "/sessions/payment", body)).json as { redirect_url: string }).redirect_url.replace("https://payments-app.test", a.url);

      // Shopify answers slowly, so the claiming instance dies while the mutation is on the wire.
      stack.shopify.setFaults({ latencyMs: 3000, only: "paymentSessionResolve" });
      await submit(a.url, link, { intent: "pay", scenario: "approve" });
      const claimed = await expect
        .poll(async () => (await stack.database.db.delivery.findFirst({ where: { sessionGid: body.gid } }))?.leaseOwner ?? null, { timeout: 60_000 })
        .not.toBeNull()
        .then(() => stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } }));
      const [owner, survivor] = claimed.leaseOwner!.split(":")[1] === String(a.pid) ? [a, b] : [b, a];
      expect(claimed.leaseOwner!.split(":")[1]).toBe(String(owner.pid));
      await owner.crash();
      stack.shopify.clearFaults();

      const delivered = await expect
        .poll(async () => (await stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } })).status, { timeout: 60_000 })
        .toBe("SUCCEEDED")
        .then(() => stack.database.db.delivery.findFirstOrThrow({ where: { sessionGid: body.gid } }));
      // The survivor waited for the lease it could see (a heartbeat only moves it later).
      expect(delivered.succeededAt!.getTime()).toBeGreaterThanOrEqual(claimed.leaseExpiresAt!.getTime());
      expect(survivor.stderr).toEqual([]);
      const executed = stack.shopify.calls.filter((c) => c.executed && c.mutations.includes("paymentSessionResolve") && c.variables?.id === body.gid);
      expect(executed).toHaveLength(1);
      expect(stack.shopify.sessions.get(body.gid)?.state?.code).toBe("RESOLVED");
    });
  },
);
