import Stripe from "stripe";
import { startStripeSandbox, type StripeSandbox } from "./server";
import { control, payWithCard, sessionParams, stripeClient, submitOnPage } from "./test-client";

let sandbox: StripeSandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await startStripeSandbox({ delayedSettleSeconds: 60 });
  stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
});
afterAll(() => sandbox.close());

async function caught(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the SDK to throw");
}

const expanded = (id: string) => stripe.checkout.sessions.retrieve(id, { expand: ["payment_intent", "payment_intent.latest_charge"] });
const intentOf = (session: Stripe.Checkout.Session) => session.payment_intent as Stripe.PaymentIntent;
const chargeOf = (session: Stripe.Checkout.Session) => intentOf(session).latest_charge as Stripe.Charge;

async function paidSession(amount: number, capture: "automatic" | "manual" = "automatic") {
  const session = await stripe.checkout.sessions.create(sessionParams(amount, { payment_intent_data: { capture_method: capture } }));
  const answer = await payWithCard(session, "4242424242424242");
  expect(answer.status).toBe(303);
  return expanded(session.id);
}

describe("paying on the hosted page with Stripe's test cards", () => {
  it("4242 succeeds: 303 to success_url with the session id, the session paid, one captured charge", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(4999, { payment_intent_data: { metadata: { payment: "p_1" }, description: "Order #1001" } }));
    const answer = await payWithCard(session, "4242 4242 4242 4242");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`https://app.example/return?session=${session.id}`);
    const paid = await expanded(session.id);
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    expect(intentOf(paid)).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 4999, amount_received: 4999, metadata: { payment: "p_1" }, description: "Order #1001" });
    expect(chargeOf(paid)).toMatchObject({ object: "charge", status: "succeeded", captured: true, amount_captured: 4999, paid: true, outcome: { type: "authorized" } });
    expect(chargeOf(paid).payment_method_details?.card).toMatchObject({ brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 });
    const listed = await stripe.checkout.sessions.list({ payment_intent: intentOf(paid).id });
    expect(listed.data.map((s) => s.id)).toEqual([session.id]);
  });

  it.each([
    ["4000000000000002", "generic_decline", "Your card was declined."],
    ["4000000000009995", "insufficient_funds", "Your card has insufficient funds."],
  ])("%s is declined (%s): the page says why, the session stays open", async (number, declineCode, message) => {
    const session = await stripe.checkout.sessions.create(sessionParams(1500));
    const answer = await payWithCard(session, number);
    expect(answer.status).toBe(402);
    expect(await answer.text()).toContain(message);
    const after = await expanded(session.id);
    expect(after.status).toBe("open");
    expect(intentOf(after)).toMatchObject({ status: "requires_payment_method", last_payment_error: { type: "card_error", code: "card_declined", decline_code: declineCode } });
    expect(chargeOf(after)).toMatchObject({ status: "failed", failure_code: "card_declined", outcome: { type: "issuer_declined", reason: declineCode } });
    // The buyer tries again with a good card: same PaymentIntent, now paid.
    expect((await payWithCard(session, "4242424242424242")).status).toBe(303);
    expect(intentOf(await expanded(session.id))).toMatchObject({ id: intentOf(after).id, status: "succeeded", last_payment_error: null });
  });

  it("refuses a card number Stripe's test mode does not know, without a payment attempt", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(1500));
    const answer = await payWithCard(session, "4111111111111112");
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("Your card number is incorrect.");
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();
  });

  it("4000 0027 6000 3184 asks for 3-D Secure; completing it pays", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(3000));
    const answer = await payWithCard(session, "4000002760003184");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`/c/pay/${session.id}/3ds`);
    expect(intentOf(await expanded(session.id)).status).toBe("requires_action");
    const challenge = await fetch(`${session.url}/3ds`);
    expect(await challenge.text()).toContain("Complete authentication");
    const done = await submitOnPage(session, { result: "complete" }, "/3ds");
    expect(done.headers.get("location")).toBe(`https://app.example/return?session=${session.id}`);
    const paid = await expanded(session.id);
    expect(paid.payment_status).toBe("paid");
    expect(chargeOf(paid).payment_method_details?.card?.three_d_secure).toMatchObject({ result: "authenticated" });
  });

  it("a failed 3-D Secure step leaves the session open with authentication_required", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(3000));
    await payWithCard(session, "4000002760003184");
    const failed = await submitOnPage(session, { result: "fail" }, "/3ds");
    expect(failed.headers.get("location")).toBe(`/c/pay/${session.id}`);
    const after = await expanded(session.id);
    expect(after.status).toBe("open");
    expect(intentOf(after)).toMatchObject({ status: "requires_payment_method", latest_charge: null, last_payment_error: { code: "authentication_required" } });
    expect(await (await fetch(session.url!)).text()).toContain("requires authentication");
  });

  it.each(["succeeded", "failed"] as const)("a delayed bank debit completes the session unpaid, then %s later", async (outcome) => {
    const session = await stripe.checkout.sessions.create(sessionParams(8000));
    const answer = await submitOnPage(session, { method: "bank_debit", outcome: "manual" });
    expect(answer.status).toBe(303);
    const completed = await expanded(session.id);
    expect(completed).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect(intentOf(completed).status).toBe("processing");
    expect(chargeOf(completed)).toMatchObject({ status: "pending", payment_method_details: { type: "sepa_debit" } });
    const settled = await control(sandbox, `payment_intents/${intentOf(completed).id}/settle`, { outcome });
    expect(settled.status).toBe(200);
    const after = await expanded(session.id);
    const events = (await stripe.events.list({ type: "checkout.session.*", limit: 100 })).data.filter((e) => (e.data.object as { id: string }).id === session.id).map((e) => e.type);
    if (outcome === "succeeded") {
      expect(after.payment_status).toBe("paid");
      expect(intentOf(after).status).toBe("succeeded");
      expect(events).toEqual(["checkout.session.async_payment_succeeded", "checkout.session.completed"]);
    } else {
      expect(after.payment_status).toBe("unpaid");
      expect(intentOf(after)).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "insufficient_funds" } });
      expect(events).toEqual(["checkout.session.async_payment_failed", "checkout.session.completed"]);
    }
  });

  it("a delayed bank debit whose outcome the buyer picked settles when the clock passes", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(8000));
    await submitOnPage(session, { method: "bank_debit", outcome: "succeeded" });
    expect(intentOf(await expanded(session.id)).status).toBe("processing");
    await control(sandbox, "advance", { seconds: 61 });
    expect((await expanded(session.id)).payment_status).toBe("paid");
  });
});

