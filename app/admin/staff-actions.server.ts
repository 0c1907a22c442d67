import type { FollowUpStatus, PaymentRejectionCode, PaymentSession, PaymentStatus, StaffAction } from "@prisma/client";
import { $Enums } from "@prisma/client";
import { z } from "zod";
import { recordAudit } from "../audit/audit-trail.server";
import type { Db } from "../db.server";
import { retryDeliveryNow } from "../delivery/send-delivery.server";
import { HttpError } from "../http/http-error";
import { applyFollowUpOutcome, type FollowUpKind } from "../payments/outcomes/apply-follow-up-outcome.server";
import { FOLLOW_UP_REJECTION_CODES, InvalidTransitionError } from "../payments/rules/follow-up-transitions";
import { paymentEventChanges } from "../payments/rules/payment-transitions";
import { applyPaymentOutcome } from "../payments/outcomes/payment-outcomes.server";
import { rejectionCodesForVersion } from "../payments/rules/payment-rejection-codes";
import type { StaffContext } from "./staff.server";

/**
 * What staff may do to a session, through the same outcome functions (and so
 * the same transition rules and durable delivery) as automatic processing. Each
 * action is scoped to the staff member's shop and recorded in the audit trail
 * in its own transaction. Which actions the current state allows, and why not
 * otherwise, is decided here once, for the page and for the action alike.
 */
export interface ActionAvailability {
  allowed: boolean;
  /** Why it is not allowed (shown next to the disabled button). */
  reason: string | null;
}

const allowed: ActionAvailability = { allowed: true, reason: null };
const refused = (reason: string): ActionAvailability => ({ allowed: false, reason });

/** Which staff actions a payment's status allows, as payment-transitions.ts decides it (ALLOWED_FROM). */
export function paymentActions(status: PaymentStatus): Record<"resolve" | "reject" | "pend", ActionAvailability> {
  const availability = (event: "resolve" | "reject" | "pend"): ActionAvailability => {
    if (paymentEventChanges(status, event)) return allowed;
    if (status === "RESOLVED" || status === "REJECTED") return refused(`The payment is already ${status.toLowerCase()}; Shopify accepts one final outcome.`);
    return refused(`The payment is already ${status.toLowerCase()}.`);
  };
  return { resolve: availability("resolve"), reject: availability("reject"), pend: availability("pend") };
}

export function followUpActions(status: FollowUpStatus): Record<"resolve" | "reject", ActionAvailability> {
  const final = status === "RECEIVED" ? allowed : refused(`Already ${status.toLowerCase()}; Shopify accepts one final outcome.`);
  return { resolve: final, reject: final };
}

export function deliveryRetryAvailability(status: string): ActionAvailability {
  return status === "DEAD" || status === "FAILED" ? allowed : refused(status === "SUCCEEDED" ? "Shopify already accepted this outcome." : "The delivery is still being retried automatically.");
}

const FOLLOW_UP_AUDIT_ACTIONS: Record<FollowUpKind, Record<"resolve" | "reject", StaffAction>> = {
  refund: { resolve: "REFUND_RESOLVE", reject: "REFUND_REJECT" },
  capture: { resolve: "CAPTURE_RESOLVE", reject: "CAPTURE_REJECT" },
  void: { resolve: "VOID_RESOLVE", reject: "VOID_REJECT" },
};

/** Reasons staff may give Shopify when rejecting a refund, capture or void: stated in payments/rules/follow-up-transitions.ts. */
export { FOLLOW_UP_REJECTION_CODES };

/** Reasons staff may give Shopify when rejecting a payment, for the shop's API version. */
export function paymentRejectionCodes(apiVersion: string): PaymentRejectionCode[] {
  return rejectionCodesForVersion(apiVersion, Object.values($Enums.PaymentRejectionCode));
}

