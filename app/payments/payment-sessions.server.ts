import type { PaymentSession, Prisma } from "@prisma/client";
import type { Db } from "../db.server";
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
  const { money: _money, ...fingerprinted } = body;
  const key = { shop_shopifyId: { shop: meta.shop, shopifyId: body.id } };
  const requestHash = requestFingerprint(fingerprinted);
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
          customerEmail: body.customer?.email ?? null,
          customerPhoneNumber: body.customer?.phone_number ?? null,
          customerLocale: body.customer?.locale ?? null,
          addresses: { create: addressRows(body.customer) },
          shopifyApiVersion: meta.apiVersion,
          shopifyRequestId: meta.requestId,
          requestHash,
        },
      });
    },
  });
}

function addressRows(customer: PaymentSessionRequest["customer"]): Prisma.PaymentAddressCreateWithoutPaymentSessionInput[] {
  if (!customer) return [];
  const rows = [toAddressRow("BILLING", customer.billing_address)];
  if (customer.shipping_address) rows.push(toAddressRow("SHIPPING", customer.shipping_address));
  return rows;
}

function toAddressRow(role: "BILLING" | "SHIPPING", address: Address): Prisma.PaymentAddressCreateWithoutPaymentSessionInput {
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
    countryCode: address.country_code,
    phoneNumber: address.phone_number ?? null,
    company: address.company ?? null,
  };
}
