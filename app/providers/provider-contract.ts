import { randomUUID } from "node:crypto";
import { PaymentRejectionCode, type PaymentKind } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Money } from "../payments/money";
import type { ChargeRequest, PaymentProvider } from "./payment-provider";

/**
 * What a provider's test file hands the contract suite: a ready provider, the
 * payment-page input that makes it approve or decline a charge, and the cleanup.
 */
export interface ProviderContractFixture {
  provider: PaymentProvider;
  /** Input for which the provider approves a charge at once. */
  approveInput: Record<string, string>;
  /** Input for which the provider declines a charge at once. */
  declineInput: Record<string, string>;
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
      return { paymentId: `contract-payment-${randomUUID()}`, kind: "SALE", amount: usd(1000n), test: true, input, ...overrides };
    }

    async function approvedPayment(kind: PaymentKind, amount: Money): Promise<string> {
      const request = chargeRequest(fixture.approveInput, { kind, amount });
      const result = await fixture.provider.charge(request);
      expect(result.status).toBe("approved");
      return request.paymentId;
    }

    describe("charge", () => {
      it("approves a charge with a non-empty reference", async () => {
        const result = await fixture.provider.charge(chargeRequest(fixture.approveInput));

        expect(result).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
      });

      it("answers a repeated charge of the same payment with the first outcome and reference, even when the input differs", async () => {
        const first = chargeRequest(fixture.approveInput);
        const approved = await fixture.provider.charge(first);

        const repeated = await fixture.provider.charge({ ...first, input: fixture.declineInput });

        expect(approved.status).toBe("approved");
        expect(repeated).toEqual(approved);
      });

      it("keeps a declined charge declined when it is charged again with approving input", async () => {
        const first = chargeRequest(fixture.declineInput);
        const declined = await fixture.provider.charge(first);

        const repeated = await fixture.provider.charge({ ...first, input: fixture.approveInput });

        expect(declined.status).toBe("declined");
        expect(repeated).toEqual(declined);
      });

      it("declines a charge with a PaymentRejectionCode and a message", async () => {
        const result = await fixture.provider.charge(chargeRequest(fixture.declineInput));

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
        it(`approves a charge of ${minor} minor units of ${currency} (${decimals} decimals) given as bigint`, async () => {
          const result = await fixture.provider.charge(chargeRequest(fixture.approveInput, { amount: { minor, currency } }));

          expect(result).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        });
      }

      it("approves an authorization as it approves a sale", async () => {
        const result = await fixture.provider.charge(chargeRequest(fixture.approveInput, { kind: "AUTHORIZATION" }));

        expect(result).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
      });
    });

    describe("chargeStatus", () => {
      it("reports an approved charge as approved with the charge's reference", async () => {
        const request = chargeRequest(fixture.approveInput);
        const charged = await fixture.provider.charge(request);

        const status = await fixture.provider.chargeStatus(request.paymentId);

        expect(charged.status).toBe("approved");
        expect(status).toEqual(charged);
      });

      it("reports a declined charge as declined with the charge's code", async () => {
        const request = chargeRequest(fixture.declineInput);
        const charged = await fixture.provider.charge(request);

        const status = await fixture.provider.chargeStatus(request.paymentId);

        expect(charged.status).toBe("declined");
        expect(status).toEqual(charged);
      });

      it("never reports a payment it was never asked to charge as approved", async () => {
        const status = await fixture.provider.chargeStatus(`contract-unknown-${randomUUID()}`);

        expect(status.status).not.toBe("approved");
      });
    });

    describe("follow-ups", () => {
      it("approves a capture of an approved authorization and answers its repetition with the same result", async () => {
        const paymentId = await approvedPayment("AUTHORIZATION", usd(5000n));
        const request = { operationId: `contract-capture-${randomUUID()}`, paymentId, test: true, amount: usd(5000n) };

        const first = await fixture.provider.capture(request);
        const repeated = await fixture.provider.capture(request);

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(repeated).toEqual(first);
      });

      it("approves a refund of an approved sale and answers its repetition with the same result", async () => {
        const paymentId = await approvedPayment("SALE", usd(5000n));
        const request = { operationId: `contract-refund-${randomUUID()}`, paymentId, test: true, amount: usd(2000n) };

        const first = await fixture.provider.refund(request);
        const repeated = await fixture.provider.refund(request);

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(repeated).toEqual(first);
      });

      it("approves a void of an approved authorization and answers its repetition with the same result", async () => {
        const paymentId = await approvedPayment("AUTHORIZATION", usd(5000n));
        const request = { operationId: `contract-void-${randomUUID()}`, paymentId, test: true };

        const first = await fixture.provider.void(request);
        const repeated = await fixture.provider.void(request);

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(repeated).toEqual(first);
      });

      it("answers a repeated operation id with the first result even when the amount differs", async () => {
        const paymentId = await approvedPayment("SALE", usd(5000n));
        const operationId = `contract-refund-${randomUUID()}`;

        const first = await fixture.provider.refund({ operationId, paymentId, test: true, amount: usd(1000n) });
        const repeated = await fixture.provider.refund({ operationId, paymentId, test: true, amount: usd(3000n) });

        expect(first.status).toBe("approved");
        expect(repeated).toEqual(first);
      });

      it("treats two refunds with different operation ids as two refunds with their own references", async () => {
        const paymentId = await approvedPayment("SALE", usd(5000n));

        const first = await fixture.provider.refund({ operationId: `contract-refund-${randomUUID()}`, paymentId, test: true, amount: usd(1000n) });
        const second = await fixture.provider.refund({ operationId: `contract-refund-${randomUUID()}`, paymentId, test: true, amount: usd(1000n) });

        expect(first).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(second).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        expect(second).not.toEqual(first);
      });

      for (const { currency, decimals, minor } of CURRENCY_AMOUNTS) {
        it(`captures ${minor} minor units of ${currency} (${decimals} decimals) given as bigint`, async () => {
          const amount = { minor, currency };
          const paymentId = await approvedPayment("AUTHORIZATION", amount);

          const result = await fixture.provider.capture({ operationId: `contract-capture-${randomUUID()}`, paymentId, test: true, amount });

          expect(result).toEqual({ status: "approved", reference: expect.stringMatching(/\S/) });
        });
      }
    });
  });
}

function usd(minor: bigint): Money {
  return { minor, currency: "USD" };
}
