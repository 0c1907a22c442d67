import type { Money } from "./money";
import { ACCEPT, checkCommonRules, describe, reject, type FollowUpDecision, type FollowUpRequest, type PaymentFacts } from "./payment-facts";

/**
 * Whether a capture may go ahead: only a resolved, unexpired, unvoided
 * authorization can be captured, and all captures not rejected, this one
 * included, may not exceed the authorized amount.
 */
export function decideCapture(
  payment: PaymentFacts,
  request: FollowUpRequest & { money: Money },
  now: Date,
): FollowUpDecision {
  if (payment.kind !== "AUTHORIZATION") {
    return reject("NOT_AN_AUTHORIZATION", "Only an authorization can be captured; this payment was a sale.");
  }
  const broken = checkCommonRules(payment, request, "captured");
  if (broken) return broken;
  if (payment.voided) {
    return reject("AUTHORIZATION_VOIDED", "The authorization was voided, so it cannot be captured.");
  }
  if (payment.authorizationExpiresAt && payment.authorizationExpiresAt.getTime() <= now.getTime()) {
    return reject(
      "AUTHORIZATION_EXPIRED",
      `The authorization expired at ${payment.authorizationExpiresAt.toISOString()}.`,
      "AUTHORIZATION_EXPIRED",
    );
  }
  const remaining = payment.amountMinor - payment.captureCommitmentsMinor;
  if (request.money.minor > remaining) {
    return reject(
      "AMOUNT_EXCEEDS_REMAINING",
      `A capture of ${describe(request.money.minor, payment.currency)} exceeds the ${describe(remaining < 0n ? 0n : remaining, payment.currency)} left of the ${describe(payment.amountMinor, payment.currency)} authorized.`,
    );
  }
  return ACCEPT;
}