describe("payment method types", () => {
  it("offers only what allowed_payment_method_types lets through", async () => {
    const cardOnly = await stripe.checkout.sessions.create(sessionParams(2000, { allowed_payment_method_types: ["card", "ideal"] }));
    expect(cardOnly).toMatchObject({ payment_method_types: ["card"], allowed_payment_method_types: ["card", "ideal"] });
    const cardPage = await (await fetch(cardOnly.url!)).text();
    expect(cardPage).toContain('id="card_number"');
    expect(cardPage).not.toContain("bank_debit");
    expect((await submitOnPage(cardOnly, { method: "bank_debit", outcome: "succeeded" })).status).toBe(400);
    const debitOnly = await stripe.checkout.sessions.create(sessionParams(2000, { excluded_payment_method_types: ["card"] }));
    expect(debitOnly.payment_method_types).toEqual(["sepa_debit"]);
    const debitPage = await (await fetch(debitOnly.url!)).text();
    expect(debitPage).not.toContain('id="card_number"');
    expect(debitPage).toContain("bank_debit");
    expect((await payWithCard(debitOnly, "4242424242424242")).status).toBe(400);
    expect((await stripe.checkout.sessions.retrieve(debitOnly.id)).payment_intent).toBeNull();
  });

  it("offers no delayed method for manual capture, and refuses sepa_debit with it", async () => {
    const manual = await stripe.checkout.sessions.create(sessionParams(2000, { payment_intent_data: { capture_method: "manual" } }));
    expect(manual.payment_method_types).toEqual(["card"]);
    expect(await (await fetch(manual.url!)).text()).not.toContain("bank_debit");
    const onlyDebit = sessionParams(2000, { payment_intent_data: { capture_method: "manual" }, allowed_payment_method_types: ["sepa_debit"] });
    expect(await caught(stripe.checkout.sessions.create(onlyDebit))).toMatchObject({ statusCode: 400, param: "allowed_payment_method_types" });
    // Older API versions' fixed list is still understood (the app may pin one).
    const legacy = { ...sessionParams(2000), payment_method_types: ["sepa_debit"], payment_intent_data: { capture_method: "manual" } } as Stripe.Checkout.SessionCreateParams;
    expect(await caught(stripe.checkout.sessions.create(legacy))).toMatchObject({ statusCode: 400, param: "payment_method_types" });
    const legacyCard = await stripe.checkout.sessions.create({ ...sessionParams(2000), payment_method_types: ["card"] } as Stripe.Checkout.SessionCreateParams);
    expect(legacyCard.payment_method_types).toEqual(["card"]);
  });

  it("refuses test cards on a live session, as Stripe does", async () => {
    const live = stripeClient(sandbox, sandbox.accounts[0]!.liveSecretKey);
    const session = await live.checkout.sessions.create(sessionParams(2000));
    const answer = await payWithCard(session, "4242424242424242");
    expect(answer.status).toBe(402);
    const pi = await live.paymentIntents.retrieve((await live.checkout.sessions.retrieve(session.id)).payment_intent as string);
    expect(pi).toMatchObject({ livemode: true, status: "requires_payment_method", last_payment_error: { decline_code: "test_mode_live_card" } });
  });
});

