import { describe, expect, it } from "vitest";
import { InvalidTransitionError, nextFollowUpStatus } from "./follow-up-transitions";
import { nextPaymentStatus } from "./payment-transitions";

/** The error `run` throws, so that its class and fields can be checked. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, but the transition was allowed");
}

describe("nextFollowUpStatus", () => {
  it("moves a received session to RESOLVED on resolve", () => {
    expect(nextFollowUpStatus("refund", "RECEIVED", "resolve")).toBe("RESOLVED");
  });

  it("moves a received session to REJECTED on reject", () => {
    expect(nextFollowUpStatus("refund", "RECEIVED", "reject")).toBe("REJECTED");
  });

  it("treats resolving a resolved session again as a no-op", () => {
    expect(nextFollowUpStatus("capture", "RESOLVED", "resolve")).toBe("RESOLVED");
  });

  it("treats rejecting a rejected session again as a no-op", () => {
    expect(nextFollowUpStatus("void", "REJECTED", "reject")).toBe("REJECTED");
  });

  it("refuses to reject a resolved session", () => {
    const error = thrownBy(() => nextFollowUpStatus("refund", "RESOLVED", "reject"));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ sessionKind: "refund", from: "RESOLVED", event: "reject" });
    expect((error as Error).message).toBe(
      'A refund session that is RESOLVED cannot take the "reject" transition; its outcome is already decided.',
    );
  });

  it("refuses to resolve a rejected session", () => {
    const error = thrownBy(() => nextFollowUpStatus("capture", "REJECTED", "resolve"));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ sessionKind: "capture", from: "REJECTED", event: "resolve" });
  });
});

describe("nextPaymentStatus", () => {
  it("moves an open payment to PENDING on pend", () => {
    expect(nextPaymentStatus("OPEN", "pend")).toBe("PENDING");
  });

  it("moves an open payment to RESOLVED on resolve", () => {
    expect(nextPaymentStatus("OPEN", "resolve")).toBe("RESOLVED");
  });

  it("moves an open payment to REJECTED on reject", () => {
    expect(nextPaymentStatus("OPEN", "reject")).toBe("REJECTED");
  });

  it("moves a pending payment to RESOLVED on resolve", () => {
    expect(nextPaymentStatus("PENDING", "resolve")).toBe("RESOLVED");
  });

  it("moves a pending payment to REJECTED on reject", () => {
    expect(nextPaymentStatus("PENDING", "reject")).toBe("REJECTED");
  });

  it("treats pending a pending payment again as a no-op", () => {
    expect(nextPaymentStatus("PENDING", "pend")).toBe("PENDING");
  });

  it("treats resolving a resolved payment again as a no-op", () => {
    expect(nextPaymentStatus("RESOLVED", "resolve")).toBe("RESOLVED");
  });

  it("treats rejecting a rejected payment again as a no-op", () => {
    expect(nextPaymentStatus("REJECTED", "reject")).toBe("REJECTED");
  });

  it("refuses to reject a resolved payment", () => {
    const error = thrownBy(() => nextPaymentStatus("RESOLVED", "reject"));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ sessionKind: "payment", from: "RESOLVED", event: "reject" });
  });

  it("refuses to resolve a rejected payment", () => {
    const error = thrownBy(() => nextPaymentStatus("REJECTED", "resolve"));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ sessionKind: "payment", from: "REJECTED", event: "resolve" });
  });

  it("refuses to move a resolved payment back to pending", () => {
    const error = thrownBy(() => nextPaymentStatus("RESOLVED", "pend"));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ sessionKind: "payment", from: "RESOLVED", event: "pend" });
  });

  it("refuses to move a rejected payment back to pending", () => {
    const error = thrownBy(() => nextPaymentStatus("REJECTED", "pend"));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ sessionKind: "payment", from: "REJECTED", event: "pend" });
  });
});
