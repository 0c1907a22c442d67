import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startStripeSandbox, type StripeSandbox } from "./server";
import type { Delivery } from "./webhooks";
import { control, eventually, payWithCard, sessionParams, stripeClient } from "./test-client";

interface Received {
  body: string;
  signature: string;
  eventId: string;
  type: string;
}

/** A webhook receiver on loopback; `answers` decides each request's status (default 200). */
async function startReceiver(answers: (n: number) => number = () => 200) {
  const received: Received[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const parsed = JSON.parse(body) as { id: string; type: string };
      received.push({ body, signature: String(req.headers["stripe-signature"] ?? ""), eventId: parsed.id, type: parsed.type });
      res.writeHead(answers(count++)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let sandbox: StripeSandbox;
let stripe: Stripe;

beforeEach(async () => {
  sandbox = await startStripeSandbox({ webhookRetryDelaysMs: [20, 40, 80] });
  stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
});
afterEach(() => sandbox.close());

const deliveries = async () => ((await control(sandbox, "deliveries")).body as { data: Delivery[] }).data;

async function paySession(amount = 2000) {
  const session = await stripe.checkout.sessions.create(sessionParams(amount));
  expect((await payWithCard(session, "4242424242424242")).status).toBe(303);
  return session;
}

describe("webhook endpoints", () => {
  it("show the signing secret only in the answer to the create call", async () => {
    const created = await stripe.webhookEndpoints.create({ url: "https://app.example/providers/stripe/webhooks", enabled_events: ["checkout.session.completed"] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ object: "webhook_endpoint", status: "enabled", enabled_events: ["checkout.session.completed"], livemode: false });
    expect((await stripe.webhookEndpoints.retrieve(created.id)).secret).toBeUndefined();
    const listed = await stripe.webhookEndpoints.list();
    expect(listed.data.map((w) => [w.id, w.secret])).toEqual([[created.id, undefined]]);
    expect(await stripe.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
  });

  it("refuse a URL that is not http(s) and an event type that is not one", async () => {
    await expect(stripe.webhookEndpoints.create({ url: "ftp://x", enabled_events: ["*"] })).rejects.toMatchObject({ statusCode: 400, param: "url" });
    await expect(stripe.webhookEndpoints.create({ url: "https://x.example", enabled_events: ["nonsense" as "*"] })).rejects.toMatchObject({ statusCode: 400, param: "enabled_events[0]" });
  });
});

describe("signed webhook delivery", () => {
  it("sends each event an endpoint takes, signed so that the SDK's constructEvent accepts it", async () => {
    const receiver = await startReceiver();
    try {
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["checkout.session.completed", "payment_intent.succeeded"] });
      const session = await paySession();
      await eventually(() => receiver.received.length >= 2, "two deliveries");
      expect(receiver.received.map((r) => r.type).sort()).toEqual(["checkout.session.completed", "payment_intent.succeeded"]);
      const completed = receiver.received.find((r) => r.type === "checkout.session.completed")!;
      expect(completed.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const event = stripe.webhooks.constructEvent(completed.body, completed.signature, endpoint.secret!, 300);
      expect(event.type).toBe("checkout.session.completed");
      expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
      expect((event.data.object as Stripe.Checkout.Session).payment_status).toBe("paid");
      expect(() => stripe.webhooks.constructEvent(completed.body, completed.signature, "whsec_wrong")).toThrow(Stripe.errors.StripeSignatureVerificationError);
      expect(() => stripe.webhooks.constructEvent(completed.body.replace("paid", "unpaid"), completed.signature, endpoint.secret!)).toThrow(Stripe.errors.StripeSignatureVerificationError);
      // The event is also readable through the API, as it was sent.
      expect((await stripe.events.retrieve(completed.eventId)).type).toBe("checkout.session.completed");
      await eventually(async () => (await stripe.events.retrieve(completed.eventId)).pending_webhooks === 0, "pending_webhooks to reach 0");
    } finally {
      await receiver.close();
    }
  });

  it("sends every event to an endpoint with '*', and nothing to a deleted one", async () => {
    const all = await startReceiver();
    const gone = await startReceiver();
    try {
      await stripe.webhookEndpoints.create({ url: all.url, enabled_events: ["*"] });
      const deleted = await stripe.webhookEndpoints.create({ url: gone.url, enabled_events: ["*"] });
      await stripe.webhookEndpoints.del(deleted.id);
      await paySession();
      await eventually(() => all.received.some((r) => r.type === "checkout.session.completed"), "the completed event");
      expect(all.received.map((r) => r.type)).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"]);
      expect(gone.received).toEqual([]);
    } finally {
      await all.close();
      await gone.close();
    }
  });

  it("retries with backoff while the endpoint answers non-2xx, with the same event id and body", async () => {
    const receiver = await startReceiver((n) => (n < 2 ? 500 : 200));
    try {
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["checkout.session.completed"] });
      await paySession();
      await eventually(() => receiver.received.length >= 3, "three attempts");
      expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
      expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
      const [delivery] = await eventually(async () => {
        const list = await deliveries();
        return list[0]?.state === "delivered" ? list : null;
      }, "the delivery to be recorded as delivered");
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    } finally {
      await receiver.close();
    }
  });

  it("retries on a connection error and gives up after the last retry", async () => {
    const receiver = await startReceiver();
    await receiver.close(); // nothing listens there any more
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["checkout.session.completed"] });
    await paySession();
    const [delivery] = await eventually(async () => {
      const list = await deliveries();
      return list[0]?.state === "failed" ? list : null;
    }, "the delivery to fail");
    expect(delivery!.attempts).toHaveLength(4);
    expect(delivery!.attempts.every((a) => a.status === null && a.error)).toBe(true);
  });
});