describe("sessions over time", () => {
  it("expire on request, and then the page says so", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(1500));
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    const page = await fetch(session.url!);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("expired");
    expect(await caught(stripe.checkout.sessions.expire(session.id))).toMatchObject({ statusCode: 400 });
    expect(await payWithCard(session, "4242424242424242").then((r) => r.status)).toBe(410);
  });

  it("expire when the sandbox clock passes expires_at", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(1500, { expires_at: Math.floor(sandbox.store.nowSeconds()) + 1800 }));
    await control(sandbox, "advance", { seconds: 1801 });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    const events = await stripe.events.list({ type: "checkout.session.expired" });
    expect(events.data.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toContain(session.id);
  });
});

describe("manual capture and cancel", () => {
  it("authorizes with a capture deadline, then captures part: the PaymentIntent succeeds and the rest is released", async () => {
    const session = await paidSession(10_000, "manual");
    expect(session.payment_status).toBe("paid");
    const pi = intentOf(session);
    expect(pi).toMatchObject({ status: "requires_capture", amount_capturable: 10_000, amount_received: 0, capture_method: "manual" });
    const card = chargeOf(session).payment_method_details?.card;
    expect(card?.capture_before).toBe(chargeOf(session).created + 7 * 24 * 3600);
    const tooMuch = await caught(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 10_001 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: "amount_too_large", param: "amount_to_capture" });
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6_000 }, { idempotencyKey: `cap-${pi.id}` });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 6_000, amount_capturable: 0 });
    const charge = await stripe.charges.retrieve(chargeOf(session).id);
    expect(charge).toMatchObject({ captured: true, amount_captured: 6_000, amount_refunded: 0 });
    const again = await caught(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1_000 }));
    expect(again).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
  });

  it("cancels an authorization (requires_capture → canceled), and refuses to cancel twice", async () => {
    const session = await paidSession(5_000, "manual");
    const canceled = await stripe.paymentIntents.cancel(intentOf(session).id, { cancellation_reason: "requested_by_customer" });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "requested_by_customer", amount_capturable: 0 });
    expect(canceled.canceled_at).not.toBeNull();
    expect(await caught(stripe.paymentIntents.cancel(canceled.id))).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
    expect(await caught(stripe.paymentIntents.capture(canceled.id))).toMatchObject({ statusCode: 400 });
  });

  it("cancels an authorization left past its capture deadline", async () => {
    const session = await paidSession(5_000, "manual");
    await control(sandbox, "advance", { seconds: 7 * 24 * 3600 + 1 });
    expect(await stripe.paymentIntents.retrieve(intentOf(session).id)).toMatchObject({ status: "canceled", cancellation_reason: "automatic" });
  });
});

