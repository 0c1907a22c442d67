import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HttpError } from "../../http/http-error";
import { signatureMatches, verifyWebhook } from "./webhook-signature.server";

const SECRET = "webhook-signature-test-secret";
const sign = (raw: string, secret = SECRET) => createHmac("sha256", secret).update(raw, "utf8").digest("base64");

function webhook(raw: string, headers: Record<string, string | null> = {}) {
  const all: Record<string, string | null> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "shop/redact",
    "X-Shopify-Shop-Domain": "signed.myshopify.com",
    "X-Shopify-API-Version": "2026-04",
    "X-Shopify-Webhook-Id": "w-1",
    "X-Shopify-Triggered-At": "2026-12-01T10:00:00.123456789Z",
    "X-Shopify-Hmac-Sha256": sign(raw),
    ...headers,
  };
  const present = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null));
  return new Request("http://app.test/webhooks", { method: "POST", headers: present, body: raw });
}

async function refusal(request: Request): Promise<{ status: number; fields: string[] }> {
  try {
    await verifyWebhook(request, SECRET);
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, fields: error.problems.map((p) => p.field) };
    throw error;
  }
  throw new Error("the webhook was accepted");
}

describe("a webhook's signature and headers, verified by the app", () => {
  const raw = JSON.stringify({ shop_id: 1, shop_domain: "signed.myshopify.com" });

  it("accepts Shopify's signature and reads the headers, with the trigger time as a time", async () => {
    const verified = await verifyWebhook(webhook(raw), SECRET);
    expect(verified).toMatchObject({ shop: "signed.myshopify.com", topic: "SHOP_REDACT", topicName: "shop/redact", webhookId: "w-1", apiVersion: "2026-04", payload: { shop_id: 1 } });
    expect(verified.triggeredAt?.toISOString()).toBe("2026-12-01T10:00:00.123Z");
  });

  it("refuses a missing, wrong, truncated or non-base64 signature with 401 before reading anything else", async () => {
    for (const signature of [null, sign(raw, "another-secret"), sign(raw).slice(0, 20), "not base64 at all!!", `${sign(raw)}=`]) {
      expect(await refusal(webhook(raw, { "X-Shopify-Hmac-Sha256": signature, "X-Shopify-Shop-Domain": null }))).toEqual({ status: 401, fields: ["X-Shopify-Hmac-Sha256"] });
    }
  });

  it("compares digests of the same length only (the comparison itself is constant-time)", () => {
    const body = Buffer.from(raw);
    expect(signatureMatches(body, sign(raw), SECRET)).toBe(true);
    expect(signatureMatches(body, Buffer.alloc(16).toString("base64"), SECRET)).toBe(false);
    expect(signatureMatches(Buffer.from(`${raw} `), sign(raw), SECRET)).toBe(false);
  });

  it("answers a signed webhook whose shop header is not a *.myshopify.com domain with 400", async () => {
    for (const shop of ["evil.example.com", "Signed.myshopify.com", "signed.myshopify.com.evil.test", "-x.myshopify.com", "a b.myshopify.com"]) {
      expect(await refusal(webhook(raw, { "X-Shopify-Shop-Domain": shop })), shop).toEqual({ status: 400, fields: ["X-Shopify-Shop-Domain"] });
    }
  });

  it("names each missing header, and refuses a trigger time that is not one", async () => {
    expect(await refusal(webhook(raw, { "X-Shopify-Topic": null, "X-Shopify-Webhook-Id": null }))).toEqual({ status: 400, fields: ["X-Shopify-Topic", "X-Shopify-Webhook-Id"] });
    for (const at of ["yesterday", "2026-12-01", "2026-13-01T10:00:00Z", "1764583200"]) {
      expect(await refusal(webhook(raw, { "X-Shopify-Triggered-At": at })), at).toEqual({ status: 400, fields: ["X-Shopify-Triggered-At"] });
    }
  });

  it("requires X-Shopify-Triggered-At (Shopify always sends it; without it a replay could not be told from a new event) and refuses one in the future", async () => {
    expect(await refusal(webhook(raw, { "X-Shopify-Triggered-At": null }))).toEqual({ status: 400, fields: ["X-Shopify-Triggered-At"] });
    const now = new Date("2026-12-01T10:00:00Z");
    for (const at of ["2026-12-01T10:05:01Z", "2999-01-01T00:00:00Z"]) {
      const error = await verifyWebhook(webhook(raw, { "X-Shopify-Triggered-At": at }), SECRET, now).catch((e: unknown) => e);
      expect(error, at).toBeInstanceOf(HttpError);
      expect((error as HttpError).problems, at).toEqual([{ field: "X-Shopify-Triggered-At", message: "must not be in the future" }]);
    }
    // Within the clock skew allowed, it is read as given.
    expect((await verifyWebhook(webhook(raw, { "X-Shopify-Triggered-At": "2026-12-01T10:04:59Z" }), SECRET, now)).triggeredAt.toISOString()).toBe("2026-12-01T10:04:59.000Z");
  });

  it("refuses a topic not written as Shopify writes topics (lowercase) with 400", async () => {
    for (const topic of ["SHOP/REDACT", "Shop/Redact", "shop/redact, shop/redact", "shop//redact", "/shop/redact"]) {
      expect(await refusal(webhook(raw, { "X-Shopify-Topic": topic })), topic).toEqual({ status: 400, fields: ["X-Shopify-Topic"] });
    }
  });

  it("refuses a signed body with a key twice in one object with 400 (readers disagree on which one counts)", async () => {
    const twice = '{"shop_id":1,"shop_domain":"other.myshopify.com","shop_domain":"signed.myshopify.com"}';
    expect(await refusal(webhook(twice, { "X-Shopify-Hmac-Sha256": sign(twice) }))).toEqual({ status: 400, fields: ["body"] });
  });

  it("refuses a signed body that is not JSON with 400", async () => {
    expect(await refusal(webhook("{not json", { "X-Shopify-Hmac-Sha256": sign("{not json") }))).toEqual({ status: 400, fields: ["body"] });
  });
});
