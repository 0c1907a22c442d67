import type { PaymentStatus } from "@prisma/client";
import { InvalidTransitionError } from "./follow-up-transitions";

/**
 * A payment session's life (spec §9): OPEN until the buyer or the provider
 * decides; PENDING may follow OPEN; RESOLVED and REJECTED are final. Repeating a
 * transition that already happened is a no-op, because Shopify's idempotency is
 * per session and mutation (§4.2) and our own worker retries.
 */
export type PaymentEvent = "pend" | "resolve" | "reject";

const TARGET: Record<PaymentEvent, PaymentStatus> = { pend: "PENDING", resolve: "RESOLVED", reject: "REJECTED" };

const ALLOWED_FROM: Record<PaymentEvent, readonly PaymentStatus[]> = {
  pend: ["OPEN"],
  resolve: ["OPEN", "PENDING"],
  reject: ["OPEN", "PENDING"],
};

/** Whether `event` would change a payment that is `from` (a repeat of what already happened is no change). */
export function paymentEventChanges(from: PaymentStatus, event: PaymentEvent): boolean {
  return ALLOWED_FROM[event].includes(from);
}

export function nextPaymentStatus(from: PaymentStatus, event: PaymentEvent): PaymentStatus {
  const to = TARGET[event];
  if (from === to || ALLOWED_FROM[event].includes(from)) return to;
  throw new InvalidTransitionError("payment", from, event);
}
