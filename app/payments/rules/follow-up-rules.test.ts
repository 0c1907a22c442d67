import { describe, expect, it } from "vitest";
import type { PaymentStatus } from "@prisma/client";
import type { Money } from "./money";
import type { PaymentFacts } from "./payment-facts";
import { decideCapture } from "./capture-transitions";
import { decideRefund } from "./refund-transitions";
import { decideVoid } from "./void-transitions";

const NOW = new Date("2026-03-01T12:00:00Z");

/** A resolved live USD sale of 100.00 with nothing refunded, unless told otherwise. */
function sale(overrides: Partial<PaymentFacts> = {}): PaymentFacts {
  return {
    kind: "SALE",
    status: "RESOLVED",
    currency: "USD",
    test: false,
    amountMinor: 10000n,
    authorizationExpiresAt: null,
    capturedMinor: 0n,
    captureCommitmentsMinor: 0n,
    refundedMinor: 0n,
    refundCommitmentsMinor: 0n,
    voided: false,
    ...overrides,
  };
}

/** A resolved live USD authorization of 100.00, nothing captured, expiring a week after NOW. */
function authorization(overrides: Partial<PaymentFacts> = {}): PaymentFacts {
  return sale({
    kind: "AUTHORIZATION",
    authorizationExpiresAt: new Date("2026-03-08T12:00:00Z"),
    ...overrides,
  });
}

function money(minor: bigint, currency = "USD"): Money {
  return { minor, currency };
}

const UNRESOLVED: PaymentStatus[] = ["OPEN", "PENDING", "REJECTED"];

describe("decideRefund", () => {
  it.each(UNRESOLVED)("rejects a refund of a payment that is %s", (status) => {
    expect(decideRefund(sale({ status }), { money: money(100n), test: false })).toEqual({
      outcome: "reject",
      rule: "PAYMENT_NOT_RESOLVED",
      code: "PROCESSING_ERROR",
      message: `The payment is ${status.toLowerCase()}, so it cannot be refunded.`,
    });
  });

  it("rejects a test refund of a live payment", () => {
    expect(decideRefund(sale({ test: false }), { money: money(100n), test: true })).toEqual({
      outcome: "reject",
      rule: "TEST_MODE_MISMATCH",
      code: "PROCESSING_ERROR",
      message: "The payment is a live payment; a test request cannot change it.",
    });
  });

  it("rejects a live refund of a test payment", () => {
    expect(decideRefund(sale({ test: true }), { money: money(100n), test: false })).toMatchObject({
      outcome: "reject",
      rule: "TEST_MODE_MISMATCH",
      code: "PROCESSING_ERROR",
    });
  });

  it("rejects a refund in another currency than the payment's", () => {
    expect(decideRefund(sale({ currency: "USD" }), { money: money(100n, "EUR"), test: false })).toEqual({
      outcome: "reject",
      rule: "CURRENCY_MISMATCH",
      code: "PROCESSING_ERROR",
      message: "The payment is in USD; the request is in EUR.",
    });
  });

  it("accepts a refund of a test payment in test mode", () => {
    expect(decideRefund(sale({ test: true }), { money: money(100n), test: true })).toEqual({ outcome: "accept" });
  });

  describe("of a sale", () => {
    it("accepts refunding the whole amount", () => {
      expect(decideRefund(sale({ amountMinor: 10000n }), { money: money(10000n), test: false })).toEqual({
        outcome: "accept",
      });
    });

    it("rejects refunding one cent more than the amount, naming the amounts", () => {
      expect(decideRefund(sale({ amountMinor: 10000n }), { money: money(10001n), test: false })).toEqual({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
        code: "PROCESSING_ERROR",
        message: "A refund of 100.01 USD exceeds the 100.00 USD left to refund of the 100.00 USD taken.",
      });
    });

    it("accepts a refund of exactly what earlier refunds left", () => {
      const payment = sale({ amountMinor: 10000n, refundCommitmentsMinor: 7000n });
      expect(decideRefund(payment, { money: money(3000n), test: false })).toEqual({ outcome: "accept" });
    });

    it("counts earlier refunds that are not rejected against the amount", () => {
      const payment = sale({ amountMinor: 10000n, refundCommitmentsMinor: 7000n });
      expect(decideRefund(payment, { money: money(3001n), test: false })).toEqual({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
        code: "PROCESSING_ERROR",
        message: "A refund of 30.01 USD exceeds the 30.00 USD left to refund of the 100.00 USD taken.",
      });
    });

    it("rejects any refund once everything was refunded", () => {
      const payment = sale({ currency: "JPY", amountMinor: 5000n, refundCommitmentsMinor: 5000n });
      expect(decideRefund(payment, { money: money(1n, "JPY"), test: false })).toEqual({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
        code: "PROCESSING_ERROR",
        message: "A refund of 1 JPY exceeds the 0 JPY left to refund of the 5000 JPY taken.",
      });
    });
  });

  describe("of an authorization", () => {
    it("accepts refunding what was captured, in a three-decimal currency", () => {
      const payment = authorization({
        currency: "KWD",
        amountMinor: 10000n,
        capturedMinor: 4000n,
        captureCommitmentsMinor: 4000n,
      });
      expect(decideRefund(payment, { money: money(4000n, "KWD"), test: false })).toEqual({ outcome: "accept" });
    });

    it("rejects refunding more than was captured, even within the authorized amount", () => {
      const payment = authorization({
        currency: "KWD",
        amountMinor: 10000n,
        capturedMinor: 4000n,
        captureCommitmentsMinor: 4000n,
      });
      expect(decideRefund(payment, { money: money(4001n, "KWD"), test: false })).toEqual({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
        code: "PROCESSING_ERROR",
        message: "A refund of 4.001 KWD exceeds the 4.000 KWD left to refund of the 4.000 KWD taken.",
      });
    });

    it("does not count captures still being processed as refundable", () => {
      const payment = authorization({ amountMinor: 10000n, capturedMinor: 2000n, captureCommitmentsMinor: 6000n });
      expect(decideRefund(payment, { money: money(2001n), test: false })).toMatchObject({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
      });
      expect(decideRefund(payment, { money: money(2000n), test: false })).toEqual({ outcome: "accept" });
    });

    it("rejects a refund when nothing was captured", () => {
      expect(decideRefund(authorization({ capturedMinor: 0n }), { money: money(1n), test: false })).toEqual({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
        code: "PROCESSING_ERROR",
        message: "A refund of 0.01 USD exceeds the 0.00 USD left to refund of the 0.00 USD taken.",
      });
    });

    it("counts earlier refunds against what was captured", () => {
      const payment = authorization({ capturedMinor: 5000n, captureCommitmentsMinor: 5000n, refundCommitmentsMinor: 4500n });
      expect(decideRefund(payment, { money: money(500n), test: false })).toEqual({ outcome: "accept" });
      expect(decideRefund(payment, { money: money(501n), test: false })).toMatchObject({
        outcome: "reject",
        rule: "AMOUNT_EXCEEDS_REMAINING",
      });
    });
  });
});

