import type { Prisma } from "@prisma/client";
import { emailLookup, phoneLookup, type PiiKeyring } from "./pii-crypto.server";

/** A customer as Shopify's privacy webhooks name them. */
export interface CustomerIdentity {
  email?: string | null;
  phone?: string | null;
}

/**
 * Which of a shop's records belong to the customer a privacy request names: the
 * one rule for customers/redact and customers/data_request (decision 0009).
 *
 * - By email wherever the payment has one: the same email (compared by its
 *   normalized lookup hash) is the same customer.
 * - By phone only for payments without an email. Phones are shared (households,
 *   a shop's default number, the sandbox gives every buyer one), so a phone never
 *   outweighs an email: a payment whose email differs from the request's (or whose
 *   email the request cannot confirm, having none) is never matched.
 * - Only what was received up to the request's trigger time (X-Shopify-Triggered-At)
 *   when Shopify says it: a payment the buyer made afterwards is a new one.
 *
 * Shopify's customer id and order ids are not stored with payments (the Payments
 * Apps API does not send them), so they match nothing here. Null when the
 * request names neither an email nor a phone: nothing is theirs.
 */
export function customerPaymentsWhere(keyring: PiiKeyring, shop: string, customer: CustomerIdentity, triggeredAt: Date | null): Prisma.PaymentSessionWhereInput | null {
  const email = emailLookup(keyring, customer.email);
  const phone = phoneLookup(keyring, customer.phone);
  const any: Prisma.PaymentSessionWhereInput[] = [];
  if (email) any.push({ customerEmailLookup: email });
  if (phone) any.push({ customerEmail: null, customerPhoneLookup: phone });
  if (any.length === 0) return null;
  return { shop, OR: any, ...(triggeredAt ? { receivedAt: { lte: triggeredAt } } : {}) };
}

/**
 * The customer's data exports, by the same rule on what each export was made for:
 * the same email, or (when the request names a phone) made for that phone alone.
 * Every one of them, whenever it was made: an export is a copy of their data.
 */
export function customerExportsWhere(keyring: PiiKeyring, shop: string, customer: CustomerIdentity): Prisma.CustomerDataExportWhereInput | null {
  const email = emailLookup(keyring, customer.email);
  const phone = phoneLookup(keyring, customer.phone);
  const any: Prisma.CustomerDataExportWhereInput[] = [];
  if (email) any.push({ emailLookup: email });
  if (phone) any.push({ emailLookup: null, phoneLookup: phone });
  return any.length > 0 ? { shop, OR: any } : null;
}
