import { describe, expect, it } from "vitest";
import { paymentStatusWord } from "./payment-status-words";

const sale = { kind: "SALE" as const, status: "RESOLVED", amountMinor: 10_000n, capturedMinor: 0n, refundedMinor: 0n, voided: false };
const authorization = { ...sale, kind: "AUTHORIZATION" as const };

describe("a payment's status in a merchant's words", () => {
  it.each([
    ["an open payment", "Awaiting payment", { ...sale, status: "OPEN" }],
    ["a pending payment", "Pending", { ...sale, status: "PENDING" }],
    ["a rejected payment", "Failed", { ...sale, status: "REJECTED" }],
    ["an abandoned payment", "Abandoned", { ...sale, status: "ABANDONED" }],
    ["a resolved sale", "Paid", sale],
    ["a sale partly refunded", "Partially refunded", { ...sale, refundedMinor: 2_500n }],
    ["a sale refunded in full", "Refunded", { ...sale, refundedMinor: 10_000n }],
    ["an authorization nothing captured of", "Authorized", authorization],
    ["an authorization partly captured", "Partially captured", { ...authorization, capturedMinor: 4_000n }],
    ["an authorization captured in full", "Paid", { ...authorization, capturedMinor: 10_000n }],
    ["an authorization captured then refunded in full", "Refunded", { ...authorization, capturedMinor: 4_000n, refundedMinor: 4_000n }],
    ["a voided authorization", "Voided", { ...authorization, voided: true }],
  ])("calls %s “%s”", (_name, word, facts) => {
    expect(paymentStatusWord(facts)).toBe(word);
  });
});
