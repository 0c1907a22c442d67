import { randomUUID } from "node:crypto";
import { PaymentRejectionCode, type PaymentKind } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Money } from "../../app/payments/rules/money";
import { ProviderSignatureError, type ChargeRequest, type ChargeResult, type HostedPageContext, type PaymentProvider } from "../../app/providers/payment-provider";

/**
 * What a provider's test file hands the contract suite: a ready provider, the
 * input that makes it approve or decline a charge, and the cleanup. Providers
 * with a hosted page (charge answers "redirect") also say what the buyer does
 * there, and providers that notify the app give a forged notification.
 */
export interface ProviderContractFixture {
  provider: PaymentProvider;
  /** Input for which the provider approves a charge (at once, or once the buyer paid on its page). */
  approveInput: Record<string, string>;
  /** Input for which the provider declines a charge (at once, or once the buyer gave up on its page). */
  declineInput: Record<string, string>;
  /** The buyer on the provider's page at `url`, acting as `input` says. Required when charge answers "redirect". */
  buyerOnProviderPage?(redirect: { reference: string; url: string }, input: Record<string, string>): Promise<void>;
  /** What a hosted page needs, for providers that have one. */
  hosted?(paymentId: string): HostedPageContext;
  /** The largest amount the provider accepts in one charge (beyond it: declined, never approved). */
  largestAmountMinor?: bigint;
  /** A notification whose signature is wrong, for providers that notify (readNotification). */
  forgedNotification?(): { rawBody: string; headers: Headers };
  teardown(): Promise<void>;
}

const REJECTION_CODES: string[] = Object.values(PaymentRejectionCode);

// Currencies with 0, 2 and 3 decimals: amounts are minor units, whatever the exponent.
const CURRENCY_AMOUNTS = [
  { currency: "JPY", decimals: 0, minor: 1500n },
  { currency: "USD", decimals: 2, minor: 12345n },
  { currency: "KWD", decimals: 3, minor: 1234n },
] as const;

/**
 * The promises every PaymentProvider keeps, whatever moves the money behind it.
 * The app relies on them to retry calls whose answer it lost (every call is
 * idempotent by the app's session id), so a new provider runs this suite first.
 */
