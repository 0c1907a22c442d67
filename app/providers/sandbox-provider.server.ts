import type { PaymentRejectionCode } from "@prisma/client";
import type { Db } from "../db.server";
import { isCardExpired, passesLuhn } from "../cards/card-summary";
import type { Card } from "../cards/card.server";
import type {
  CardChargeRequest,
  CardChargeResult,
  CardPaymentProvider,
  ChargeRequest,
  ChargeResult,
  FollowUpRequest,
  FollowUpResult,
  PaymentProvider,
  ThreeDSecureAuthentication,
} from "./payment-provider";

/**
 * The built-in sandbox provider: no money moves. The buyer picks the outcome on
 * the payment page (`input.scenario`); the sandbox keeps its own records, like a
 * real provider, so outcomes survive restarts and repeated calls are idempotent.
 *
 * Scenarios: approve, decline (with `input.declineCode`), pending-approve,
 * pending-decline (settle after `pendingSeconds`), challenge (3-D Secure page
 * first), timeout (no answer in time; settles as approved after `pendingSeconds`).
 * Refunds, captures and voids are approved, except amounts whose minor units end
 * in 99 (e.g. 10.99), which the sandbox declines, and in 98 (e.g. 1.98), which it
 * never answers (they wait for staff to settle them in the admin), so declines
 * and stuck operations can be tried too.
 */
export const SANDBOX_SCENARIOS = ["approve", "decline", "pending-approve", "pending-decline", "challenge", "timeout"] as const;
export type SandboxScenario = (typeof SANDBOX_SCENARIOS)[number];

/** The sandbox provider's name: it takes test payments of shops with no connected test account. */
export const SANDBOX_PROVIDER_NAME = "sandbox";

export const SANDBOX_DECLINE_CODES: readonly PaymentRejectionCode[] = [
  "CARD_DECLINED",
  "INSUFFICIENT_FUNDS",
  "EXPIRED_CARD",
  "FRAUD_SUSPECTED",
  "PROCESSING_ERROR",
];

export interface SandboxOptions {
  /** How long pending and timed-out charges take to settle. */
  pendingSeconds: number;
  /** How long the "timeout" scenario keeps the caller waiting (longer than its timeout). */
  hangMs: number;
  /** The app page where the buyer answers the challenge. */
  challengeUrl: (paymentId: string) => string;
  /** The clock charges settle by (tests pass their own, so a busy machine cannot settle a charge they expect pending). */
  now?: () => Date;
}

/**
 * Cards answer by number, like the payment providers' test cards (SANDBOX_TEST_CARDS);
 * any other number that passes the Luhn check is approved. Checked in this order:
 * a number failing the Luhn check is incorrect, then an expired card is declined as
 * expired, then CVC 000 as incorrect, then the test numbers. A mail or telephone
 * order (moto) skips 3-D Secure, which needs the buyer.
 */
export const SANDBOX_TEST_CARDS = {
  approve: "4242424242424242",
  decline: "4000000000000002",
  insufficientFunds: "4000000000009995",
  threeDSecure: "4000002760003184",
  /** Recorded (and approved once pendingSeconds have passed), but the call never answers in time: for crash and timeout tests. */
  noAnswer: "4000001234567899",
} as const;

type CardDecision = { scenario: "approve" } | { scenario: "decline"; declineCode: PaymentRejectionCode } | { scenario: "challenge" } | { scenario: "timeout" };

export function decideSandboxCard(card: Card, moto: boolean, now: Date): CardDecision {
  if (!passesLuhn(card.pan)) return { scenario: "decline", declineCode: "INCORRECT_NUMBER" };
  if (isCardExpired({ month: card.expiryMonth, year: card.expiryYear }, now)) return { scenario: "decline", declineCode: "EXPIRED_CARD" };
  if (card.verificationValue === "000") return { scenario: "decline", declineCode: "INCORRECT_CVC" };
  switch (card.pan) {
    case SANDBOX_TEST_CARDS.decline:
      return { scenario: "decline", declineCode: "CARD_DECLINED" };
    case SANDBOX_TEST_CARDS.insufficientFunds:
      return { scenario: "decline", declineCode: "INSUFFICIENT_FUNDS" };
    case SANDBOX_TEST_CARDS.threeDSecure:
      return moto ? { scenario: "approve" } : { scenario: "challenge" };
    case SANDBOX_TEST_CARDS.noAnswer:
      return { scenario: "timeout" };
    default:
      return { scenario: "approve" };
  }
}

