import type { StaffAction } from "@prisma/client";

/** What each audited action did, as staff would say it. */
export const STAFF_ACTION_WORDS: Record<StaffAction, string> = {
  PAYMENT_RESOLVE: "Approved a payment",
  PAYMENT_REJECT: "Declined a payment",
  PAYMENT_PEND: "Marked a payment pending",
  REFUND_RESOLVE: "Approved a refund",
  REFUND_REJECT: "Declined a refund",
  CAPTURE_RESOLVE: "Approved a capture",
  CAPTURE_REJECT: "Declined a capture",
  VOID_RESOLVE: "Approved a void",
  VOID_REJECT: "Declined a void",
  DELIVERY_RETRY: "Retried telling Shopify",
  PII_REVEAL: "Revealed customer details",
  SETTINGS_UPDATE: "Changed settings",
  CUSTOMER_REDACT: "Erased a customer's data (Shopify's request)",
  CUSTOMER_DATA_REQUEST: "Prepared a customer data export (Shopify's request)",
  CUSTOMER_DATA_EXPORT_DOWNLOAD: "Downloaded a customer data export",
  PROVIDER_ACCOUNT_CONNECT: "Connected a payment provider account",
  PROVIDER_ACCOUNT_DISCONNECT: "Disconnected a payment provider account",
};

const STATE_WORDS: Record<string, string> = {
  OPEN: "Open",
  PENDING: "Pending",
  RESOLVED: "Approved",
  REJECTED: "Declined",
  RECEIVED: "Waiting",
  SUCCEEDED: "Shopify told",
  FAILED: "Refused by Shopify",
  DEAD: "Gave up",
};

/** A state recorded in the trail ("RESOLVED") in words ("Approved"); an unknown one as it was recorded. */
export function stateWords(state: string): string {
  return STATE_WORDS[state] ?? state.charAt(0) + state.slice(1).toLowerCase().replaceAll("_", " ");
}