// Fragments after the field's label: the form makes "Reason must say why, …" of them (app/ui/form-problems.ts).
const reasonField = z.string({ error: "is required" }).trim().min(3, "must say why, in a few words (it is kept in the audit trail)").max(500, "must be at most 500 characters");
const merchantMessage = z.string({ error: "is required" }).trim().min(1, "is required (Shopify shows it to the merchant)").max(255, "must be at most 255 characters");
const offered = { error: "must be one of the reasons offered" };

export const staffActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("resolve-payment"), reason: reasonField }),
  z.object({ intent: z.literal("reject-payment"), reason: reasonField, code: z.enum($Enums.PaymentRejectionCode, offered), message: merchantMessage }),
  z.object({ intent: z.literal("pend-payment"), reason: reasonField, pendingReason: z.enum($Enums.PendingReason, offered), expiresInHours: z.coerce.number().min(1, "must be at least 1 hour").max(72, "must be at most 72 hours (Shopify's pending window)") }),
  z.object({ intent: z.literal("resolve-follow-up"), reason: reasonField, kind: z.enum(["refund", "capture", "void"]), followUpId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal("reject-follow-up"), reason: reasonField, kind: z.enum(["refund", "capture", "void"]), followUpId: z.string().min(1).max(40), code: z.enum($Enums.FollowUpRejectionCode, offered), message: merchantMessage }),
  z.object({ intent: z.literal("retry-delivery"), reason: reasonField, deliveryId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal("reveal-customer"), reason: reasonField }),
]);
export type StaffActionInput = z.infer<typeof staffActionSchema>;

export interface ActionPolicy {
  apiVersion: string;
  authorizationValidityMs: number;
  recheckMs: number;
}

/** The shop's payment, or 404: an id of another shop is as unknown as a made-up one. */
export async function requireShopPayment(db: Db, shop: string, id: string): Promise<PaymentSession> {
  const payment = await db.paymentSession.findFirst({ where: { id, shop } });
  if (!payment) throw new HttpError(404, "NOT_FOUND", "No such payment in this shop.");
  return payment;
}

