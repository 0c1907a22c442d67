import { randomUUID } from "node:crypto";
import type { PaymentRejectionCode } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import type { Money } from "../payments/rules/money";
import type { ChargeRequest, ChargeResult, PaymentProvider } from "./payment-provider";
import { describeProviderContract } from "../../test/support/provider-contract";
import { Card } from "../cards/card.server";
import { createSandboxProvider, decideSandboxCard, SANDBOX_CHALLENGE_ANSWERS, sandboxAuthentication, type SandboxOptions } from "./sandbox-provider.server";

/**
 * The provider's clock: it starts at the real time and moves only when a test
 * moves it, so a charge a test expects pending cannot settle because the
 * machine was slow between two calls (the "timeout" scenario's hang is real).
 */
const clock = { now: new Date() };
const advanceClock = (ms: number) => void (clock.now = new Date(clock.now.getTime() + ms));

const OPTIONS: SandboxOptions = {
  pendingSeconds: 0.2,
  hangMs: 100,
  challengeUrl: (paymentId) => `https://app.test/pay/${paymentId}/challenge`,
  now: () => clock.now,
};

describeProviderContract("sandbox provider", async () => {
  const database = await createTestDatabase();
  return {
    provider: createSandboxProvider(database.db, OPTIONS),
    approveInput: { scenario: "approve" },
    declineInput: { scenario: "decline", declineCode: "INSUFFICIENT_FUNDS" },
    teardown: () => database.drop(),
  };
});