describe("disorder on demand", () => {
  it("duplicates the next delivery: the same event arrives twice", async () => {
    const receiver = await startReceiver();
    try {
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["checkout.session.completed"] });
      expect((await control(sandbox, "webhooks/duplicate", { count: 1 })).status).toBe(200);
      await paySession();
      await eventually(() => receiver.received.length >= 2, "two deliveries");
      expect(receiver.received[0]!.eventId).toBe(receiver.received[1]!.eventId);
      expect((await deliveries()).map((d) => d.duplicate)).toEqual([false, true]);
    } finally {
      await receiver.close();
    }
  });

  it("holds deliveries and releases them newest first", async () => {
    const receiver = await startReceiver();
    try {
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
      await control(sandbox, "webhooks/hold", {});
      await paySession();
      const happened = (await stripe.events.list({ limit: 10 })).data.map((e) => e.id).reverse();
      expect((await deliveries()).every((d) => d.state === "held")).toBe(true);
      expect(receiver.received).toEqual([]);
      expect((await control(sandbox, "webhooks/release", {})).body).toEqual({ released: 4 });
      await eventually(() => receiver.received.length >= 4, "four deliveries");
      // Sent in reverse order; each arrives on its own connection, so compare as sent.
      const sent = (await deliveries()).map((d) => d.eventId);
      expect(sent).toEqual(happened);
      expect(receiver.received.map((r) => r.eventId).sort()).toEqual([...happened].sort());
    } finally {
      await receiver.close();
    }
  });

  it("drops the next delivery: never sent, still listed by the events API", async () => {
    const receiver = await startReceiver();
    try {
      await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["checkout.session.completed", "payment_intent.succeeded"] });
      await control(sandbox, "webhooks/drop", { count: 1 });
      await paySession();
      await eventually(() => receiver.received.length >= 1, "one delivery");
      const list = await eventually(async () => {
        const all = await deliveries();
        return all[1]?.state === "delivered" ? all : null;
      }, "the second delivery to be delivered");
      expect(list.map((d) => [d.eventType, d.state])).toEqual([
        ["payment_intent.succeeded", "dropped"],
        ["checkout.session.completed", "delivered"],
      ]);
      expect(receiver.received.map((r) => r.type)).toEqual(["checkout.session.completed"]);
      expect((await stripe.events.list({ type: "payment_intent.succeeded" })).data).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
