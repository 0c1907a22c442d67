import { ACCEPT, checkCommonRules, describe, reject, type FollowUpDecision, type FollowUpRequest, type PaymentFacts } from "./payment-facts";
import type { Money } from "./money";

/**
 * Whether a refund may go ahead: the payment must be resolved, and all refunds
 * not rejected, this one included, may not exceed what was taken: the sale's
 * amount, or what was captured of an authorization.
 */
export function decideRefund(payment: PaymentFacts, request: FollowUpRequest & { money: Money }): FollowUpDecision {
  const broken = checkCommonRules(payment, request, "refunded");
  if (broken) return broken;
  const taken = payment.kind === "SALE" ? payment.amountMinor : payment.capturedMinor;
  const remaining = taken - payment.refundCommitmentsMinor;
  if (request.money.minor > remaining) {
    return reject(
      "AMOUNT_EXCEEDS_REMAINING",
      `A refund of ${describe(request.money.minor, payment.currency)} exceeds the ${describe(remaining < 0n ? 0n : remaining, payment.currency)} left to refund of the ${describe(taken, payment.currency)} taken.`,
    );
  }
  return ACCEPT;
}
