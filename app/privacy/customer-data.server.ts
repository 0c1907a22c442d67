import type { AddressRole, PaymentAddress, Prisma } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import { randomBytes } from "node:crypto";
import { recordAudit, SHOPIFY_ACTOR } from "../audit/audit-trail.server";
import { customerExportsWhere, customerPaymentsWhere, type CustomerIdentity } from "./customer-match.server";
import { decryptOptionalPii, decryptPii, emailLookup, encryptPii, phoneLookup, type PiiKeyring } from "./pii-crypto.server";

export type { CustomerIdentity } from "./customer-match.server";

/** A payment's customer, decrypted: what the admin shows (masked by default) and what exports hold. */
export interface PaymentCustomer {
  email: string | null;
  phone: string | null;
  locale: string | null;
  addresses: CustomerAddress[];
  /** Set once customers/redact erased this payment's customer data (everything above is then null or empty). */
  redactedAt: string | null;
}

export interface CustomerAddress {
  role: AddressRole;
  givenName: string | null;
  familyName: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string | null;
  province: string | null;
  provinceCode: string | null;
  countryCode: string;
  phoneNumber: string | null;
  company: string | null;
}

const customerSelect = {
  customerEmail: true,
  customerPhoneNumber: true,
  customerLocale: true,
  customerRedactedAt: true,
  addresses: { orderBy: { role: "asc" } },
} satisfies Prisma.PaymentSessionSelect;

type StoredCustomer = Prisma.PaymentSessionGetPayload<{ select: typeof customerSelect }>;

/**
 * The read API for customer data: the decrypted customer of one of the shop's
 * payments (by the app's payment id), or null when the shop has no such payment.
 * The only place that turns stored ciphertext back into personal data for display;
 * callers decide what to mask and must audit a reveal.
 */
export async function getPaymentCustomer(db: Db, keyring: PiiKeyring, shop: string, paymentId: string): Promise<PaymentCustomer | null> {
  const row = await db.paymentSession.findFirst({ where: { id: paymentId, shop }, select: customerSelect });
  return row ? decryptCustomer(keyring, row) : null;
}

function decryptCustomer(keyring: PiiKeyring, row: StoredCustomer): PaymentCustomer {
  return {
    email: decryptOptionalPii(keyring, "PaymentSession.customerEmail", row.customerEmail),
    phone: decryptOptionalPii(keyring, "PaymentSession.customerPhoneNumber", row.customerPhoneNumber),
    locale: row.customerLocale,
    addresses: row.addresses.map((address) => openAddress(keyring, address)),
    redactedAt: row.customerRedactedAt?.toISOString() ?? null,
  };
}

/** An address as a receipt writes it (decision 0019): role and country in clear, every other field in one sealed value. */
export type SealedAddress = Pick<PaymentAddress, "role" | "countryCode"> & { sealed: string };
/** An address as stored: sealed whole, or per field (rows written before decision 0019). */
export type StoredAddress = Omit<PaymentAddress, "paymentSessionId">;

type PersonalFields = Omit<CustomerAddress, "role" | "countryCode">;
const SEALED_ADDRESS = "PaymentAddress.sealed";
const PERSONAL_FIELDS = ["givenName", "familyName", "line1", "line2", "city", "postalCode", "province", "provinceCode", "phoneNumber", "company"] as const satisfies readonly (keyof PersonalFields)[];

/**
 * The stored form of an address: one AES-GCM seal of its personal fields as JSON
 * instead of one per field (a receipt with two full addresses sealed 22 values; issue 14
 * measured encryption as the largest part of its cost). The column's name is the
 * associated data, as for every other personal value (decision 0006).
 */
export function sealAddress(keyring: PiiKeyring, address: CustomerAddress): SealedAddress {
  const { role, countryCode, ...personal } = address;
  return { role, countryCode, sealed: encryptPii(keyring, SEALED_ADDRESS, JSON.stringify(personal)) };
}

/** A stored address, decrypted, whichever form it was stored in. Throws PiiDecryptionError when it does not open. */
export function openAddress(keyring: PiiKeyring, address: StoredAddress): CustomerAddress {
  const personal = address.sealed === null ? openLegacyFields(keyring, address) : openSealedFields(keyring, address.sealed);
  return { role: address.role, ...personal, countryCode: address.countryCode };
}

function openSealedFields(keyring: PiiKeyring, sealed: string): PersonalFields {
  const parsed: unknown = JSON.parse(decryptPii(keyring, SEALED_ADDRESS, sealed));
  const fields = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  return personalFields((field) => {
    const value = fields[field];
    return typeof value === "string" ? value : null;
  });
}

