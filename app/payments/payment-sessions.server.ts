import type { PaymentSession, Prisma } from "@prisma/client";
import type { Db } from "../db.server";
import { getPiiKeyring } from "../privacy/keyring.server";
import { emailLookup, encryptOptionalPii, encryptPii, keyedDigest, phoneLookup, type PiiKeyring } from "../privacy/pii-crypto.server";
import type { SessionRequestMeta } from "../shopify/session-request-meta";
import { receiveOnce, type Received } from "./idempotency.server";
import { requestFingerprint } from "./request-fingerprint";
import { ensureShop } from "./shops.server";
import type { PaymentSessionRequest } from "./session-request-schemas";

type Address = NonNullable<NonNullable<PaymentSessionRequest["customer"]>["billing_address"]>;

/**
 * Records a payment session request once (spec §3.2, §4.1). A retry returns the
 * stored session, so the buyer link in the answer is the same every time.
 */
export function receivePaymentSession(
  db: Db,
  meta: SessionRequestMeta,
  body: PaymentSessionRequest,
): Promise<Received<PaymentSession>> {
  const { money: _money, customer, ...fingerprinted } = body;
  const key = { shop_shopifyId: { shop: meta.shop, shopifyId: body.id } };
  const keyring = getPiiKeyring();
  // The customer enters the fingerprint as a keyed digest: every other field of the
  // body is stored in clear, so a plain hash would let anyone holding the database
  // test guesses of a buyer's email against it, even after customers/redact.
  const requestHash = requestFingerprint({ ...fingerprinted, customer: customer ? keyedDigest(keyring, requestFingerprint(customer)) : null });
  return receiveOnce({
    db,
    requestHash,
    find: (client) => client.paymentSession.findUnique({ where: key }),
    repeat: { shop: meta.shop, kind: "PAYMENT", shopifyId: body.id, shopifyRequestId: meta.requestId },
    create: async (tx) => {
      await ensureShop(tx, meta.shop);
      return tx.paymentSession.create({
        data: {
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
          cancelUrl: body.payment_method.data?.cancel_url ?? body.cancel_url ?? "",
          proposedAt: body.proposed_at,
          // Encrypted at rest (decision 0006); read back with getPaymentCustomer().
          customerEmail: encryptOptionalPii(keyring, "PaymentSession.customerEmail", body.customer?.email),
          customerPhoneNumber: encryptOptionalPii(keyring, "PaymentSession.customerPhoneNumber", body.customer?.phone_number),
          customerEmailLookup: emailLookup(keyring, body.customer?.email),
          customerPhoneLookup: phoneLookup(keyring, body.customer?.phone_number),
          // The buyer's language, not a personal identifier: kept in clear for the buyer page.
          customerLocale: body.customer?.locale ?? null,
          addresses: { create: addressRows(keyring, body.customer) },
          shopifyApiVersion: meta.apiVersion,
          shopifyRequestId: meta.requestId,
          requestHash,
        },
      });
    },
  });
}

function addressRows(keyring: PiiKeyring, customer: PaymentSessionRequest["customer"]): Prisma.PaymentAddressCreateWithoutPaymentSessionInput[] {
  if (!customer) return [];
  const rows = [toAddressRow(keyring, "BILLING", customer.billing_address)];
  if (customer.shipping_address) rows.push(toAddressRow(keyring, "SHIPPING", customer.shipping_address));
  return rows;
}

function toAddressRow(keyring: PiiKeyring, role: "BILLING" | "SHIPPING", address: Address): Prisma.PaymentAddressCreateWithoutPaymentSessionInput {
  const seal = (field: string, value: string | null | undefined) => encryptOptionalPii(keyring, `PaymentAddress.${field}`, value);
  return {
    role,
    givenName: seal("givenName", address.given_name),
    familyName: encryptPii(keyring, "PaymentAddress.familyName", address.family_name),
    line1: encryptPii(keyring, "PaymentAddress.line1", address.line1),
    line2: seal("line2", address.line2),
    city: encryptPii(keyring, "PaymentAddress.city", address.city),
    postalCode: seal("postalCode", address.postal_code),
    province: seal("province", address.province),
    provinceCode: seal("provinceCode", address.province_code),
    // The country alone identifies no one; kept in clear for reports.
    countryCode: address.country_code,
    phoneNumber: seal("phoneNumber", address.phone_number),
    company: seal("company", address.company),
  };
}
