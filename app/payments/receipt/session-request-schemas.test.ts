import { describe, expect, it } from "vitest";
import { paymentSessionRequestSchema, paymentShopifyIdOfGid } from "./session-request-schemas";

// A credit card payment session as Shopify really sends it (spec §3.3): no
// session_id, no cancel_url, a regional locale, the card encrypted.
const cardBody = () => ({
  id: "u0nwmSrNntjIWozmNslK5Tlq",
  gid: "gid://shopify/PaymentSession/u0nwmSrNntjIWozmNslK5Tlq",
  group: "rZNCfMFOTW4UxmWTm5HHf4vWGMf3C3bHiTF3j8HkvMY=",
  amount: "42.50",
  currency: "USD",
  test: true,
  merchant_locale: "en-US",
  payment_method: {
    type: "credit_card",
    data: {
      encrypted_message: "c2VjcmV0",
      ephemeral_public_key: "-----BEGIN PUBLIC KEY-----\nMFk=\n-----END PUBLIC KEY-----\n",
      tag: "dGFn",
      moto: false,
    },
  },
  proposed_at: "2026-05-01T12:00:00Z",
  kind: "authorization",
  client_details: { ip_address: "203.0.113.7", user_agent: "Mozilla/5.0", accept_language: "en-US" },
});

const problemsOf = (body: unknown) => {
  const parsed = paymentSessionRequestSchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."));
};

describe("credit card payment session requests", () => {
  it("accepts Shopify's body without session_id or cancel_url, with locale en-US and client_details", () => {
    const parsed = paymentSessionRequestSchema.parse(cardBody());
    expect(parsed.payment_method).toMatchObject({ type: "credit_card", data: { tag: "dGFn", moto: false } });
    expect(parsed.money.minor).toBe(4250n);
    expect(parsed.client_details?.ip_address).toBe("203.0.113.7");
  });

  it("accepts a body without fingerprint, moto or client_details (older API versions)", () => {
    const body = cardBody() as Record<string, unknown>;
    delete body.client_details;
    body.payment_method = { type: "credit_card", data: { encrypted_message: "c2VjcmV0", ephemeral_public_key: "k", tag: "dGFn" } };
    expect(problemsOf(body)).toEqual([]);
  });

  it("refuses a card without its encrypted message, key or tag, naming the field", () => {
    for (const field of ["encrypted_message", "ephemeral_public_key", "tag"]) {
      const body = cardBody();
      delete (body.payment_method.data as Record<string, unknown>)[field];
      expect(problemsOf(body)).toEqual([`payment_method.data.${field}`]);
    }
  });

  it("refuses an unknown payment method type", () => {
    expect(problemsOf({ ...cardBody(), payment_method: { type: "alternative", data: {} } })).toEqual(["payment_method.type"]);
  });

  it("still requires a cancel_url of offsite payments", () => {
    expect(problemsOf({ ...cardBody(), payment_method: { type: "offsite", data: {} } })).toEqual(["payment_method.data.cancel_url"]);
  });
});

describe("the Shopify id a payment session's gid names", () => {
  it("is the gid's last part, for a payment session's gid only", () => {
    expect(paymentShopifyIdOfGid("gid://shopify/PaymentSession/rXyz123")).toBe("rXyz123");
    expect(paymentShopifyIdOfGid("gid://shopify/RefundSession/rXyz123")).toBeNull();
    expect(paymentShopifyIdOfGid("gid://shopify/PaymentSession/")).toBeNull();
    expect(paymentShopifyIdOfGid("rXyz123")).toBeNull();
  });
});