/** Rows written before decision 0019: each field sealed on its own, under its own column's name. */
function openLegacyFields(keyring: PiiKeyring, address: StoredAddress): PersonalFields {
  return personalFields((field) => decryptOptionalPii(keyring, `PaymentAddress.${field}`, address[field]));
}

/** The personal fields read one by one (the three an address always has read as "" if absent). */
function personalFields(read: (field: keyof PersonalFields) => string | null): PersonalFields {
  const fields = Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, read(field)])) as Record<keyof PersonalFields, string | null>;
  return { ...fields, familyName: fields.familyName ?? "", line1: fields.line1 ?? "", city: fields.city ?? "" };
}

export const CUSTOMER_EXPORT_FORMAT = "payments-app.customer-data-export";
export const CUSTOMER_EXPORT_VERSION = 1;
/** How long an export is kept for the merchant (Shopify gives merchants 30 days to answer a request). */
export const CUSTOMER_EXPORT_RETENTION_DAYS = 30;

export interface CustomerExportRequest {
  webhookId: string;
  dataRequestId: string | null;
  shopifyCustomerId: string | null;
  ordersRequested: string[];
  customer: CustomerIdentity;
  /** X-Shopify-Triggered-At: payments received later are not part of the request. */
  triggeredAt: Date | null;
}

/**
 * customers/data_request: everything the app holds about the customer in the
 * shop, as the JSON document of docs/privacy-export.md, stored encrypted as a
 * CustomerDataExport row for the merchant to retrieve. Returns the row's id and
 * how many payments it covers (for the log line: counts, never contents).
 */
export async function createCustomerDataExport(tx: Tx, keyring: PiiKeyring, shop: string, request: CustomerExportRequest, now = new Date()): Promise<{ id: string; paymentCount: number }> {
  const where = customerPaymentsWhere(keyring, shop, request.customer, request.triggeredAt);
  const payments = where
    ? await tx.paymentSession.findMany({
        where,
        orderBy: { receivedAt: "asc" },
        include: {
          addresses: { orderBy: { role: "asc" } },
          refundSessions: { orderBy: { receivedAt: "asc" } },
          captureSessions: { orderBy: { receivedAt: "asc" } },
          voidSessions: { orderBy: { receivedAt: "asc" } },
        },
      })
    : [];
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const followUp = (row: { shopifyId: string; gid: string; status: string; receivedAt: Date; resolvedAt: Date | null; rejectedAt: Date | null; rejectionCode: string | null; amount?: string; currency?: string }) => ({
    id: row.shopifyId,
    gid: row.gid,
    ...(row.amount !== undefined ? { amount: row.amount, currency: row.currency } : {}),
    status: row.status,
    receivedAt: iso(row.receivedAt),
    resolvedAt: iso(row.resolvedAt),
    rejectedAt: iso(row.rejectedAt),
    rejectionCode: row.rejectionCode,
  });
  const document = {
    format: CUSTOMER_EXPORT_FORMAT,
    version: CUSTOMER_EXPORT_VERSION,
    generatedAt: now.toISOString(),
    shop,
    request: {
      webhookId: request.webhookId,
      dataRequestId: request.dataRequestId,
      customerId: request.shopifyCustomerId,
      ordersRequested: request.ordersRequested,
      matchedBy: [request.customer.email ? "email" : null, request.customer.phone ? "phone" : null].filter(Boolean),
    },
    payments: payments.map((payment) => ({
      id: payment.shopifyId,
      gid: payment.gid,
      group: payment.group,
      kind: payment.kind,
      test: payment.test,
      amount: payment.amount,
      currency: payment.currency,
      status: payment.status,
      proposedAt: iso(payment.proposedAt),
      receivedAt: iso(payment.receivedAt),
      resolvedAt: iso(payment.resolvedAt),
      rejectedAt: iso(payment.rejectedAt),
      rejectionCode: payment.rejectionCode,
      customer: decryptCustomer(keyring, payment),
      refunds: payment.refundSessions.map(followUp),
      captures: payment.captureSessions.map(followUp),
      voids: payment.voidSessions.map(followUp),
    })),
  };
  const row = await tx.customerDataExport.create({
    data: {
      shop,
      webhookId: request.webhookId,
      dataRequestId: request.dataRequestId,
      shopifyCustomerId: request.shopifyCustomerId,
      emailLookup: emailLookup(keyring, request.customer.email),
      phoneLookup: phoneLookup(keyring, request.customer.phone),
      paymentCount: payments.length,
      document: encryptPii(keyring, "CustomerDataExport.document", JSON.stringify(document)),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CUSTOMER_EXPORT_RETENTION_DAYS * 86_400_000),
    },
    select: { id: true },
  });
  await recordShopifyRequest(
    tx,
    shop,
    "CUSTOMER_DATA_REQUEST",
    payments,
    `customers/data_request${request.dataRequestId ? ` ${request.dataRequestId}` : ""}: ${payments.length} payment(s) in export ${row.id} (webhook ${request.webhookId})`,
    now,
  );
  return { id: row.id, paymentCount: payments.length };
}