describe("sandbox provider", () => {
  let database: TestDatabase;
  let provider: PaymentProvider;

  beforeAll(async () => {
    database = await createTestDatabase();
    provider = createSandboxProvider(database.db, OPTIONS);
  });

  afterAll(async () => {
    await database.drop();
  });

  /** A USD 10.00 test sale of a payment of its own, with the given payment-page input. */
  function chargeRequest(input: Record<string, string>, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
    return { paymentId: `sbx-test-${randomUUID()}`, kind: "SALE", amount: usd(1000n), test: true, input, ...overrides };
  }

  /** Moves the provider's clock past a pending answer's checkAfter. */
  function waitPast(result: ChargeResult): void {
    if (result.status !== "pending") throw new Error(`expected a pending charge, got ${result.status}`);
    clock.now = new Date(result.checkAfter.getTime() + 1);
  }

  describe("scenarios", () => {
    it("approves a charge without a scenario", async () => {
      const request = chargeRequest({});

      expect(await provider.charge(request)).toEqual({ status: "approved", reference: `sbx_${request.paymentId}` });
    });

    it("approves a charge with an unknown scenario", async () => {
      const request = chargeRequest({ scenario: "surprise-me" });

      expect(await provider.charge(request)).toEqual({ status: "approved", reference: `sbx_${request.paymentId}` });
    });

    it("records the charged amount exactly in minor units, beyond what a float holds", async () => {
      const request = chargeRequest({ scenario: "approve" }, { amount: usd(9007199254740993n) });

      await provider.charge(request);

      const stored = await database.db.sandboxCharge.findUniqueOrThrow({ where: { paymentId: request.paymentId } });
      expect({ amountMinor: stored.amountMinor, currency: stored.currency }).toEqual({ amountMinor: 9007199254740993n, currency: "USD" });
    });
  });

  describe("decline", () => {
    it.each<PaymentRejectionCode>(["CARD_DECLINED", "INSUFFICIENT_FUNDS", "EXPIRED_CARD", "FRAUD_SUSPECTED", "PROCESSING_ERROR"])(
      "declines with the chosen declineCode %s",
      async (declineCode) => {
        const request = chargeRequest({ scenario: "decline", declineCode });

        expect(await provider.charge(request)).toEqual({
          status: "declined",
          reference: `sbx_${request.paymentId}`,
          code: declineCode,
          message: "Declined by the sandbox provider.",
        });
      },
    );

    for (const { why, declineCode } of [
      { why: "a code that does not exist", declineCode: "NOT_A_CODE" },
      { why: "a real code the sandbox does not offer", declineCode: "RISKY" },
      { why: "an empty code", declineCode: "" },
    ]) {
      it(`falls back to CARD_DECLINED for ${why}`, async () => {
        const request = chargeRequest({ scenario: "decline", declineCode });

        expect(await provider.charge(request)).toEqual({
          status: "declined",
          reference: `sbx_${request.paymentId}`,
          code: "CARD_DECLINED",
          message: "Declined by the sandbox provider.",
        });
      });
    }

    it("falls back to CARD_DECLINED when no declineCode is given", async () => {
      const request = chargeRequest({ scenario: "decline" });

      expect(await provider.charge(request)).toEqual({
        status: "declined",
        reference: `sbx_${request.paymentId}`,
        code: "CARD_DECLINED",
        message: "Declined by the sandbox provider.",
      });
    });

    it("answers chargeStatus for a payment it never charged as declined with PROCESSING_ERROR and no reference", async () => {
      expect(await provider.chargeStatus(`sbx-unknown-${randomUUID()}`)).toEqual({
        status: "declined",
        reference: null,
        code: "PROCESSING_ERROR",
        message: "The sandbox has no charge for this payment.",
      });
    });
  });

  describe("pending", () => {
    it("asks to check a pending charge again pendingSeconds after it was made", async () => {
      const madeAt = clock.now.getTime();
      const result = await provider.charge(chargeRequest({ scenario: "pending-approve" }));

      if (result.status !== "pending") throw new Error(`expected a pending charge, got ${result.status}`);
      expect(result.checkAfter.getTime()).toBe(madeAt + 200);
    });

    it("keeps a pending-approve charge pending until pendingSeconds have passed, then approves it", async () => {
      const request = chargeRequest({ scenario: "pending-approve" });
      const charged = await provider.charge(request);
      const early = await provider.chargeStatus(request.paymentId);

      waitPast(charged);
      const settled = await provider.chargeStatus(request.paymentId);

      expect(charged).toEqual({ status: "pending", reference: `sbx_${request.paymentId}`, checkAfter: expect.any(Date) });
      expect(early).toEqual(charged);
      expect(settled).toEqual({ status: "approved", reference: `sbx_${request.paymentId}` });
    });

    it("keeps a pending-decline charge pending until pendingSeconds have passed, then declines it with CARD_DECLINED", async () => {
      const request = chargeRequest({ scenario: "pending-decline" });
      const charged = await provider.charge(request);
      const early = await provider.chargeStatus(request.paymentId);

      waitPast(charged);
      const settled = await provider.chargeStatus(request.paymentId);

      expect(charged).toEqual({ status: "pending", reference: `sbx_${request.paymentId}`, checkAfter: expect.any(Date) });
      expect(early).toEqual(charged);
      expect(settled).toEqual({
        status: "declined",
        reference: `sbx_${request.paymentId}`,
        code: "CARD_DECLINED",
        message: "Declined by the sandbox provider.",
      });
    });

    it("does not let completeChallenge decide a pending charge that was never challenged", async () => {
      const request = chargeRequest({ scenario: "pending-approve" });
      const charged = await provider.charge(request);

      const answered = await provider.completeChallenge(request.paymentId, { challenge: "fail" });

      expect(answered).toEqual(charged);
    });
  });

  describe("challenge", () => {
    it("asks for a challenge at the challengeUrl of the payment", async () => {
      const request = chargeRequest({ scenario: "challenge" });

      expect(await provider.charge(request)).toEqual({
        status: "challenge",
        reference: `sbx_${request.paymentId}`,
        url: `https://app.test/pay/${request.paymentId}/challenge`,
      });
    });

    it("keeps waiting on the challenge however much time passes", async () => {
      const request = chargeRequest({ scenario: "challenge" });
      const charged = await provider.charge(request);

      advanceClock(3_600_000);

      expect(await provider.chargeStatus(request.paymentId)).toEqual(charged);
    });

    it("approves a challenged charge whose challenge the buyer passed", async () => {
      const request = chargeRequest({ scenario: "challenge" });
      await provider.charge(request);

      const answered = await provider.completeChallenge(request.paymentId, { challenge: "pass" });

      expect(answered).toEqual({ status: "approved", reference: `sbx_${request.paymentId}` });
      expect(await provider.chargeStatus(request.paymentId)).toEqual(answered);
    });

    it("declines with AUTHENTICATION_FAILED a challenged charge whose challenge the buyer failed", async () => {
      const request = chargeRequest({ scenario: "challenge" });
      await provider.charge(request);

      const answered = await provider.completeChallenge(request.paymentId, { challenge: "fail" });

      expect(answered).toEqual({
        status: "declined",
        reference: `sbx_${request.paymentId}`,
        code: "AUTHENTICATION_FAILED",
        message: "Declined by the sandbox provider.",
      });
      expect(await provider.chargeStatus(request.paymentId)).toEqual(answered);
    });

    for (const { first, second, decided } of [
      { first: "pass", second: "fail", decided: "approved" },
      { first: "fail", second: "pass", decided: "declined" },
    ]) {
      it(`keeps a challenge ${decided} when the buyer who answered "${first}" answers "${second}" again`, async () => {
        const request = chargeRequest({ scenario: "challenge" });
        await provider.charge(request);
        const answered = await provider.completeChallenge(request.paymentId, { challenge: first });

        const again = await provider.completeChallenge(request.paymentId, { challenge: second });

        expect(answered.status).toBe(decided);
        expect(again).toEqual(answered);
      });
    }

    it("answers completeChallenge for a payment it never charged as declined with PROCESSING_ERROR", async () => {
      expect(await provider.completeChallenge(`sbx-unknown-${randomUUID()}`, { challenge: "pass" })).toEqual({
        status: "declined",
        reference: null,
        code: "PROCESSING_ERROR",
        message: "The sandbox has no charge for this payment.",
      });
    });
  });

  describe("timeout", () => {
    it("keeps the caller waiting hangMs, then answers that the charge is still pending", async () => {
      const request = chargeRequest({ scenario: "timeout" });

      const started = performance.now();
      const result = await provider.charge(request);
      const elapsedMs = performance.now() - started;

      // Node's timers count whole milliseconds: a 100 ms wait may measure 99.x ms on a finer clock.
      expect(elapsedMs).toBeGreaterThanOrEqual(OPTIONS.hangMs - 5);
      expect(result).toEqual({ status: "pending", reference: `sbx_${request.paymentId}`, checkAfter: expect.any(Date) });
    });

    it("settles a timed-out charge as approved once pendingSeconds have passed", async () => {
      const request = chargeRequest({ scenario: "timeout" });
      const charged = await provider.charge(request);

      waitPast(charged);

      expect(await provider.chargeStatus(request.paymentId)).toEqual({ status: "approved", reference: `sbx_${request.paymentId}` });
    });
  });

  describe("follow-ups", () => {
    it("declines a refund of 10.99, an amount whose minor units end in 99", async () => {
      const paymentId = await approvedSale();

      const result = await provider.refund({ operationId: `sbx-refund-${randomUUID()}`, paymentId, test: true, amount: usd(1099n) });

      expect(result).toEqual({ status: "declined", message: "The sandbox declines refunds of amounts ending in 99." });
    });

    it("approves a refund of 10.97 with a reference naming the operation", async () => {
      const paymentId = await approvedSale();
      const operationId = `sbx-refund-${randomUUID()}`;

      const result = await provider.refund({ operationId, paymentId, test: true, amount: usd(1097n) });

      expect(result).toEqual({ status: "approved", reference: `sbx_refund_${operationId}` });
    });

    it("declines a capture of 10.99, an amount whose minor units end in 99", async () => {
      const paymentId = await approvedSale();

      const result = await provider.capture({ operationId: `sbx-capture-${randomUUID()}`, paymentId, test: true, amount: usd(1099n) });

      expect(result).toEqual({ status: "declined", message: "The sandbox declines captures of amounts ending in 99." });
    });

    it("never answers a refund of 1.98 (ending in 98), so staff can settle a stuck operation", async () => {
      const paymentId = await approvedSale();
      const request = { operationId: `sbx-refund-${randomUUID()}`, paymentId, test: true, amount: usd(198n) };

      expect(await provider.refund(request)).toEqual({ status: "unknown" });
      expect(await provider.refund(request)).toEqual({ status: "unknown" });
    });

    it("answers a repeated declined refund with the same decline", async () => {
      const paymentId = await approvedSale();
      const request = { operationId: `sbx-refund-${randomUUID()}`, paymentId, test: true, amount: usd(1099n) };
      const first = await provider.refund(request);

      const repeated = await provider.refund({ ...request, amount: usd(1097n) });

      expect(first.status).toBe("declined");
      expect(repeated).toEqual(first);
    });
  });

  async function approvedSale(): Promise<string> {
    const request = chargeRequest({ scenario: "approve" }, { amount: usd(5000n) });
    const result = await provider.charge(request);
    if (result.status !== "approved") throw new Error(`expected an approved charge, got ${result.status}`);
    return request.paymentId;
  }
});

