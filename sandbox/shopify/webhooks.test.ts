import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookSender } from "./webhooks";

/** A stand-in app that records what it receives and answers with the statuses it is told. */
let received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answers: number[] = [];
let url = "";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(answers.shift() ?? 200, { "Content-Type": "application/json" }).end("{}");
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const SECRET = "sandbox-secret-0123456789";
const sender = () => createWebhookSender({ appUrl: url, apiSecret: SECRET, shop: "sender.myshopify.com", retryDelayMs: 1 });

describe("the sandbox's webhooks, as Shopify sends them", () => {
  it("POSTs the topic's JSON body to /webhooks, signed with the app's secret, with Shopify's headers", async () => {
    received = [];
    const sent = await sender().send("customers/redact", { email: "a@example.com", phone: "555-625-1199" });
    const [request] = received;
    expect(sent).toMatchObject({ status: 200, attempts: 1, signature: "valid" });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "customers/redact",
      "x-shopify-shop-domain": "sender.myshopify.com",
      "x-shopify-api-version": "2026-04",
      "x-shopify-webhook-id": sent.webhookId,
      "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(request?.body ?? "").digest("base64"),
    });
    expect(Date.parse(String(request?.headers["x-shopify-triggered-at"]))).not.toBeNaN();
    expect(JSON.parse(request?.body ?? "{}")).toMatchObject({ shop_domain: "sender.myshopify.com", customer: { email: "a@example.com", phone: "555-625-1199" }, orders_to_redact: [] });
  });

  it("retries a non-2xx answer with the same body and webhook id", async () => {
    received = [];
    answers = [500, 503];
    const sent = await sender().send("shop/redact");
    expect(sent).toMatchObject({ status: 200, attempts: 3 });
    expect(new Set(received.map((r) => r.headers["x-shopify-webhook-id"]))).toEqual(new Set([sent.webhookId]));
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });

  it("can sign wrongly or not at all, to try the app's refusal", async () => {
    received = [];
    answers = [401, 401, 401, 401, 401, 401];
    await sender().send("app/uninstalled", {}, { signature: "wrong" });
    await sender().send("app/uninstalled", {}, { signature: "missing" });
    expect(received[0]?.headers["x-shopify-hmac-sha256"]).not.toBe(createHmac("sha256", SECRET).update(received[0]?.body ?? "").digest("base64"));
    expect(received.at(-1)?.headers["x-shopify-hmac-sha256"]).toBeUndefined();
    answers = [];
  });
});
