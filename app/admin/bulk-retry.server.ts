import { z } from "zod";
import type { Db } from "../db.server";
import { HttpError } from "../http/http-error";
import { performStaffAction, type ActionPolicy } from "./staff-actions.server";
import type { StaffContext } from "./staff.server";

/** The list's bulk action: the selected payments' ids, at most a page of them. */
export const bulkRetrySchema = z.object({
  intent: z.literal("retry-deliveries"),
  ids: z
    .string()
    .max(50 * 41)
    .transform((ids) => ids.split(",").filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9]{1,40}$/, "must be payment ids from this list")).min(1, "select at least one payment").max(50, "select at most 50 payments")),
});

export interface BulkRetryResult {
  retried: number;
  paymentsWithoutFailedDelivery: number;
}

const RETRIABLE = ["DEAD", "FAILED"] as const;

/**
 * Sends again every delivery to Shopify that gave up (DEAD) or failed for good
 * among the selected payments and their refunds, captures and voids. Each retry
 * is the payment page's own action (same rule, same audit entry); payments with
 * nothing to retry are counted, not refused, since a selection mixes both.
 */
export async function retryFailedDeliveries(db: Db, staff: StaffContext, paymentIds: string[], policy: ActionPolicy, now = new Date()): Promise<BulkRetryResult> {
  const owned = { in: paymentIds };
  const deliveries = await db.delivery.findMany({
    where: {
      shop: staff.shop,
      status: { in: [...RETRIABLE] },
      OR: [{ paymentSessionId: owned }, { refundSession: { paymentSessionId: owned } }, { captureSession: { paymentSessionId: owned } }, { voidSession: { paymentSessionId: owned } }],
    },
    select: { id: true, paymentSessionId: true, refundSession: { select: { paymentSessionId: true } }, captureSession: { select: { paymentSessionId: true } }, voidSession: { select: { paymentSessionId: true } } },
  });
  const paymentsRetried = new Set<string>();
  let retried = 0;
  for (const delivery of deliveries) {
    const owner = delivery.paymentSessionId ?? delivery.refundSession?.paymentSessionId ?? delivery.captureSession?.paymentSessionId ?? delivery.voidSession?.paymentSessionId;
    if (!owner) continue;
    try {
      await performStaffAction(db, staff, owner, { intent: "retry-delivery", deliveryId: delivery.id, reason: "Retried from the payments list" }, policy, now);
      retried += 1;
      paymentsRetried.add(owner);
    } catch (error) {
      // Another person or the worker got to it first (409): nothing left to retry there.
      if (!(error instanceof HttpError && error.status === 409)) throw error;
    }
  }
  return { retried, paymentsWithoutFailedDelivery: paymentIds.length - paymentsRetried.size };
}
