import { ACCEPT, checkCommonRules, reject, type FollowUpDecision, type FollowUpRequest, type PaymentFacts } from "./payment-facts";

/**
 * Whether a void may go ahead: only a resolved authorization with nothing
 * captured (or being captured) and no other void can be voided.
 */
export function decideVoid(payment: PaymentFacts, request: FollowUpRequest): FollowUpDecision {
  if (payment.kind !== "AUTHORIZATION") {
    return reject("NOT_AN_AUTHORIZATION", "Only an authorization can be voided; this payment was a sale.");
  }
  const broken = checkCommonRules(payment, request, "voided");
  if (broken) return broken;
  if (payment.voided) {
    return reject("AUTHORIZATION_VOIDED", "The authorization was already voided.");
  }
  if (payment.captureCommitmentsMinor > 0n) {
    return reject("ALREADY_CAPTURED", "Part of the authorization was captured, so it can no longer be voided.");
  }
  return ACCEPT;
}