describe("decideCapture", () => {
  it("rejects capturing a sale", () => {
    expect(decideCapture(sale(), { money: money(100n), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "NOT_AN_AUTHORIZATION",
      code: "PROCESSING_ERROR",
      message: "Only an authorization can be captured; this payment was a sale.",
    });
  });

  it.each(UNRESOLVED)("rejects capturing an authorization that is %s", (status) => {
    expect(decideCapture(authorization({ status }), { money: money(100n), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "PAYMENT_NOT_RESOLVED",
      code: "PROCESSING_ERROR",
      message: `The payment is ${status.toLowerCase()}, so it cannot be captured.`,
    });
  });

  it("rejects a live capture of a test authorization", () => {
    expect(decideCapture(authorization({ test: true }), { money: money(100n), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "TEST_MODE_MISMATCH",
      code: "PROCESSING_ERROR",
      message: "The payment is a test payment; a live request cannot change it.",
    });
  });

  it("rejects a capture in another currency than the authorization's", () => {
    expect(decideCapture(authorization({ currency: "JPY" }), { money: money(100n, "USD"), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "CURRENCY_MISMATCH",
      code: "PROCESSING_ERROR",
      message: "The payment is in JPY; the request is in USD.",
    });
  });

  it("rejects capturing a voided authorization", () => {
    expect(decideCapture(authorization({ voided: true }), { money: money(100n), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "AUTHORIZATION_VOIDED",
      code: "PROCESSING_ERROR",
      message: "The authorization was voided, so it cannot be captured.",
    });
  });

  it("rejects capturing an authorization that expired, with Shopify's AUTHORIZATION_EXPIRED code", () => {
    const payment = authorization({ authorizationExpiresAt: new Date("2026-03-01T11:59:59Z") });
    expect(decideCapture(payment, { money: money(100n), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "AUTHORIZATION_EXPIRED",
      code: "AUTHORIZATION_EXPIRED",
      message: "The authorization expired at 2026-03-01T11:59:59.000Z.",
    });
  });

  it("treats an authorization as expired at the very instant it expires", () => {
    const payment = authorization({ authorizationExpiresAt: new Date(NOW.getTime()) });
    expect(decideCapture(payment, { money: money(100n), test: false }, NOW)).toMatchObject({
      outcome: "reject",
      rule: "AUTHORIZATION_EXPIRED",
      code: "AUTHORIZATION_EXPIRED",
    });
  });

  it("accepts capturing an authorization one millisecond before it expires", () => {
    const payment = authorization({ authorizationExpiresAt: new Date(NOW.getTime() + 1) });
    expect(decideCapture(payment, { money: money(100n), test: false }, NOW)).toEqual({ outcome: "accept" });
  });

  it("accepts capturing an authorization without an expiry", () => {
    const payment = authorization({ authorizationExpiresAt: null });
    expect(decideCapture(payment, { money: money(100n), test: false }, NOW)).toEqual({ outcome: "accept" });
  });

  it("accepts two partial captures that add up to the authorized amount", () => {
    const first = authorization({ currency: "JPY", amountMinor: 10000n });
    expect(decideCapture(first, { money: money(6000n, "JPY"), test: false }, NOW)).toEqual({ outcome: "accept" });

    const second = authorization({ currency: "JPY", amountMinor: 10000n, captureCommitmentsMinor: 6000n });
    expect(decideCapture(second, { money: money(4000n, "JPY"), test: false }, NOW)).toEqual({ outcome: "accept" });
  });

  it("rejects a capture that would take one unit more than was authorized, counting captures in progress", () => {
    const payment = authorization({ currency: "JPY", amountMinor: 10000n, capturedMinor: 0n, captureCommitmentsMinor: 6000n });
    expect(decideCapture(payment, { money: money(4001n, "JPY"), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "AMOUNT_EXCEEDS_REMAINING",
      code: "PROCESSING_ERROR",
      message: "A capture of 4001 JPY exceeds the 4000 JPY left of the 10000 JPY authorized.",
    });
  });

  it("rejects capturing more than the whole authorized amount at once", () => {
    expect(decideCapture(authorization({ amountMinor: 10000n }), { money: money(10001n), test: false }, NOW)).toEqual({
      outcome: "reject",
      rule: "AMOUNT_EXCEEDS_REMAINING",
      code: "PROCESSING_ERROR",
      message: "A capture of 100.01 USD exceeds the 100.00 USD left of the 100.00 USD authorized.",
    });
  });
});

describe("decideVoid", () => {
  it("rejects voiding a sale", () => {
    expect(decideVoid(sale(), { test: false })).toEqual({
      outcome: "reject",
      rule: "NOT_AN_AUTHORIZATION",
      code: "PROCESSING_ERROR",
      message: "Only an authorization can be voided; this payment was a sale.",
    });
  });

  it("rejects voiding an authorization twice", () => {
    expect(decideVoid(authorization({ voided: true }), { test: false })).toEqual({
      outcome: "reject",
      rule: "AUTHORIZATION_VOIDED",
      code: "PROCESSING_ERROR",
      message: "The authorization was already voided.",
    });
  });

  it("rejects voiding an authorization of which something was captured", () => {
    const payment = authorization({ currency: "KWD", capturedMinor: 1n, captureCommitmentsMinor: 1n });
    expect(decideVoid(payment, { test: false })).toEqual({
      outcome: "reject",
      rule: "ALREADY_CAPTURED",
      code: "PROCESSING_ERROR",
      message: "Part of the authorization was captured, so it can no longer be voided.",
    });
  });

  it("rejects voiding an authorization with a capture still being processed", () => {
    const payment = authorization({ capturedMinor: 0n, captureCommitmentsMinor: 500n });
    expect(decideVoid(payment, { test: false })).toMatchObject({ outcome: "reject", rule: "ALREADY_CAPTURED" });
  });

  it.each(UNRESOLVED)("rejects voiding an authorization that is %s", (status) => {
    expect(decideVoid(authorization({ status }), { test: false })).toEqual({
      outcome: "reject",
      rule: "PAYMENT_NOT_RESOLVED",
      code: "PROCESSING_ERROR",
      message: `The payment is ${status.toLowerCase()}, so it cannot be voided.`,
    });
  });

  it("rejects a test void of a live authorization", () => {
    expect(decideVoid(authorization({ test: false }), { test: true })).toMatchObject({
      outcome: "reject",
      rule: "TEST_MODE_MISMATCH",
      code: "PROCESSING_ERROR",
    });
  });

  it("accepts voiding a resolved authorization with nothing captured", () => {
    expect(decideVoid(authorization(), { test: false })).toEqual({ outcome: "accept" });
  });
});