export function describeProviderContract(name: string, setup: () => Promise<ProviderContractFixture>): void {
  describe(`${name} keeps the provider contract`, () => {
    let fixture: ProviderContractFixture;

    beforeAll(async () => {
      fixture = await setup();
    });

    afterAll(async () => {
      await fixture.teardown();
    });

    // Each test charges payments of its own, so tests never see each other's records.
    function chargeRequest(input: Record<string, string>, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
      const paymentId = `contract-payment-${randomUUID()}`;
      const hosted = fixture.hosted?.(paymentId);
      return { paymentId, kind: "SALE", amount: usd(1000n), test: true, input, ...(hosted ? { hosted } : {}), ...overrides };
    }

    /**
     * Charges and follows the charge to its decision: a provider with a hosted
     * page sends the buyer there, then is asked for the state (as the return
     * page, a notification or the worker would). Answers the decision and the
     * reference the app would keep.
     */
    async function decide(request: ChargeRequest): Promise<ChargeResult> {
      const first = await fixture.provider.charge(request);
      if (first.status !== "redirect") return first;
      expect(fixture.buyerOnProviderPage, "a provider that redirects must say what the buyer does on its page").toBeDefined();
      await fixture.buyerOnProviderPage?.(first, request.input);
      return fixture.provider.chargeStatus(request.paymentId, first.reference);
    }

    async function approvedPayment(kind: PaymentKind, amount: Money): Promise<{ paymentId: string; reference: string }> {
      const request = chargeRequest(fixture.approveInput, { kind, amount });
      const result = await decide(request);
      expect(result.status).toBe("approved");
      return { paymentId: request.paymentId, reference: result.status === "approved" ? result.reference : "" };
    }

    const approved = (extra: Record<string, unknown> = {}) => expect.objectContaining({ status: "approved", reference: expect.stringMatching(/\S/), ...extra });

    describe("charge", () => {
      it("approves a charge with a non-empty reference", async () => {
        const result = await decide(chargeRequest(fixture.approveInput));

        expect(result).toEqual(approved());
      });

      it("answers a repeated charge of the same payment with the decided outcome and reference, even when the input differs", async () => {
        const first = chargeRequest(fixture.approveInput);
        const decided = await decide(first);

        const repeated = await fixture.provider.charge({ ...first, input: fixture.declineInput });

        expect(decided.status).toBe("approved");
        expect(repeated).toEqual(decided);
      });

      it("keeps a declined charge declined when it is charged again with approving input", async () => {
        const first = chargeRequest(fixture.declineInput);
        const declined = await decide(first);

        const repeated = await fixture.provider.charge({ ...first, input: fixture.approveInput });

        expect(declined.status).toBe("declined");
        expect(repeated).toEqual(declined);
      });

      it("sends the buyer to an absolute URL when it answers redirect, and never approves before the buyer paid", async () => {
        const request = chargeRequest(fixture.approveInput);
        const first = await fixture.provider.charge(request);
        if (first.status !== "redirect") return; // providers without a hosted page decide at once

        expect(first.url).toMatch(/^https?:\/\/\S+$/);
        const status = await fixture.provider.chargeStatus(request.paymentId, first.reference);
        expect(status).toEqual({ status: "redirect", reference: first.reference, url: first.url });
      });

      it("declines a charge with a PaymentRejectionCode and a message", async () => {
        const result = await decide(chargeRequest(fixture.declineInput));

        expect(result).toEqual({
          status: "declined",
          reference: expect.toBeOneOf([null, expect.stringMatching(/\S/)]),
          code: expect.toBeOneOf(REJECTION_CODES),
          message: expect.stringMatching(/\S/),
        });
      });

      for (const { currency, decimals, minor } of [
        ...CURRENCY_AMOUNTS,
        // Beyond Number.MAX_SAFE_INTEGER: only bigint holds it exactly.
        { currency: "USD", decimals: 2, minor: 9007199254740993n },
      ]) {
        it(`approves a charge of ${minor} minor units of ${currency} (${decimals} decimals) given as bigint, or declines it beyond the provider's largest`, async () => {
          const result = await decide(chargeRequest(fixture.approveInput, { amount: { minor, currency } }));

          if (fixture.largestAmountMinor !== undefined && minor > fixture.largestAmountMinor) {
            expect(result).toMatchObject({ status: "declined", code: "AMOUNT_TOO_LARGE" });
          } else {
            expect(result).toEqual(approved());
          }
        });
      }

      it("approves an authorization as it approves a sale, with any authorization deadline in the future", async () => {
        const result = await decide(chargeRequest(fixture.approveInput, { kind: "AUTHORIZATION" }));

        expect(result).toEqual(approved());
        if (result.status === "approved" && result.authorizationExpiresAt) expect(result.authorizationExpiresAt.getTime()).toBeGreaterThan(Date.now());
      });
    });

    describe("chargeStatus", () => {
      it("reports an approved charge as approved with the charge's reference (reconciliation)", async () => {
        const request = chargeRequest(fixture.approveInput);
        const charged = await decide(request);

        const status = await fixture.provider.chargeStatus(request.paymentId, charged.status === "approved" ? charged.reference : null);

        expect(charged.status).toBe("approved");
        expect(status).toEqual(charged);
      });

      it("reports a declined charge as declined with the charge's code", async () => {
        const request = chargeRequest(fixture.declineInput);
        const charged = await decide(request);

        const status = await fixture.provider.chargeStatus(request.paymentId, charged.status === "declined" ? charged.reference : null);

        expect(charged.status).toBe("declined");
        expect(status).toEqual(charged);
      });

      it("never reports a payment it was never asked to charge as approved", async () => {
        const status = await fixture.provider.chargeStatus(`contract-unknown-${randomUUID()}`);

        expect(status.status).not.toBe("approved");
      });

      it("never reports a payment as approved under another payment's reference", async () => {
        const charged = await decide(chargeRequest(fixture.approveInput));

        const status = await fixture.provider.chargeStatus(`contract-other-${randomUUID()}`, charged.status === "approved" ? charged.reference : null);

        expect(status.status).not.toBe("approved");
      });
    });

    describe("notifications", () => {
      it("refuses a notification whose signature does not verify, when the provider notifies", async () => {
        if (!fixture.provider.readNotification) return; // providers without notifications rely on chargeStatus alone
        expect(fixture.forgedNotification, "a provider that notifies must give a forged notification").toBeDefined();
        const forged = fixture.forgedNotification?.();
        if (!forged) return;

        await expect(fixture.provider.readNotification(forged)).rejects.toBeInstanceOf(ProviderSignatureError);
      });
    });

    describe("follow-ups", () => {
      it("approves a capture of an approved authorization and answers its repetition with the same result", async () => {
        const { paymentId, reference } = await approvedPayment("AUTHORIZATION", usd(5000n));
        const request = { operationId: `contract-capture-${randomUUID()}`, paymentId, paymentReference: reference, test: true, amount: usd(5000n) };

        const first = await fixture.provider.capture(request);
        const repeated = await fixture.provider.capture(request);

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(repeated).toEqual(first);
      });

      it("approves a refund of an approved sale and answers its repetition with the same result", async () => {
        const { paymentId, reference } = await approvedPayment("SALE", usd(5000n));
        const request = { operationId: `contract-refund-${randomUUID()}`, paymentId, paymentReference: reference, test: true, amount: usd(2000n) };

        const first = await fixture.provider.refund(request);
        const repeated = await fixture.provider.refund(request);

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(repeated).toEqual(first);
      });

      it("approves a void of an approved authorization and answers its repetition with the same result", async () => {
        const { paymentId, reference } = await approvedPayment("AUTHORIZATION", usd(5000n));
        const request = { operationId: `contract-void-${randomUUID()}`, paymentId, paymentReference: reference, test: true };

        const first = await fixture.provider.void(request);
        const repeated = await fixture.provider.void(request);

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(repeated).toEqual(first);
      });

      it("answers a repeated operation id with the first result even when the amount differs", async () => {
        const { paymentId, reference } = await approvedPayment("SALE", usd(5000n));
        const operationId = `contract-refund-${randomUUID()}`;

        const first = await fixture.provider.refund({ operationId, paymentId, paymentReference: reference, test: true, amount: usd(1000n) });
        const repeated = await fixture.provider.refund({ operationId, paymentId, paymentReference: reference, test: true, amount: usd(3000n) });

        expect(first.status).toBe("approved");
        expect(repeated).toEqual(first);
      });

      it("treats two refunds with different operation ids as two refunds with their own references", async () => {
        const { paymentId, reference } = await approvedPayment("SALE", usd(5000n));

        const first = await fixture.provider.refund({ operationId: `contract-refund-${randomUUID()}`, paymentId, paymentReference: reference, test: true, amount: usd(1000n) });
        const second = await fixture.provider.refund({ operationId: `contract-refund-${randomUUID()}`, paymentId, paymentReference: reference, test: true, amount: usd(1000n) });

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(second).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(second).not.toEqual(first);
      });

      for (const { currency, decimals, minor } of CURRENCY_AMOUNTS) {
        it(`captures ${minor} minor units of ${currency} (${decimals} decimals) given as bigint`, async () => {
          const amount = { minor, currency };
          const { paymentId, reference } = await approvedPayment("AUTHORIZATION", amount);

          const result = await fixture.provider.capture({ operationId: `contract-capture-${randomUUID()}`, paymentId, paymentReference: reference, test: true, amount });

          expect(result).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        });
      }
    });
  });
}

function usd(minor: bigint): Money {
  return { minor, currency: "USD" };
}
