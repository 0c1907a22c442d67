import { $Enums, type CaptureSession, type DeliveryOperation, type PaymentSession, type RefundSession } from "@prisma/client";
import { describe, expect, it } from "vitest";
import type { PaymentsAppsClient } from "../../shopify/payments-apps/client.server";
import { DELIVERY_OPERATIONS, deliveryOperationEntry, deliveryOperationFor, prepareMutation } from "./delivery-operations";

/** A stored row with only the columns an operation reads; the others do not matter to it. */
function stored<Row>(columns: Partial<Row>): Row {
  return columns as Row;
}

/** A client that answers nothing and keeps what it was asked to send. */
function recordingClient() {
  const sent: { mutation: string; variables: unknown }[] = [];
  const client: Pick<PaymentsAppsClient, "send"> = {
    send: (mutation, variables) => {
      sent.push({ mutation, variables });
      return Promise.resolve({ kind: "failed", status: 0, reason: "not sent" });
    },
  };
  return { client, sent };
}

const context = { gid: "gid://shopify/Session/1", apiVersion: "2026-04" };

describe("the registry of delivery operations", () => {
  it("has one entry per operation of the schema, each named by its session kind and event", () => {
    const operations = Object.values($Enums.DeliveryOperation);
    expect(Object.keys(DELIVERY_OPERATIONS).sort()).toEqual([...operations].sort());
    for (const operation of operations) {
      const { session, event } = DELIVERY_OPERATIONS[operation];
      expect(deliveryOperationFor(session, event)).toBe(operation);
    }
  });

  it("sends a follow-up's reject with the kind's own mutation and a reason that kind knows", async () => {
    const capture = recordingClient();
    await prepareMutation("CAPTURE_REJECT", stored<CaptureSession>({ rejectionCode: "AUTHORIZATION_EXPIRED", rejectionMessage: "too late" }), context).send(capture.client);
    expect(capture.sent).toEqual([{ mutation: "captureSessionReject", variables: { id: context.gid, reason: { code: "AUTHORIZATION_EXPIRED", merchantMessage: "too late" } } }]);

    // Refunds know only PROCESSING_ERROR: a stored code they do not know is not sent.
    const refund = recordingClient();
    await prepareMutation("REFUND_REJECT", stored<RefundSession>({ rejectionCode: "AUTHORIZATION_EXPIRED", rejectionMessage: null }), context).send(refund.client);
    expect(refund.sent).toEqual([{ mutation: "refundSessionReject", variables: { id: context.gid, reason: { code: "PROCESSING_ERROR", merchantMessage: null } } }]);
  });

  it("builds a payment's variables from its stored outcome", async () => {
    const { client, sent } = recordingClient();
    const payment = stored<PaymentSession>({ id: "p1", pendingExpiresAt: new Date("2026-05-01T12:00:00Z"), pendingReason: "BUYER_ACTION_REQUIRED" });
    await prepareMutation("PAYMENT_PENDING", payment, context).send(client);
    expect(sent).toEqual([{ mutation: "paymentSessionPending", variables: { id: context.gid, pendingExpiresAt: "2026-05-01T12:00:00.000Z", reason: "BUYER_ACTION_REQUIRED" } }]);
    expect(() => prepareMutation("PAYMENT_REDIRECT", stored<PaymentSession>({ id: "p1", threeDSecureRedirectUrl: null }), context)).toThrow(/no 3-D Secure page/);
  });

  it("refuses, when type-checked, an entry whose variables are not its mutation's", () => {
    const redirect = deliveryOperationEntry({
      session: "payment", event: "redirect", mutation: "paymentSessionRedirect", tells: "to send the buyer to 3-D Secure",
      // @ts-expect-error paymentSessionRedirect needs the redirectUrl: `npm run typecheck` fails without this line's expectation.
      variables: (_payment, { gid }) => ({ id: gid }),
    });
    expect(redirect.mutation).toBe("paymentSessionRedirect");
  });

  it("names every operation's mutation and words for the admin", () => {
    const operations = Object.keys(DELIVERY_OPERATIONS) as DeliveryOperation[];
    expect(operations.map((operation) => DELIVERY_OPERATIONS[operation].mutation)).toContain("voidSessionResolve");
    expect(DELIVERY_OPERATIONS.REFUND_REJECT.tells).toBe("the refund failed");
  });
});
