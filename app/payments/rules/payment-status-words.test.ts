import { describe, expect, it } from "vitest";
import { paymentStatusWord, type PaymentStatusFacts } from "./payment-status-words";

const NOW = new Date("2026-12-03T12:00:00Z");
const sale: PaymentStatusFacts = { kind: "SALE", status: "RESOLVED", amountMinor: 10_000n, capturedMinor: 0n, refundedMinor: 0n, voided: false, linkExpiresAt: new Date("2026-12-05T12:00:00Z") };
const authorization: PaymentStatusFacts = { ...sale, kind: "AUTHORIZATION" };

describe("a payment's status in a merchant's words", () => {
  it.each<[string, string, PaymentStatusFacts]>([
    ["an open payment whose link still works", "Open", { ...sale, status: "OPEN" }],
    ["an open payment whose link has expired", "Abandoned", { ...sale, status: "OPEN", linkExpiresAt: NOW }],
    ["a pending payment", "Pending", { ...sale, status: "PENDING" }],
    ["a rejected payment", "Failed", { ...sale, status: "REJECTED" }],
    ["a resolved sale", "Paid", sale],
    ["a sale partly refunded", "Partially refunded", { ...sale, refundedMinor: 2_500n }],
    ["a sale refunded in full", "Refunded", { ...sale, refundedMinor: 10_000n }],
    ["an authorization nothing captured of", "Authorized", authorization],
    ["an authorization partly captured", "Paid", { ...authorization, capturedMinor: 4_000n }],
    ["an authorization captured in full", "Paid", { ...authorization, capturedMinor: 10_000n }],
    ["an authorization captured then refunded in full", "Refunded", { ...authorization, capturedMinor: 4_000n, refundedMinor: 4_000n }],
    ["a voided authorization", "Voided", { ...authorization, voided: true }],
  ])("calls %s “%s”", (_name, word, facts) => {
    expect(paymentStatusWord(facts, NOW)).toBe(word);
  });
});