/** The buyer's answers on the sandbox's 3-D Secure page. */
export const SANDBOX_CHALLENGE_ANSWERS = ["pass", "fail", "frictionless"] as const;
export type SandboxChallengeAnswer = (typeof SANDBOX_CHALLENGE_ANSWERS)[number];

/** The authentication data a 3-D Secure server would report for each answer (spec §8's rules hold). */
export function sandboxAuthentication(answer: SandboxChallengeAnswer): ThreeDSecureAuthentication {
  switch (answer) {
    case "pass":
      return { authenticationData: { authenticationFlow: "CHALLENGE", chargebackLiability: "UNKNOWN", transStatus: "Y", version: "V2_2" } };
    case "frictionless":
      return { authenticationData: { authenticationFlow: "FRICTIONLESS", chargebackLiability: "UNKNOWN", transStatus: "Y", version: "V2_2" } };
    case "fail":
      // 01: card authentication failed (EMVCo transStatusReason).
      return { authenticationData: { authenticationFlow: "CHALLENGE", chargebackLiability: "MERCHANT", transStatus: "N", transStatusReason: "01", version: "V2_2" } };
  }
}

export function createSandboxProvider(db: Db, options: SandboxOptions): PaymentProvider & CardPaymentProvider {
  const now = options.now ?? (() => new Date());
  const settled = (charge: { paymentId: string; result: string | null; declineCode: string | null; scenario: string; settlesAt: Date }): ChargeResult => {
    const reference = `sbx_${charge.paymentId}`;
    if (charge.result === "approved") return { status: "approved", reference };
    if (charge.result === "declined") {
      return { status: "declined", reference, code: (charge.declineCode ?? "CARD_DECLINED") as PaymentRejectionCode, message: "Declined by the sandbox provider." };
    }
    if (charge.scenario === "challenge") return { status: "challenge", reference, url: options.challengeUrl(charge.paymentId) };
    return { status: "pending", reference, checkAfter: charge.settlesAt };
  };

  async function load(paymentId: string) {
    const charge = await db.sandboxCharge.findUnique({ where: { paymentId } });
    if (!charge) return null;
    // Pending and timed-out charges settle by themselves once their time has come.
    if (charge.result === null && charge.scenario !== "challenge" && charge.settlesAt.getTime() <= now().getTime()) {
      const result = charge.scenario === "pending-decline" ? "declined" : "approved";
      return db.sandboxCharge.update({ where: { paymentId }, data: { result, declineCode: result === "declined" ? "CARD_DECLINED" : null } });
    }
    return charge;
  }

  return {
    name: SANDBOX_PROVIDER_NAME,

    async charge(request: ChargeRequest): Promise<ChargeResult> {
      const scenario = parseScenario(request.input.scenario);
      const declineCode = SANDBOX_DECLINE_CODES.find((code) => code === request.input.declineCode) ?? "CARD_DECLINED";
      const immediate = scenario === "approve" ? "approved" : scenario === "decline" ? "declined" : null;
      // One statement (insert unless present): charging again is a no-op, the first call decided.
      const settlesAt = new Date(now().getTime() + options.pendingSeconds * 1000);
      await db.$executeRaw`
        INSERT INTO "SandboxCharge" ("paymentId", "kind", "amountMinor", "currency", "scenario", "declineCode", "settlesAt", "result", "createdAt")
        VALUES (${request.paymentId}, ${request.kind}, ${request.amount.minor}, ${request.amount.currency}, ${scenario},
                ${scenario === "decline" ? declineCode : null}, ${settlesAt}, ${immediate}, ${new Date()})
        ON CONFLICT ("paymentId") DO NOTHING`;
      if (scenario === "timeout") await new Promise((resolve) => setTimeout(resolve, options.hangMs));
      const charge = await load(request.paymentId);
      if (!charge) throw new Error("sandbox charge vanished");
      return settled(charge);
    },

    async chargeStatus(paymentId: string): Promise<ChargeResult> {
      const charge = await load(paymentId);
      if (!charge) return { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "The sandbox has no charge for this payment." };
      return settled(charge);
    },

    async completeChallenge(paymentId: string, input: Record<string, string>): Promise<ChargeResult> {
      const charge = await load(paymentId);
      if (!charge) return { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "The sandbox has no charge for this payment." };
      // Only a charge waiting on its challenge is decided here; a pending one settles by time.
      if (charge.result === null && charge.scenario === "challenge") {
        const passed = input.challenge === "pass" || input.challenge === "frictionless";
        const updated = await db.sandboxCharge.update({
          where: { paymentId },
          data: { result: passed ? "approved" : "declined", declineCode: passed ? null : "AUTHENTICATION_FAILED" },
        });
        return settled(updated);
      }
      return settled(charge);
    },

    async chargeCard(request: CardChargeRequest): Promise<CardChargeResult> {
      const decision = decideSandboxCard(request.card, request.moto, now());
      const declineCode = decision.scenario === "decline" ? decision.declineCode : null;
      const result = decision.scenario === "approve" ? "approved" : decision.scenario === "decline" ? "declined" : null;
      // A charge that does not answer settles (approved) like the offsite timeout scenario.
      const settlesAt = decision.scenario === "timeout" ? new Date(now().getTime() + options.pendingSeconds * 1000) : now();
      // The card itself is not kept, like a real provider's answer it is the decision that is.
      await db.$executeRaw`
        INSERT INTO "SandboxCharge" ("paymentId", "kind", "amountMinor", "currency", "scenario", "declineCode", "settlesAt", "result", "createdAt")
        VALUES (${request.paymentId}, ${request.kind}, ${request.amount.minor}, ${request.amount.currency}, ${decision.scenario},
                ${declineCode}, ${settlesAt}, ${result}, ${new Date()})
        ON CONFLICT ("paymentId") DO NOTHING`;
      if (decision.scenario === "timeout") await new Promise((resolve) => setTimeout(resolve, options.hangMs));
      const charge = await load(request.paymentId);
      if (!charge) throw new Error("sandbox charge vanished");
      return cardResult(settled(charge), charge.scenario);
    },

    async completeCardChallenge(paymentId: string, input: Record<string, string>): Promise<CardChargeResult> {
      const charge = await load(paymentId);
      if (!charge) return { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "The sandbox has no charge for this payment." };
      if (charge.result === null && charge.scenario === "challenge") {
        const answer = SANDBOX_CHALLENGE_ANSWERS.find((a) => a === input.challenge) ?? "fail";
        const passed = answer !== "fail";
        // Compare-and-set: a second answer (another tab) finds the first one's decision.
        await db.sandboxCharge.updateMany({
          where: { paymentId, result: null },
          data: { scenario: `challenge-${answer}`, result: passed ? "approved" : "declined", declineCode: passed ? null : "AUTHENTICATION_FAILED" },
        });
      }
      const decided = await load(paymentId);
      if (!decided) throw new Error("sandbox charge vanished");
      return cardResult(settled(decided), decided.scenario);
    },

    capture: (request) => followUp(db, "capture", request, request.amount.minor),
    refund: (request) => followUp(db, "refund", request, request.amount.minor),
    void: (request) => followUp(db, "void", request, null),
  };
}

