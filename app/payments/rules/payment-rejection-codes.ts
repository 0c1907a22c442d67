import type { PaymentRejectionCode } from "@prisma/client";

// Reasons Shopify accepted before API version 2026-04 (spec §8, §14).
const BEFORE_2026_04: ReadonlySet<PaymentRejectionCode> = new Set<PaymentRejectionCode>([
  "AUTHENTICATION_FAILED", "CARD_DECLINED", "CONFIRMATION_REJECTED", "EXPIRED_CARD", "INCORRECT_ADDRESS",
  "INCORRECT_CVC", "INCORRECT_NUMBER", "INCORRECT_PIN", "INCORRECT_ZIP", "INVALID_CVC", "INVALID_EXPIRY_DATE",
  "INVALID_NUMBER", "PROCESSING_ERROR", "RISKY",
]);

// Fraud-like reasons fall back to RISKY on older versions; anything else to PROCESSING_ERROR.
const RISK_REASONS: ReadonlySet<PaymentRejectionCode> = new Set<PaymentRejectionCode>([
  "CARD_TESTING", "FRAUD_SUSPECTED", "HIGH_RISK_FRAUD_SUSPECTED", "PICK_UP_CARD",
]);

/** "unstable" and YYYY-MM versions from 2026-04 on know every reason. */
function knowsNewReasons(apiVersion: string): boolean {
  return apiVersion === "unstable" || apiVersion >= "2026-04";
}

/**
 * The reason code to send for a shop's API version: the stored reason when that
 * version knows it, else the closest reason it does know. RISKY is deprecated
 * from 2026-04 on and becomes FRAUD_SUSPECTED there.
 */
export function rejectionCodeForVersion(code: PaymentRejectionCode, apiVersion: string): PaymentRejectionCode {
  if (knowsNewReasons(apiVersion)) return code === "RISKY" ? "FRAUD_SUSPECTED" : code;
  if (BEFORE_2026_04.has(code)) return code;
  return RISK_REASONS.has(code) ? "RISKY" : "PROCESSING_ERROR";
}

/** The reasons staff may choose from for a shop's API version. */
export function rejectionCodesForVersion(apiVersion: string, all: readonly PaymentRejectionCode[]): PaymentRejectionCode[] {
  return all.filter((code) => (knowsNewReasons(apiVersion) ? code !== "RISKY" : BEFORE_2026_04.has(code)));
}