function usd(minor: bigint): Money {
  return { minor, currency: "USD" };
}

describe("sandbox provider test cards", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  const card = (pan: string, extra: { month?: number; year?: number; cvc?: string } = {}) =>
    new Card({ pan, verificationValue: extra.cvc ?? "123", fullName: "Jim Smith", expiryMonth: extra.month ?? 12, expiryYear: extra.year ?? 2029 });

  it.each([
    ["4242424242424242", {}, { scenario: "approve" }],
    ["4000000000000002", {}, { scenario: "decline", declineCode: "CARD_DECLINED" }],
    ["4000000000009995", {}, { scenario: "decline", declineCode: "INSUFFICIENT_FUNDS" }],
    ["4000002760003184", {}, { scenario: "challenge" }],
    ["4000001234567899", {}, { scenario: "timeout" }],
    ["4242424242424242", { month: 11, year: 2026 }, { scenario: "decline", declineCode: "EXPIRED_CARD" }],
    ["4242424242424241", {}, { scenario: "decline", declineCode: "INCORRECT_NUMBER" }],
    ["4242424242424242", { cvc: "000" }, { scenario: "decline", declineCode: "INCORRECT_CVC" }],
  ] as const)("answers %s %o with %o", (pan, extra, decision) => {
    expect(decideSandboxCard(card(pan, extra), false, now)).toEqual(decision);
  });

  it("keeps the caller of the no-answer card waiting hangMs, never answers pending for it, and settles it as approved", async () => {
    const database = await createTestDatabase();
    try {
      const cards = createSandboxProvider(database.db, OPTIONS);
      const paymentId = `sbx-card-${randomUUID()}`;
      const request = { paymentId, kind: "SALE" as const, amount: usd(500n), test: true, card: card("4000001234567899"), moto: false, clientDetails: null };
      const startedAt = Date.now();
      const answer = await cards.chargeCard(request);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(OPTIONS.hangMs - 5);
      expect(answer.status).toBe("unknown");
      expect(await database.db.sandboxCharge.count({ where: { paymentId } })).toBe(1);
      advanceClock(OPTIONS.pendingSeconds * 1000);
      expect(await cards.chargeStatus(paymentId, null)).toEqual({ status: "approved", reference: `sbx_${paymentId}` });
    } finally {
      await database.drop();
    }
  });

  it("skips 3-D Secure for a mail or telephone order", () => {
    expect(decideSandboxCard(card("4000002760003184"), true, now)).toEqual({ scenario: "approve" });
  });

  it("reports authentication data that follows Shopify's rules for every challenge answer", () => {
    for (const answer of SANDBOX_CHALLENGE_ANSWERS) {
      const authentication = sandboxAuthentication(answer);
      if (!("authenticationData" in authentication)) throw new Error("expected authentication data");
      const data = authentication.authenticationData;
      expect(data.authenticationFlow === "CHALLENGE" && data.transStatus === "I").toBe(false);
      if (data.transStatus === "N" || data.transStatus === "R") expect(data.chargebackLiability).toBe("MERCHANT");
      if (["N", "U", "R"].includes(data.transStatus)) expect(data.transStatusReason).toMatch(/^(0[1-9]|1[0-9]|2[0-6]|[89][0-9])$/);
    }
  });
});
