import { randomBytes } from "node:crypto";

/** The spec's example address (§3.2): every field present, as a checkout with a full address sends it. */
const FULL_ADDRESS = {
  given_name: "Alice", family_name: "Smith", line1: "123 Street", line2: "Suite B", city: "Montreal", postal_code: "H2Z 0B3",
  province: "Quebec", province_code: "QC", country_code: "CA", phone_number: "5555555555", company: "",
};

/**
 * Which customer the body carries: "billing" (the benchmarks' default since issue 14 began:
 * a billing address of six fields) or "spec" (the spec's example: billing and shipping
 * addresses with every field, the most a receipt encrypts).
 */
export type BenchCustomer = "billing" | "spec";

/** A payment session request body (spec §3.2) with unique ids and a customer, as the inbound benchmarks send it. */
export function paymentBody(customer: BenchCustomer = "billing"): string {
  const id = randomBytes(18).toString("base64url");
  return JSON.stringify({
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: randomBytes(24).toString("base64"),
    session_id: randomBytes(24).toString("base64"),
    amount: "123.00",
    currency: "CAD",
    test: true,
    merchant_locale: "en",
    payment_method: { type: "offsite", data: { cancel_url: "https://bench-1.myshopify.com/checkouts/c/abc" } },
    proposed_at: "2026-11-29T08:00:00Z",
    customer: {
      email: "buyer@example.com",
      phone_number: "5555555555",
      locale: "fr",
      ...(customer === "spec"
        ? { billing_address: FULL_ADDRESS, shipping_address: FULL_ADDRESS }
        : { billing_address: { given_name: "Alice", family_name: "Smith", line1: "123 Street", city: "Montreal", postal_code: "H2Z 0B3", province_code: "QC", country_code: "CA" } }),
    },
    kind: "sale",
  });
}
