import { randomBytes } from "node:crypto";

/**
 * Session requests shaped the way Shopify sends them (spec §3.2, §3.5–3.7), with
 * fresh ids, so each test states only what it is about.
 */
export const SHOP = "demo-shop.myshopify.com";

export function newId(): string {
  return randomBytes(18).toString("base64url").slice(0, 24);
}

export function shopifyHeaders(shop = SHOP, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "Shopify-Shop-Domain": shop,
    "Shopify-Request-Id": crypto.randomUUID(),
    "Shopify-Api-Version": "2026-04",
    ...extra,
  };
}

const address = {
  given_name: "Alice",
  family_name: "Smith",
  line1: "123 Street",
  line2: "Suite B",
  city: "Montreal",
  postal_code: "H2Z 0B3",
  province: "Quebec",
  province_code: "QC",
  country_code: "CA",
  phone_number: "5555555555",
  company: "",
};

export function paymentBody(overrides: Record<string, unknown> = {}) {
  const id = (overrides.id as string | undefined) ?? newId();
  return {
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: randomBytes(32).toString("base64"),
    session_id: randomBytes(32).toString("base64"),
    amount: "123.00",
    currency: "CAD",
    test: true,
    merchant_locale: "en",
    payment_method: { type: "offsite", data: { cancel_url: "https://demo-shop.myshopify.com/checkouts/c/abc" } },
    proposed_at: "2026-11-29T08:00:00Z",
    customer: {
      email: "buyer@example.com",
      phone_number: "5555555555",
      locale: "fr",
      billing_address: address,
      shipping_address: address,
    },
    kind: "sale",
    ...overrides,
  };
}

type FollowUpType = "RefundSession" | "CaptureSession" | "VoidSession";

export function followUpBody(type: FollowUpType, paymentId: string, overrides: Record<string, unknown> = {}) {
  const id = (overrides.id as string | undefined) ?? newId();
  const money = type === "VoidSession" ? {} : { amount: "10.00", currency: "CAD" };
  return {
    id,
    gid: `gid://shopify/${type}/${id}`,
    payment_id: paymentId,
    ...money,
    test: true,
    merchant_locale: "en",
    proposed_at: "2026-11-29T09:00:00Z",
    ...overrides,
  };
}

export async function post(baseUrl: string, path: string, body: unknown, headers = shopifyHeaders()) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  // Tests read whatever the endpoint answered; the assertions are the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: json as any, text };
}
