import { buyerSearchDigests } from "../../privacy/buyer-search.server";
import { sealAddress, type CustomerAddress, type SealedAddress } from "../../privacy/customer-data.server";
import { emailLookup, encryptOptionalPii, keyedDigest, phoneLookup, type PiiKeyring } from "../../privacy/pii-crypto.server";
import type { SessionRequestMeta } from "./session-request-schemas";
import { replayOnce, type Received } from "./idempotency.server";
import type { PaymentReceiptStore, StoredPayment } from "./payment-receipt-store.server";
import { requestFingerprint } from "./request-fingerprint";
import type { PaymentSessionRequest } from "./session-request-schemas";

type Address = NonNullable<NonNullable<PaymentSessionRequest["customer"]>["billing_address"]>;

/**
 * Records a payment session request once (spec §3.2, §4.1). A retry returns the
 * stored session, so the buyer link in the answer is the same every time; the
 * same id with another payload is a 409 and changes nothing. The receipt is
 * written first and the stored one read only when the write found it there
 * (decision 0018: most requests are new, and a look-up first cost every one of
 * them a read, a round trip on PostgreSQL). Copies, concurrent or not, are settled
 * by the (shop, Shopify id) unique constraint: a copy's insert writes nothing,
 * and it answers with the stored row.
 */
export async function receivePaymentSession(
  store: PaymentReceiptStore,
  keyring: PiiKeyring,
  meta: SessionRequestMeta,
  body: PaymentSessionRequest,
): Promise<Received<StoredPayment>> {
  const { money: _money, customer, client_details: clientDetails, ...fingerprinted } = body;
  // The customer enters the fingerprint as a keyed digest: every other field of the
  // body is stored in clear, so a plain hash would let anyone holding the database
  // test guesses of a buyer's email against it, even after customers/redact.
  // The buyer's browser details (card payments) likewise: an IP address is guessable.
  // The encrypted card is left out: a resend may encrypt it again (new ephemeral
  // key, other ciphertext) and is still the same request.
  const requestHash = requestFingerprint({
    ...fingerprinted,
    payment_method: fingerprinted.payment_method.type === "credit_card" ? { type: "credit_card", moto: fingerprinted.payment_method.data.moto ?? false } : fingerprinted.payment_method,
    customer: customer ? keyedDigest(keyring, requestFingerprint(customer)) : null,
    ...(clientDetails ? { client_details: keyedDigest(keyring, requestFingerprint(clientDetails)) } : {}),
  });
  const created = await store.insert(
    {
      shop: meta.shop,
      shopifyId: body.id,
      gid: body.gid,
      group: body.group,
      sessionId: body.session_id ?? null,
      amountMinor: body.money.minor,
      amount: body.amount,
      currency: body.currency,
      test: body.test,
      merchantLocale: body.merchant_locale,
      kind: body.kind === "sale" ? "SALE" : "AUTHORIZATION",
      paymentMethodType: body.payment_method.type,
      // A card buyer never leaves Shopify's checkout: there is no way back to keep.
      cancelUrl: body.payment_method.type === "offsite" ? (body.payment_method.data?.cancel_url ?? body.cancel_url ?? "") : "",
      proposedAt: body.proposed_at,
      // Encrypted at rest (decision 0006); read back with getPaymentCustomer().
      customerEmail: encryptOptionalPii(keyring, "PaymentSession.customerEmail", body.customer?.email),
      customerPhoneNumber: encryptOptionalPii(keyring, "PaymentSession.customerPhoneNumber", body.customer?.phone_number),
      customerEmailLookup: emailLookup(keyring, body.customer?.email),
      customerPhoneLookup: phoneLookup(keyring, body.customer?.phone_number),
      // The buyer's language, not a personal identifier: kept in clear for the buyer page.
      customerLocale: body.customer?.locale ?? null,
      shopifyApiVersion: meta.apiVersion,
      shopifyRequestId: meta.requestId,
      requestHash,
    },
    // Each address sealed as one value (decision 0019).
    addressRows(keyring, body.customer),
    // The blind index of the buyer's names, for the admin's search (decision 0016).
    customer ? buyerSearchDigests(keyring, meta.shop, [customer.billing_address, customer.shipping_address].map((address) => ({ givenName: address?.given_name, familyName: address?.family_name }))) : [],
  );
  if (created) return { row: created, replayed: false };
  const stored = await store.find(meta.shop, body.id);
  if (!stored) throw new Error("payment session neither inserted nor found");
  return replay(store, meta, body.id, stored, requestHash);
}

function replay(store: PaymentReceiptStore, meta: SessionRequestMeta, shopifyId: string, row: StoredPayment, requestHash: string): Promise<Received<StoredPayment>> {
  return replayOnce(row, requestHash, (conflict) => store.recordReplay({ shop: meta.shop, shopifyId, shopifyRequestId: meta.requestId, conflict }));
}

function addressRows(keyring: PiiKeyring, customer: PaymentSessionRequest["customer"]): SealedAddress[] {
  if (!customer) return [];
  const rows = [sealAddress(keyring, customerAddress("BILLING", customer.billing_address))];
  if (customer.shipping_address) rows.push(sealAddress(keyring, customerAddress("SHIPPING", customer.shipping_address)));
  return rows;
}

function customerAddress(role: "BILLING" | "SHIPPING", address: Address): CustomerAddress {
  return {
    role,
    givenName: address.given_name ?? null,
    familyName: address.family_name,
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    postalCode: address.postal_code ?? null,
    province: address.province ?? null,
    provinceCode: address.province_code ?? null,
    // The country alone identifies no one; kept in clear for reports.
    countryCode: address.country_code,
    phoneNumber: address.phone_number ?? null,
    company: address.company ?? null,
  };
}
