import { PaymentRejectionCode } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { rejectionCodeForVersion, rejectionCodesForVersion } from "./payment-rejection-codes";

const ALL_CODES: readonly PaymentRejectionCode[] = Object.values(PaymentRejectionCode);

// Written out here rather than taken from the module under test, so a slip there shows.
const KNOWN_BEFORE_2026_04: readonly PaymentRejectionCode[] = [
  "AUTHENTICATION_FAILED", "CARD_DECLINED", "CONFIRMATION_REJECTED", "EXPIRED_CARD", "INCORRECT_ADDRESS",
  "INCORRECT_CVC", "INCORRECT_NUMBER", "INCORRECT_PIN", "INCORRECT_ZIP", "INVALID_CVC", "INVALID_EXPIRY_DATE",
  "INVALID_NUMBER", "PROCESSING_ERROR", "RISKY",
];
const FRAUD_LIKE_ADDITIONS: readonly PaymentRejectionCode[] = ["CARD_TESTING", "FRAUD_SUSPECTED", "HIGH_RISK_FRAUD_SUSPECTED", "PICK_UP_CARD"];
const OTHER_ADDITIONS: readonly PaymentRejectionCode[] = [
  "AMOUNT_TOO_LARGE", "AMOUNT_TOO_SMALL", "AUTHENTICATION_REQUIRED", "CALL_ISSUER", "CANCELLED_PAYMENT", "DO_NOT_HONOR",
  "INSTRUMENT_DECLINED", "INSUFFICIENT_FUNDS", "INVALID_AMOUNT", "INVALID_CURRENCY", "INVALID_PAYMENT_METHOD",
  "INVALID_PURCHASE_TYPE", "INVALID_REQUEST", "MERCHANT_ACCOUNT_ERROR", "MERCHANT_RULE", "PAYMENT_METHOD_UNSUPPORTED",
  "RETRY_DECLINED", "TRANSACTION_LIMIT_EXCEEDED",
];

const NEW_VERSIONS = ["2026-04", "2026-07", "unstable"];
const OLD_VERSIONS = ["2025-10", "2026-01"];

describe("rejectionCodeForVersion", () => {
  describe.each(NEW_VERSIONS)("on %s", (version) => {
    it("keeps every code except RISKY", () => {
      const kept = ALL_CODES.filter((code) => code !== "RISKY");

      expect(kept.map((code) => rejectionCodeForVersion(code, version))).toEqual(kept);
    });

    it("sends the deprecated RISKY as FRAUD_SUSPECTED", () => {
      expect(rejectionCodeForVersion("RISKY", version)).toBe("FRAUD_SUSPECTED");
    });
  });

  describe.each(OLD_VERSIONS)("on %s", (version) => {
    it("keeps every code known before 2026-04, RISKY included", () => {
      expect(KNOWN_BEFORE_2026_04.map((code) => rejectionCodeForVersion(code, version))).toEqual(KNOWN_BEFORE_2026_04);
    });

    it.each(FRAUD_LIKE_ADDITIONS)("sends the fraud-like %s as RISKY", (code) => {
      expect(rejectionCodeForVersion(code, version)).toBe("RISKY");
    });

    it("sends INSUFFICIENT_FUNDS as PROCESSING_ERROR", () => {
      expect(rejectionCodeForVersion("INSUFFICIENT_FUNDS", version)).toBe("PROCESSING_ERROR");
    });

    it("sends every other code added in 2026-04 as PROCESSING_ERROR", () => {
      expect(OTHER_ADDITIONS.map((code) => rejectionCodeForVersion(code, version))).toEqual(OTHER_ADDITIONS.map(() => "PROCESSING_ERROR"));
    });
  });

  // A code added to the schema must be sorted into one of the lists above, or the tests would skip it.
  it("knows every code of the schema as either old, fraud-like new or other new", () => {
    expect([...KNOWN_BEFORE_2026_04, ...FRAUD_LIKE_ADDITIONS, ...OTHER_ADDITIONS].sort()).toEqual([...ALL_CODES].sort());
  });
});

describe("rejectionCodesForVersion", () => {
  it.each(NEW_VERSIONS)("offers every code but the deprecated RISKY on %s", (version) => {
    expect(rejectionCodesForVersion(version, ALL_CODES)).toEqual(ALL_CODES.filter((code) => code !== "RISKY"));
  });

  it.each(OLD_VERSIONS)("offers only the codes known before 2026-04 on %s", (version) => {
    expect(rejectionCodesForVersion(version, ALL_CODES)).toEqual(KNOWN_BEFORE_2026_04);
  });
});