async function followUp(db: Db, kind: string, request: FollowUpRequest, amountMinor: bigint | null): Promise<FollowUpResult> {
  if (amountMinor !== null && amountMinor % 100n === 98n) return { status: "unknown" };
  const decided = amountMinor !== null && amountMinor % 100n === 99n ? "declined" : "approved";
  await db.$executeRaw`
    INSERT INTO "SandboxOperation" ("id", "kind", "paymentId", "amountMinor", "result", "createdAt")
    VALUES (${request.operationId}, ${kind}, ${request.paymentId}, ${amountMinor}, ${decided}, ${new Date()})
    ON CONFLICT ("id") DO NOTHING`;
  const operation = await db.sandboxOperation.findUniqueOrThrow({ where: { id: request.operationId } });
  return operation.result === "approved"
    ? { status: "approved", reference: `sbx_${kind}_${operation.id}` }
    : { status: "declined", message: `The sandbox declines ${kind}s of amounts ending in 99.` };
}

/** A card charge's answer: never pending; the 3-D Secure result once the buyer answered. */
function cardResult(result: ChargeResult, scenario: string): CardChargeResult {
  if (result.status === "pending") return { status: "unknown", checkAfter: result.checkAfter };
  const answer = SANDBOX_CHALLENGE_ANSWERS.find((a) => scenario === `challenge-${a}`);
  return answer ? { ...result, authentication: sandboxAuthentication(answer) } : result;
}

function parseScenario(value: string | undefined): SandboxScenario {
  return SANDBOX_SCENARIOS.find((scenario) => scenario === value) ?? "approve";
}
