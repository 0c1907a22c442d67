import { readFileSync } from "node:fs";
import type Stripe from "stripe";
import { startStripeSandbox, type StripeSandbox } from "./server";
import { payWithCard, sessionParams, stripeClient } from "./test-client";

/**
 * Stripe's own example of each object (stripe-examples.json: the seven resources the sandbox
 * serves, taken from stripe/openapi's fixtures3.json, MIT License, Copyright (c) 2011- Stripe, Inc.).
 * Every field Stripe's example has, the sandbox's object has too; tsc checks the types (objects.ts).
 */
const examples = JSON.parse(readFileSync(new URL("./stripe-examples.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;

let sandbox: StripeSandbox;
let stripe: Stripe;
beforeAll(async () => {
  sandbox = await startStripeSandbox();
  stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
});
afterAll(() => sandbox.close());

const fieldsOf = (object: object) => Object.keys(object).filter((key) => key !== "lastResponse");

describe("objects shaped like Stripe's own examples", () => {
  it("has every field of Stripe's example session, PaymentIntent, charge, card, refund, event, endpoint and account", async () => {
    const created = await stripe.checkout.sessions.create(sessionParams(2000, { payment_intent_data: { capture_method: "manual" } }));
    await payWithCard(created, "4242424242424242");
    const session = await stripe.checkout.sessions.retrieve(created.id);
    const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    await stripe.paymentIntents.capture(intent.id);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 500 });
    const endpoint = await stripe.webhookEndpoints.create({ url: "https://app.example/webhooks", enabled_events: ["*"] });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    const account = await stripe.accounts.retrieveCurrent();
    const ours: Record<string, object> = { "checkout.session": session, payment_intent: intent, charge, refund, event: event!, webhook_endpoint: endpoint, account };
    for (const [name, object] of Object.entries(ours)) {
      const example = examples[name]!;
      expect({ name, missing: Object.keys(example).filter((key) => !fieldsOf(object).includes(key)) }).toEqual({ name, missing: [] });
      expect((object as { object: string }).object).toBe(example.object);
    }
    const exampleCard = (examples.charge!.payment_method_details as { card: object }).card;
    const card = charge.payment_method_details!.card!;
    expect(Object.keys(exampleCard).filter((key) => !Object.keys(card).includes(key))).toEqual([]);
    expect(card.capture_before).toBeGreaterThan(charge.created);
  });

  it("uses Stripe's id prefixes and seconds for times", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(2000));
    await payWithCard(session, "4242424242424242");
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(done.id).toMatch(/^cs_test_/);
    expect(intent.id).toMatch(/^pi_/);
    expect((intent.latest_charge as Stripe.Charge).id).toMatch(/^ch_/);
    expect((await stripe.refunds.create({ payment_intent: intent.id })).id).toMatch(/^re_/);
    expect((await stripe.events.list({ limit: 1 })).data[0]!.id).toMatch(/^evt_/);
    expect((await stripe.accounts.retrieveCurrent()).id).toMatch(/^acct_/);
    expect(Math.abs(done.created - Date.now() / 1000)).toBeLessThan(120);
  });
});
