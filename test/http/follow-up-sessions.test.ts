import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPaymentOutcome } from "../../app/payments/outcomes/payment-outcomes.server";
import { startApp, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { followUpBody, paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";

let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  // Receipt only: no worker processing the sessions behind the assertions' backs.
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

/** A payment Shopify opened and the provider approved (its delivery waits: no worker runs here). */
async function resolvedPayment(overrides: Record<string, unknown> = {}, authorizationExpiresAt = new Date(Date.now() + 7 * 86_400_000)) {
  const body = paymentBody(overrides);
  expect((await post(app.url, "/sessions/payment", body)).status).toBe(201);
  const { id } = await database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } } });
  await applyPaymentOutcome(database.db, id, { kind: "resolve", authorizationExpiresAt, providerReference: "test" });
  return body;
}

async function send(type: "refund" | "capture" | "void", paymentId: string, overrides: Record<string, unknown> = {}) {
  const sessionType = ({ refund: "RefundSession", capture: "CaptureSession", void: "VoidSession" } as const)[type];
  const body = followUpBody(sessionType, paymentId, overrides);
  const response = await post(app.url, `/sessions/${type}`, body);
  return { body, response };
}

const stored = {
  refund: (id: string) => database.db.refundSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: id } } }),
  capture: (id: string) => database.db.captureSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: id } } }),
  void: (id: string) => database.db.voidSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: id } } }),
};

describe("capture sessions", () => {
  it("accepts partial captures up to the authorized amount and rejects the one that would exceed it", async () => {
    const payment = await resolvedPayment({ kind: "authorization", amount: "100.00" });

    const first = await send("capture", payment.id, { amount: "60.00" });
    const second = await send("capture", payment.id, { amount: "40.00" });
    const third = await send("capture", payment.id, { amount: "0.01" });

    expect([first.response.status, second.response.status, third.response.status]).toEqual([201, 201, 201]);
    expect(first.response.json).toEqual({});
    expect((await stored.capture(first.body.id)).status).toBe("RECEIVED");
    expect((await stored.capture(second.body.id)).status).toBe("RECEIVED");
    expect(await stored.capture(third.body.id)).toMatchObject({
      status: "REJECTED",
      ruleViolation: "AMOUNT_EXCEEDS_REMAINING",
      rejectionCode: "PROCESSING_ERROR",
      rejectionMessage: expect.stringContaining("0.00 CAD left"),
      rejectedAt: expect.any(Date),
    });
  });

  it("rejects a capture of a sale", async () => {
    const payment = await resolvedPayment({ kind: "sale" });
    const { body } = await send("capture", payment.id);
    expect(await stored.capture(body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "NOT_AN_AUTHORIZATION" });
  });

  it("rejects a capture of an authorization that is still open", async () => {
    const body = paymentBody({ kind: "authorization" });
    await post(app.url, "/sessions/payment", body);
    const capture = await send("capture", body.id);
    expect(capture.response.status).toBe(201);
    expect(await stored.capture(capture.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "PAYMENT_NOT_RESOLVED" });
  });

  it("rejects a capture after the authorization expired with AUTHORIZATION_EXPIRED", async () => {
    const payment = await resolvedPayment({ kind: "authorization" }, new Date(Date.now() - 1000));
    const { body } = await send("capture", payment.id);
    expect(await stored.capture(body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "AUTHORIZATION_EXPIRED", rejectionCode: "AUTHORIZATION_EXPIRED" });
  });

  it("rejects a capture in another currency", async () => {
    const payment = await resolvedPayment({ kind: "authorization", currency: "JPY", amount: "5000" });
    const { body } = await send("capture", payment.id, { currency: "USD", amount: "10.00" });
    expect(await stored.capture(body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "CURRENCY_MISMATCH" });
  });

  it("settles concurrent captures of one authorization so the total never exceeds it", async () => {
    const payment = await resolvedPayment({ kind: "authorization", currency: "KWD", amount: "10.000" });
    const captures = await Promise.all(Array.from({ length: 8 }, () => send("capture", payment.id, { currency: "KWD", amount: "3.000" })));
    const rows = await Promise.all(captures.map((c) => stored.capture(c.body.id)));
    expect(rows.filter((r) => r.status === "RECEIVED")).toHaveLength(3);
    expect(rows.filter((r) => r.status === "REJECTED" && r.ruleViolation === "AMOUNT_EXCEEDS_REMAINING")).toHaveLength(5);
  });
});