/** Performs a staff action on a payment of the staff member's shop; returns what to tell them. */
export async function performStaffAction(db: Db, staff: StaffContext, paymentId: string, input: StaffActionInput, policy: ActionPolicy, now = new Date()): Promise<string> {
  const payment = await requireShopPayment(db, staff.shop, paymentId);
  const audit = { shop: staff.shop, staffUserId: staff.staffUserId, staffName: staff.staffName, staffEmail: staff.staffEmail, reason: input.reason };
  try {
    switch (input.intent) {
      case "resolve-payment": {
        requireAllowed(paymentActions(payment.status).resolve);
        await applyPaymentOutcome(db, payment.id, { kind: "resolve", providerReference: null, authorizationExpiresAt: payment.kind === "AUTHORIZATION" ? new Date(now.getTime() + policy.authorizationValidityMs) : null }, now, { ...audit, action: "PAYMENT_RESOLVE" });
        return "Payment resolved. Shopify is being told.";
      }
      case "reject-payment": {
        requireAllowed(paymentActions(payment.status).reject);
        if (!paymentRejectionCodes(policy.apiVersion).includes(input.code)) {
          throw new HttpError(422, "INVALID_REASON", `code: ${input.code} is not a reason Shopify accepts in API version ${policy.apiVersion}`, [{ field: "code", message: `is not accepted in API version ${policy.apiVersion}` }]);
        }
        await applyPaymentOutcome(db, payment.id, { kind: "reject", code: input.code, message: input.message, providerReference: null }, now, { ...audit, action: "PAYMENT_REJECT" });
        return "Payment rejected. Shopify is being told.";
      }
      case "pend-payment": {
        requireAllowed(paymentActions(payment.status).pend);
        const pendingExpiresAt = new Date(now.getTime() + input.expiresInHours * 3_600_000);
        // The provider is asked again as usual; a payment still pending near its
        // expiry is rejected before Shopify's deadline (checkDuePayments).
        const checkAt = new Date(now.getTime() + policy.recheckMs);
        await applyPaymentOutcome(db, payment.id, { kind: "pend", reason: input.pendingReason, pendingExpiresAt, checkAt, providerReference: payment.providerReference }, now, { ...audit, action: "PAYMENT_PEND" });
        return "Payment marked pending. Shopify is being told.";
      }
      case "resolve-follow-up":
      case "reject-follow-up": {
        const followUp = await requireFollowUp(db, staff.shop, payment.id, input.kind, input.followUpId);
        const availability = followUpActions(followUp.status);
        const action = FOLLOW_UP_AUDIT_ACTIONS[input.kind][input.intent === "resolve-follow-up" ? "resolve" : "reject"];
        if (input.intent === "resolve-follow-up") {
          requireAllowed(availability.resolve);
          await applyFollowUpOutcome(db, input.kind, followUp.id, { kind: "resolve", providerReference: null }, now, { ...audit, action });
        } else {
          requireAllowed(availability.reject);
          if (!FOLLOW_UP_REJECTION_CODES[input.kind].includes(input.code)) {
            throw new HttpError(422, "INVALID_REASON", `code: ${input.code} is not a reason for a ${input.kind}`, [{ field: "code", message: `is not a reason Shopify accepts for a ${input.kind}` }]);
          }
          await applyFollowUpOutcome(db, input.kind, followUp.id, { kind: "reject", code: input.code, message: input.message }, now, { ...audit, action });
        }
        return `The ${input.kind} was ${input.intent === "resolve-follow-up" ? "resolved" : "rejected"}. Shopify is being told.`;
      }
      case "retry-delivery": {
        const delivery = await db.delivery.findFirst({ where: { id: input.deliveryId, shop: staff.shop }, select: { id: true, status: true, paymentSessionId: true, refundSession: { select: { paymentSessionId: true } }, captureSession: { select: { paymentSessionId: true } }, voidSession: { select: { paymentSessionId: true } } } });
        const owner = delivery?.paymentSessionId ?? delivery?.refundSession?.paymentSessionId ?? delivery?.captureSession?.paymentSessionId ?? delivery?.voidSession?.paymentSessionId;
        if (!delivery || owner !== payment.id) throw new HttpError(404, "NOT_FOUND", "No such delivery for this payment.");
        requireAllowed(deliveryRetryAvailability(delivery.status));
        const retried = await db.$transaction(async (tx) => {
          const done = await retryDeliveryNow(tx, staff.shop, delivery.id, now);
          if (done) await recordAudit(tx, { ...audit, action: "DELIVERY_RETRY", paymentSessionId: payment.id, subject: delivery.id, beforeState: delivery.status, afterState: "PENDING" }, now);
          return done;
        });
        if (!retried) throw new HttpError(409, "INVALID_STATE", "The delivery changed in the meantime; reload the page.");
        return "The delivery will be sent again in a moment.";
      }
      case "reveal-customer":
        await recordAudit(db, { ...audit, action: "PII_REVEAL", paymentSessionId: payment.id, subject: payment.gid }, now);
        return "Customer details revealed. This was recorded in the audit trail.";
    }
  } catch (error) {
    if (error instanceof InvalidTransitionError) throw new HttpError(409, "INVALID_STATE", `${error.message} Reload the page to see the current state.`);
    throw error;
  }
}

function requireAllowed(availability: ActionAvailability): void {
  if (!availability.allowed) throw new HttpError(409, "INVALID_STATE", availability.reason ?? "Not allowed now.");
}

async function requireFollowUp(db: Db, shop: string, paymentSessionId: string, kind: FollowUpKind, id: string): Promise<{ id: string; status: FollowUpStatus }> {
  const where = { id, shop, paymentSessionId };
  const select = { id: true, status: true } as const;
  const row =
    kind === "refund"
      ? await db.refundSession.findFirst({ where, select })
      : kind === "capture"
        ? await db.captureSession.findFirst({ where, select })
        : await db.voidSession.findFirst({ where, select });
  if (!row) throw new HttpError(404, "NOT_FOUND", `No such ${kind} for this payment.`);
  return row;
}