describe("refunds", () => {
  it("refunds in parts, several times, never more than was captured", async () => {
    const session = await paidSession(10_000);
    const pi = intentOf(session);
    const first = await stripe.refunds.create({ payment_intent: pi.id, amount: 3_000, metadata: { shopify: "r1" } });
    expect(first).toMatchObject({ object: "refund", status: "succeeded", amount: 3_000, payment_intent: pi.id, charge: chargeOf(session).id, metadata: { shopify: "r1" } });
    await stripe.refunds.create({ charge: chargeOf(session).id, amount: 5_000 });
    const over = await caught(stripe.refunds.create({ payment_intent: pi.id, amount: 2_001 }));
    expect(over).toMatchObject({ statusCode: 400, code: "amount_too_large" });
    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(2_000);
    expect(await stripe.charges.retrieve(chargeOf(session).id)).toMatchObject({ amount_refunded: 10_000, refunded: true });
    expect(await caught(stripe.refunds.create({ payment_intent: pi.id, amount: 1 }))).toMatchObject({ statusCode: 400, code: "charge_already_refunded" });
    expect((await stripe.refunds.list({ payment_intent: pi.id })).data.map((r) => r.amount)).toEqual([2_000, 5_000, 3_000]);
  });

  it("after a partial capture refunds only what was captured", async () => {
    const session = await paidSession(10_000, "manual");
    await stripe.paymentIntents.capture(intentOf(session).id, { amount_to_capture: 4_000 });
    expect(await caught(stripe.refunds.create({ payment_intent: intentOf(session).id, amount: 4_001 }))).toMatchObject({ code: "amount_too_large" });
    expect((await stripe.refunds.create({ payment_intent: intentOf(session).id })).amount).toBe(4_000);
  });

  it("refuses a refund without payment_intent or charge, and an unknown PaymentIntent", async () => {
    expect(await caught(stripe.refunds.create({ amount: 100 }))).toMatchObject({ statusCode: 400, code: "parameter_missing" });
    expect(await caught(stripe.refunds.create({ payment_intent: "pi_doesnotexist" }))).toMatchObject({ statusCode: 404, code: "resource_missing", param: "payment_intent" });
    expect(await caught(stripe.refunds.create({ payment_intent: "pi_x", amount: 0 }))).toMatchObject({ statusCode: 400, param: "amount" });
  });

  it("a held refund stays pending, then succeeds or fails when the sandbox says", async () => {
    const session = await paidSession(10_000);
    const pi = intentOf(session);
    await control(sandbox, "refunds/hold", { count: 2 });
    const toSucceed = await stripe.refunds.create({ payment_intent: pi.id, amount: 1_000 });
    const toFail = await stripe.refunds.create({ payment_intent: pi.id, amount: 2_000 });
    expect([toSucceed.status, toFail.status]).toEqual(["pending", "pending"]);
    expect((await stripe.charges.retrieve(chargeOf(session).id)).amount_refunded).toBe(3_000);
    await control(sandbox, `refunds/${toSucceed.id}/settle`, { outcome: "succeeded" });
    await control(sandbox, `refunds/${toFail.id}/settle`, { outcome: "failed" });
    expect((await stripe.refunds.retrieve(toSucceed.id)).status).toBe("succeeded");
    expect(await stripe.refunds.retrieve(toFail.id)).toMatchObject({ status: "failed", failure_reason: "declined" });
    // A failed refund gives its amount back to what can be refunded.
    expect((await stripe.charges.retrieve(chargeOf(session).id)).amount_refunded).toBe(1_000);
    const types = (await stripe.events.list({ limit: 100 })).data.filter((e) => (e.data.object as { id: string }).id === toFail.id).map((e) => e.type);
    expect(types).toEqual(["charge.refund.updated", "refund.updated", "refund.failed", "refund.created"]);
    expect(await control(sandbox, `refunds/${toFail.id}/settle`, { outcome: "succeeded" })).toMatchObject({ status: 400 });
  });

  it("a held refund with a time settles when the clock passes it", async () => {
    const session = await paidSession(10_000);
    await control(sandbox, "refunds/hold", { count: 1, outcome: "succeeded", afterSeconds: 3600 });
    const refund = await stripe.refunds.create({ payment_intent: intentOf(session).id, amount: 500 });
    expect(refund.status).toBe("pending");
    await control(sandbox, "advance", { seconds: 3601 });
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe("succeeded");
  });
});