describe("refund sessions", () => {
  it("refunds a sale up to its amount and rejects what goes beyond", async () => {
    const payment = await resolvedPayment({ kind: "sale", amount: "50.00" });
    const first = await send("refund", payment.id, { amount: "30.00" });
    const second = await send("refund", payment.id, { amount: "20.01" });
    expect((await stored.refund(first.body.id)).status).toBe("RECEIVED");
    expect(await stored.refund(second.body.id)).toMatchObject({
      status: "REJECTED",
      ruleViolation: "AMOUNT_EXCEEDS_REMAINING",
      rejectionMessage: expect.stringContaining("20.00 CAD left"),
    });
  });

  it("rejects a refund larger than what was captured of an authorization", async () => {
    const payment = await resolvedPayment({ kind: "authorization", amount: "100.00" });
    const capture = await send("capture", payment.id, { amount: "40.00" });
    // The delivery worker marks captures resolved once Shopify accepted them.
    await database.db.captureSession.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: capture.body.id } }, data: { status: "RESOLVED", resolvedAt: new Date() } });

    const tooMuch = await send("refund", payment.id, { amount: "40.01" });
    const exact = await send("refund", payment.id, { amount: "40.00" });

    expect(await stored.refund(tooMuch.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "AMOUNT_EXCEEDS_REMAINING" });
    expect((await stored.refund(exact.body.id)).status).toBe("RECEIVED");
  });

  it("rejects a refund of a payment that was not resolved", async () => {
    const body = paymentBody();
    await post(app.url, "/sessions/payment", body);
    const refund = await send("refund", body.id);
    expect(await stored.refund(refund.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "PAYMENT_NOT_RESOLVED" });
  });

  it("rejects a live refund of a test payment", async () => {
    const payment = await resolvedPayment({ test: true });
    const refund = await send("refund", payment.id, { test: false });
    expect(await stored.refund(refund.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "TEST_MODE_MISMATCH" });
  });

  it("answers 404 naming payment_id for a payment this shop does not have, and stores nothing", async () => {
    const otherShop = "someone-else.myshopify.com";
    await installShop(database.db, otherShop);
    const theirs = paymentBody();
    await post(app.url, "/sessions/payment", theirs, shopifyHeaders(otherShop));

    const refund = await send("refund", theirs.id);

    expect(refund.response.status).toBe(404);
    expect(refund.response.json.error.problems).toEqual([{ field: "payment_id", message: expect.any(String) }]);
    expect(await database.db.refundSession.count({ where: { shopifyId: refund.body.id } })).toBe(0);
  });

  it("replays a retried refund and refuses a conflicting one", async () => {
    const payment = await resolvedPayment({ amount: "80.00" });
    const first = await send("refund", payment.id, { amount: "10.00" });
    const retry = await post(app.url, "/sessions/refund", first.body);
    const conflict = await post(app.url, "/sessions/refund", { ...first.body, amount: "11.00" });

    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.response.text);
    expect(conflict.status).toBe(409);
    expect(await database.db.refundSession.count({ where: { shopifyId: first.body.id } })).toBe(1);
    expect((await stored.refund(first.body.id)).amount).toBe("10.00");
  });

  it("refuses an over-precise refund amount with 422", async () => {
    const payment = await resolvedPayment({ currency: "USD", amount: "10.00" });
    const refund = await send("refund", payment.id, { currency: "USD", amount: "1.001" });
    expect(refund.response.status).toBe(422);
    expect(refund.response.json.error.problems[0].field).toBe("amount");
  });
});

describe("void sessions", () => {
  it("voids a resolved authorization with nothing captured", async () => {
    const payment = await resolvedPayment({ kind: "authorization" });
    const voided = await send("void", payment.id);
    expect(voided.response.status).toBe(201);
    expect((await stored.void(voided.body.id)).status).toBe("RECEIVED");

    const lateCapture = await send("capture", payment.id);
    expect(await stored.capture(lateCapture.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "AUTHORIZATION_VOIDED" });
  });

  it("rejects a void after a capture", async () => {
    const payment = await resolvedPayment({ kind: "authorization" });
    await send("capture", payment.id, { amount: "1.00" });
    const voided = await send("void", payment.id);
    expect(await stored.void(voided.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "ALREADY_CAPTURED" });
  });

  it("rejects a void of a sale", async () => {
    const payment = await resolvedPayment({ kind: "sale" });
    const voided = await send("void", payment.id);
    expect(await stored.void(voided.body.id)).toMatchObject({ status: "REJECTED", ruleViolation: "NOT_AN_AUTHORIZATION" });
  });

  it("refuses a void with a gid of another kind", async () => {
    const payment = await resolvedPayment({ kind: "authorization" });
    const voided = await send("void", payment.id, { gid: "gid://shopify/RefundSession/x" });
    expect(voided.response.status).toBe(422);
    expect(voided.response.json.error.problems[0].field).toBe("gid");
  });
});