/**
 * Records a privacy request in the audit trail, by "Shopify": one entry per payment
 * it concerned (so each payment's timeline shows it), or one for the shop when it
 * concerned none, so that every request is on record. Ids and counts only: the
 * trail is shown to staff and exported, and must not say who the customer is.
 * Never creates the shop (an erased shop stays erased).
 */
async function recordShopifyRequest(tx: Tx, shop: string, action: "CUSTOMER_REDACT" | "CUSTOMER_DATA_REQUEST", payments: { id: string; gid: string }[], reason: string, now: Date): Promise<void> {
  if (payments.length === 0) {
    if (await tx.shop.findUnique({ where: { domain: shop }, select: { domain: true } })) await recordAudit(tx, { shop, staffUserId: SHOPIFY_ACTOR, action, reason }, now);
    return;
  }
  for (const payment of payments) {
    await recordAudit(tx, { shop, staffUserId: SHOPIFY_ACTOR, action, paymentSessionId: payment.id, subject: payment.gid, reason }, now);
  }
}

export interface CustomerDataExportSummary {
  id: string;
  dataRequestId: string | null;
  shopifyCustomerId: string | null;
  paymentCount: number;
  createdAt: string;
  expiresAt: string;
}

/** The shop's exports, newest first, without their contents (for a list in the admin). */
export async function listCustomerDataExports(db: Db, shop: string): Promise<CustomerDataExportSummary[]> {
  const rows = await db.customerDataExport.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    select: { id: true, dataRequestId: true, shopifyCustomerId: true, paymentCount: true, createdAt: true, expiresAt: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() }));
}

/** One export's JSON document, decrypted (null when the shop has no such export). */
export async function getCustomerDataExportDocument(db: Db, keyring: PiiKeyring, shop: string, exportId: string): Promise<string | null> {
  const row = await db.customerDataExport.findFirst({ where: { id: exportId, shop }, select: { document: true } });
  return row ? decryptPii(keyring, "CustomerDataExport.document", row.document) : null;
}

export interface CustomerRedaction {
  webhookId: string;
  customer: CustomerIdentity;
  /** X-Shopify-Triggered-At: payments received later are not erased. */
  triggeredAt: Date | null;
}

/**
 * customers/redact: erases the customer's personal data (email, phone, locale,
 * addresses, and the lookup hashes and name digests that would let anyone find
 * them again) from
 * the shop's payment sessions that are theirs by the rule of
 * customer-match.server.ts, and deletes the exports made for them. The payments themselves (amounts, states, Shopify's ids) stay: the
 * merchant's books need them and they identify no one. Returns how many
 * payment sessions were redacted.
 */
export async function redactCustomer(tx: Tx, keyring: PiiKeyring, shop: string, request: CustomerRedaction, now = new Date()): Promise<number> {
  const exports = customerExportsWhere(keyring, shop, request.customer);
  if (exports) await tx.customerDataExport.deleteMany({ where: exports });
  const where = customerPaymentsWhere(keyring, shop, request.customer, request.triggeredAt);
  const payments = where ? await tx.paymentSession.findMany({ where, select: { id: true, gid: true } }) : [];
  const ids = payments.map((row) => row.id);
  if (ids.length > 0) {
    await tx.paymentAddress.deleteMany({ where: { paymentSessionId: { in: ids } } });
    // The digests of the buyer's names (decision 0016): what would still find these payments by them.
    await tx.paymentSearchTerm.deleteMany({ where: { shop, paymentSessionId: { in: ids } } });
  }
  // The request fingerprint was computed over the customer too: replaced by a random
  // value, so nothing left can confirm a guess of what was erased. (Shopify's retries
  // of a payment request come within minutes; one arriving after a redaction would
  // get a 409 and change nothing.)
  for (const id of ids) {
    await tx.paymentSession.update({
      where: { id },
      data: { customerEmail: null, customerPhoneNumber: null, customerLocale: null, customerEmailLookup: null, customerPhoneLookup: null, customerRedactedAt: now, requestHash: `redacted:${randomBytes(16).toString("base64url")}` },
    });
  }
  await recordShopifyRequest(tx, shop, "CUSTOMER_REDACT", payments, `customers/redact: customer details erased from ${ids.length} payment(s) (webhook ${request.webhookId})`, now);
  return ids.length;
}
