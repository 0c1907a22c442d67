import { describe, expect, it } from "vitest";
import {
  checkThreeDSecureAuthentication,
  compareApiVersions,
  isApiVersion,
  isPaymentRejectionReasonAvailable,
  PaymentsAppsState,
  type FollowUpKind,
  type PaymentMethod,
  type PaymentSessionRecord,
  type StateOptions,
} from "./state";

const SHOP = "shop-a.myshopify.com";
const OTHER_SHOP = "shop-b.myshopify.com";
const START = new Date("2026-05-01T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const V = "2026-04";
const scope = { shop: SHOP, version: V };

function setup(options: StateOptions = {}) {
  let now = START;
  const state = new PaymentsAppsState({ now: () => now, ...options });
  return {
    state,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    at(offsetMs: number) {
      return new Date(START.getTime() + offsetMs).toISOString();
    },
  };
}

function payment(state: PaymentsAppsState, id = "pay1", options: { paymentMethod?: PaymentMethod; paymentKind?: "sale" | "authorization"; supports3ds?: boolean; confirmationSupported?: boolean } = {}) {
  const gid = `gid://shopify/PaymentSession/${id}`;
  state.registerSession({ gid, shop: SHOP, kind: "payment", ...options });
  return gid;
}

function paymentRecord(state: PaymentsAppsState, gid: string): PaymentSessionRecord {
  const record = state.getSession(gid);
  if (record?.kind !== "payment") throw new Error(`no payment session ${gid}`);
  return record;
}

describe("API versions", () => {
  it("accepts YYYY-MM and unstable and nothing else", () => {
    expect(isApiVersion("2026-04")).toBe(true);
    expect(isApiVersion("unstable")).toBe(true);
    expect(isApiVersion("2026-13")).toBe(false);
    expect(isApiVersion("latest")).toBe(false);
    expect(isApiVersion("2026-4")).toBe(false);
  });

  it("orders unstable after every stable version", () => {
    expect(compareApiVersions("2025-10", "2026-04")).toBe(-1);
    expect(compareApiVersions("2026-04", "2026-04")).toBe(0);
    expect(compareApiVersions("unstable", "2030-01")).toBe(1);
  });

  it("makes the 2026-04 rejection reasons available from 2026-04 on, and keeps the older ones everywhere", () => {
    expect(isPaymentRejectionReasonAvailable("INSUFFICIENT_FUNDS", "2026-01")).toBe(false);
    expect(isPaymentRejectionReasonAvailable("INSUFFICIENT_FUNDS", "2026-04")).toBe(true);
    expect(isPaymentRejectionReasonAvailable("INSUFFICIENT_FUNDS", "unstable")).toBe(true);
    expect(isPaymentRejectionReasonAvailable("PROCESSING_ERROR", "2023-04")).toBe(true);
    expect(isPaymentRejectionReasonAvailable("RISKY", "2026-04")).toBe(true);
  });
});

describe("registering sessions", () => {
  it("opens a payment session as an offsite sale by default, with no state yet", () => {
    const { state } = setup();
    const gid = payment(state);
    expect(paymentRecord(state, gid)).toMatchObject({ id: "pay1", shop: SHOP, paymentKind: "sale", paymentMethod: "offsite", state: null, history: [] });
  });

  it("refuses a gid that does not match the session kind", () => {
    const { state } = setup();
    expect(() => state.registerSession({ gid: "gid://shopify/RefundSession/r1", shop: SHOP, kind: "payment" })).toThrow(/PaymentSession/);
    expect(() => state.registerSession({ gid: "r1", shop: SHOP, kind: "refund" })).toThrow(/RefundSession/);
  });

  it("treats registering the same session again as Shopify retrying its request", () => {
    const { state } = setup();
    const gid = payment(state);
    state.paymentSessionResolve(scope, { id: gid });
    expect(state.registerSession({ gid, shop: SHOP, kind: "payment" }).kind).toBe("payment");
    expect(paymentRecord(state, gid).state?.code).toBe("RESOLVED");
  });

  it("refuses to register the same gid with different attributes", () => {
    const { state } = setup();
    const gid = payment(state);
    expect(() => state.registerSession({ gid, shop: SHOP, kind: "payment", paymentKind: "authorization" })).toThrow(/different attributes/);
  });
});

describe("paymentSessionResolve", () => {
  it("moves an open session to RESOLVED and records one transition", () => {
    const { state } = setup();
    const gid = payment(state);
    const result = state.paymentSessionResolve(scope, { id: gid });
    expect(result).toMatchObject({ ok: true, repeated: false, session: { state: { code: "RESOLVED" } } });
    expect(paymentRecord(state, gid).history).toEqual([{ at: START, mutation: "paymentSessionResolve", from: "OPEN", to: "RESOLVED" }]);
  });

  it("answers a repeat with the same session and ignores the new arguments", () => {
    const { state, at } = setup();
    const gid = payment(state, "auth1", { paymentKind: "authorization" });
    const first = state.paymentSessionResolve(scope, { id: gid, authorizationExpiresAt: at(7 * DAY) });
    const second = state.paymentSessionResolve(scope, { id: gid, authorizationExpiresAt: at(1 * DAY), networkTransactionId: "n2" });
    expect(second).toMatchObject({ ok: true, repeated: true });
    if (!first.ok || !second.ok) throw new Error("expected success");
    expect(second.session.authorizationExpiresAt).toBe("2026-05-08T12:00:00Z");
    expect(second.session.networkTransactionId).toBeNull();
    const record = paymentRecord(state, gid);
    expect(record.history).toHaveLength(1);
    expect(record.attempts.map((a) => a.result)).toEqual(["applied", "repeated"]);
  });

  it("stores authorizationExpiresAt only for authorizations", () => {
    const { state, at } = setup();
    const gid = payment(state);
    const result = state.paymentSessionResolve(scope, { id: gid, authorizationExpiresAt: at(DAY) });
    expect(result.ok && result.session.authorizationExpiresAt).toBeNull();
  });

  it("refuses to resolve a rejected session with a generic user error", () => {
    const { state } = setup();
    const gid = payment(state);
    state.paymentSessionReject(scope, { id: gid, reason: { code: "PROCESSING_ERROR" } });
    expect(state.paymentSessionResolve(scope, { id: gid })).toEqual({
      ok: false,
      error: { code: null, field: ["id"], message: "Payment session has already been rejected." },
    });
    expect(paymentRecord(state, gid).state?.code).toBe("REJECTED");
  });

  it("does not find a session of another shop", () => {
    const { state } = setup();
    const gid = payment(state);
    expect(state.paymentSessionResolve({ shop: OTHER_SHOP, version: V }, { id: gid })).toEqual({
      ok: false,
      error: { code: null, field: ["id"], message: "Payment session not found." },
    });
    expect(paymentRecord(state, gid).state).toBeNull();
  });

  it("does not find a refund session given to a payment mutation", () => {
    const { state } = setup();
    state.registerSession({ gid: "gid://shopify/RefundSession/r1", shop: SHOP, kind: "refund" });
    expect(state.paymentSessionResolve(scope, { id: "gid://shopify/RefundSession/r1" }).ok).toBe(false);
  });
});

describe("paymentSessionReject", () => {
  it("keeps the reason, the merchant message and the source", () => {
    const { state } = setup();
    const gid = payment(state);
    state.paymentSessionReject(scope, { id: gid, reason: { code: "INSUFFICIENT_FUNDS", merchantMessage: "Fonds insuffisants", source: "NETWORK" } });
    expect(paymentRecord(state, gid).state).toEqual({ code: "REJECTED", reason: "INSUFFICIENT_FUNDS", merchantMessage: "Fonds insuffisants", source: "NETWORK" });
  });

  it("answers a repeat with a different reason as success and keeps the first reason", () => {
    const { state } = setup();
    const gid = payment(state);
    state.paymentSessionReject(scope, { id: gid, reason: { code: "CARD_DECLINED", merchantMessage: "first" } });
    const repeat = state.paymentSessionReject(scope, { id: gid, reason: { code: "PROCESSING_ERROR", merchantMessage: "second" } });
    expect(repeat).toMatchObject({ ok: true, repeated: true, session: { state: { reason: "CARD_DECLINED", merchantMessage: "first" } } });
  });

  it("refuses to reject a resolved session with a generic user error", () => {
    const { state } = setup();
    const gid = payment(state);
    state.paymentSessionResolve(scope, { id: gid });
    expect(state.paymentSessionReject(scope, { id: gid, reason: { code: "PROCESSING_ERROR" } })).toEqual({
      ok: false,
      error: { code: null, field: ["id"], message: "Payment session has already been resolved." },
    });
  });

  it("refuses a reason added in 2026-04 on an older API version", () => {
    const { state } = setup();
    const gid = payment(state);
    const result = state.paymentSessionReject({ shop: SHOP, version: "2025-10" }, { id: gid, reason: { code: "FRAUD_SUSPECTED" } });
    expect(result).toMatchObject({ ok: false, error: { code: null, field: ["reason", "code"] } });
    expect(paymentRecord(state, gid).state).toBeNull();
  });

  it("accepts the deprecated RISKY on 2026-04 and drops the source on older versions", () => {
    const { state } = setup();
    const risky = payment(state, "p-risky");
    const old = payment(state, "p-old");
    expect(state.paymentSessionReject(scope, { id: risky, reason: { code: "RISKY" } }).ok).toBe(true);
    state.paymentSessionReject({ shop: SHOP, version: "2025-10" }, { id: old, reason: { code: "PROCESSING_ERROR", source: "PROVIDER" } });
    expect(paymentRecord(state, old).state).toMatchObject({ code: "REJECTED", source: null });
  });
});

describe("paymentSessionPending", () => {
  it("moves an open session to PENDING with its expiry and reason", () => {
    const { state, at } = setup();
    const gid = payment(state);
    const result = state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(DAY), reason: "BUYER_ACTION_REQUIRED" });
    expect(result).toMatchObject({ ok: true, session: { state: { code: "PENDING", reason: "BUYER_ACTION_REQUIRED" }, pendingExpiresAt: "2026-05-02T12:00:00Z" } });
  });

  it("refuses an expiry in the past or now with EXPIRED_PENDING_EXPIRES_AT", () => {
    const { state, at } = setup();
    const gid = payment(state);
    for (const offset of [-HOUR, 0]) {
      expect(state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(offset), reason: "BUYER_ACTION_REQUIRED" })).toMatchObject({
        ok: false,
        error: { code: "EXPIRED_PENDING_EXPIRES_AT", field: ["pendingExpiresAt"] },
      });
    }
  });

  it("accepts an expiry exactly 3 days ahead and refuses one beyond with OUT_OF_RANGE_PENDING_EXPIRES_AT", () => {
    const { state, at } = setup();
    const inRange = payment(state, "p-in");
    const outOfRange = payment(state, "p-out");
    expect(state.paymentSessionPending(scope, { id: inRange, pendingExpiresAt: at(3 * DAY), reason: "NETWORK_ACTION_REQUIRED" }).ok).toBe(true);
    expect(state.paymentSessionPending(scope, { id: outOfRange, pendingExpiresAt: at(3 * DAY + 1000), reason: "NETWORK_ACTION_REQUIRED" })).toMatchObject({
      ok: false,
      error: { code: "OUT_OF_RANGE_PENDING_EXPIRES_AT" },
    });
  });

  it("uses a configured pending limit", () => {
    const { state, at } = setup({ pendingLimitMs: HOUR });
    const gid = payment(state);
    expect(state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(2 * HOUR), reason: "BUYER_ACTION_REQUIRED" })).toMatchObject({
      ok: false,
      error: { code: "OUT_OF_RANGE_PENDING_EXPIRES_AT", message: expect.stringContaining("1 hours") },
    });
  });

  it("answers pending again as a repeat that ignores the new expiry", () => {
    const { state, at } = setup();
    const gid = payment(state);
    state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(DAY), reason: "BUYER_ACTION_REQUIRED" });
    const repeat = state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(-DAY), reason: "PARTNER_ACTION_REQUIRED" });
    expect(repeat).toMatchObject({ ok: true, repeated: true, session: { pendingExpiresAt: "2026-05-02T12:00:00Z", state: { reason: "BUYER_ACTION_REQUIRED" } } });
  });

  it("lets a pending session be resolved or rejected later", () => {
    const { state, at } = setup();
    const resolved = payment(state, "p1");
    const rejected = payment(state, "p2");
    for (const gid of [resolved, rejected]) {
      state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(DAY), reason: "BUYER_ACTION_REQUIRED" });
    }
    expect(state.paymentSessionResolve(scope, { id: resolved }).ok).toBe(true);
    expect(state.paymentSessionReject(scope, { id: rejected, reason: { code: "PROCESSING_ERROR" } }).ok).toBe(true);
    expect(paymentRecord(state, resolved).history.map((t) => `${t.from}->${t.to}`)).toEqual(["OPEN->PENDING", "PENDING->RESOLVED"]);
  });

  it("refuses pending on a finalized session with PENDING_INVALID_STATE", () => {
    const { state, at } = setup();
    const gid = payment(state);
    state.paymentSessionResolve(scope, { id: gid });
    expect(state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(DAY), reason: "BUYER_ACTION_REQUIRED" })).toMatchObject({
      ok: false,
      error: { code: "PENDING_INVALID_STATE" },
    });
  });

  it("refuses pending for credit card payments with UNSUPPORTED_PAYMENT_METHOD", () => {
    const { state, at } = setup();
    const gid = payment(state, "cc", { paymentMethod: "credit_card" });
    expect(state.paymentSessionPending(scope, { id: gid, pendingExpiresAt: at(DAY), reason: "BUYER_ACTION_REQUIRED" })).toMatchObject({
      ok: false,
      error: { code: "UNSUPPORTED_PAYMENT_METHOD" },
    });
  });

  it("answers an unknown session with NOT_FOUND", () => {
    const { state, at } = setup();
    expect(state.paymentSessionPending(scope, { id: "gid://shopify/PaymentSession/nope", pendingExpiresAt: at(DAY), reason: "BUYER_ACTION_REQUIRED" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND", field: ["id"] },
    });
  });
});

describe("paymentSessionRedirect", () => {
  const url = "https://app.example.com/3ds/1";

  it("refuses offsite sessions with REDIRECT_NOT_SUPPORTED_FOR_OFFSITE", () => {
    const { state } = setup();
    const gid = payment(state);
    expect(state.paymentSessionRedirect(scope, { id: gid, redirectUrl: url })).toMatchObject({ ok: false, error: { code: "REDIRECT_NOT_SUPPORTED_FOR_OFFSITE" } });
  });

  it("refuses onsite alternative sessions with REDIRECT_NOT_SUPPORTED_FOR_ONSITE", () => {
    const { state } = setup();
    const gid = payment(state, "alt", { paymentMethod: "alternative" });
    expect(state.paymentSessionRedirect(scope, { id: gid, redirectUrl: url })).toMatchObject({ ok: false, error: { code: "REDIRECT_NOT_SUPPORTED_FOR_ONSITE" } });
  });

  it("refuses credit card sessions without 3DS support with REDIRECT_NOT_SUPPORTED_FOR_CREDIT_CARD", () => {
    const { state } = setup();
    const gid = payment(state, "cc", { paymentMethod: "credit_card" });
    expect(state.paymentSessionRedirect(scope, { id: gid, redirectUrl: url })).toMatchObject({ ok: false, error: { code: "REDIRECT_NOT_SUPPORTED_FOR_CREDIT_CARD" } });
  });

  it("moves a 3DS credit card session to REDIRECTING and then requires authentication to resolve", () => {
    const { state } = setup();
    const gid = payment(state, "cc", { paymentMethod: "credit_card", supports3ds: true });
    expect(state.paymentSessionRedirect(scope, { id: gid, redirectUrl: url })).toMatchObject({ ok: true, session: { state: { code: "REDIRECTING" } } });
    expect(state.paymentSessionResolve(scope, { id: gid })).toMatchObject({ ok: false, error: { field: ["authentication"] } });
    const authentication = {
      authenticationData: { authenticationFlow: "CHALLENGE", chargebackLiability: "UNKNOWN", transStatus: "Y", version: "V2_2" },
    } as const;
    expect(state.paymentSessionResolve(scope, { id: gid, authentication })).toMatchObject({ ok: true });
  });

  it("refuses a redirect after the window with BUYER_ALREADY_REDIRECTED_BY_SHOPIFY", () => {
    const { state, advance } = setup({ redirectWindowMs: 60_000 });
    const gid = payment(state, "cc", { paymentMethod: "credit_card", supports3ds: true });
    advance(60_001);
    expect(state.paymentSessionRedirect(scope, { id: gid, redirectUrl: url })).toMatchObject({ ok: false, error: { code: "BUYER_ALREADY_REDIRECTED_BY_SHOPIFY" } });
  });

  it("refuses a redirect within the window once the session's window was closed (Shopify moved the buyer on)", () => {
    const { state } = setup();
    const closed = payment(state, "cc", { paymentMethod: "credit_card", supports3ds: true });
    const open = payment(state, "cc2", { paymentMethod: "credit_card", supports3ds: true });
    state.closeRedirectWindow(closed);
    expect(state.paymentSessionRedirect(scope, { id: closed, redirectUrl: url })).toMatchObject({ ok: false, error: { code: "BUYER_ALREADY_REDIRECTED_BY_SHOPIFY" } });
    expect(state.paymentSessionRedirect(scope, { id: open, redirectUrl: url })).toMatchObject({ ok: true });
  });

  it("refuses a redirect of a finalized session with INVALID_STATE_TRANSITION", () => {
    const { state } = setup();
    const gid = payment(state, "cc", { paymentMethod: "credit_card", supports3ds: true });
    state.paymentSessionResolve(scope, { id: gid });
    expect(state.paymentSessionRedirect(scope, { id: gid, redirectUrl: url })).toMatchObject({ ok: false, error: { code: "INVALID_STATE_TRANSITION" } });
  });

  it("refuses authentication for a session that was never redirected", () => {
    const { state } = setup();
    const gid = payment(state);
    expect(state.paymentSessionResolve(scope, { id: gid, authentication: { partnerError: "PROCESSING_ERROR" } })).toMatchObject({
      ok: false,
      error: { field: ["authentication"], message: expect.stringContaining("only accepted") },
    });
  });
});

describe("3-D Secure authentication rules", () => {
  const data = { authenticationFlow: "FRICTIONLESS", chargebackLiability: "MERCHANT", transStatus: "Y", version: "V2_2" } as const;

  it("accepts a plain frictionless result or a partner error", () => {
    expect(checkThreeDSecureAuthentication({ authenticationData: data })).toBeNull();
    expect(checkThreeDSecureAuthentication({ partnerError: "PROCESSING_ERROR" })).toBeNull();
  });

  it("needs exactly one of authenticationData and partnerError", () => {
    expect(checkThreeDSecureAuthentication({})?.field).toEqual(["authentication"]);
    expect(checkThreeDSecureAuthentication({ authenticationData: data, partnerError: "PROCESSING_ERROR" })?.field).toEqual(["authentication"]);
  });

  it("refuses CHALLENGE with transStatus I", () => {
    expect(checkThreeDSecureAuthentication({ authenticationData: { ...data, authenticationFlow: "CHALLENGE", transStatus: "I" } })?.field).toEqual([
      "authentication",
      "authenticationData",
      "authenticationFlow",
    ]);
  });

  it("refuses liability UNKNOWN with transStatus N or R", () => {
    expect(
      checkThreeDSecureAuthentication({ authenticationData: { ...data, chargebackLiability: "UNKNOWN", transStatus: "R", transStatusReason: "01" } })?.field,
    ).toEqual(["authentication", "authenticationData", "chargebackLiability"]);
  });

  it("requires a two-digit EMVCo transStatusReason for N, U and R", () => {
    expect(checkThreeDSecureAuthentication({ authenticationData: { ...data, transStatus: "U" } })?.field).toEqual([
      "authentication",
      "authenticationData",
      "transStatusReason",
    ]);
    expect(checkThreeDSecureAuthentication({ authenticationData: { ...data, transStatus: "U", transStatusReason: "27" } })?.message).toMatch(/01-26 or 80-99/);
    expect(checkThreeDSecureAuthentication({ authenticationData: { ...data, transStatus: "U", transStatusReason: "85" } })).toBeNull();
  });
});

describe("paymentSessionConfirm", () => {
  it("refuses sessions whose extension is not set up for confirmation with CONFIRMATION_NOT_SUPPORTED", () => {
    const { state } = setup();
    const gid = payment(state);
    expect(state.paymentSessionConfirm(scope, { id: gid })).toMatchObject({ ok: false, error: { code: "CONFIRMATION_NOT_SUPPORTED" } });
  });

  it("moves an open or redirected session to CONFIRMING, after which it can be resolved", () => {
    const { state } = setup();
    const offsite = payment(state, "p1", { confirmationSupported: true });
    expect(state.paymentSessionConfirm(scope, { id: offsite })).toMatchObject({ ok: true, session: { state: { code: "CONFIRMING" } } });
    expect(state.paymentSessionConfirm(scope, { id: offsite })).toMatchObject({ ok: true, repeated: true });
    expect(state.paymentSessionResolve(scope, { id: offsite }).ok).toBe(true);

    const card = payment(state, "cc", { paymentMethod: "credit_card", supports3ds: true, confirmationSupported: true });
    state.paymentSessionRedirect(scope, { id: card, redirectUrl: "https://app.example.com/3ds" });
    expect(state.paymentSessionConfirm(scope, { id: card })).toMatchObject({ ok: true, session: { state: { code: "CONFIRMING" } } });
  });

  it("refuses to confirm a finalized session with INVALID_STATE_TRANSITION", () => {
    const { state } = setup();
    const gid = payment(state, "p1", { confirmationSupported: true });
    state.paymentSessionReject(scope, { id: gid, reason: { code: "PROCESSING_ERROR" } });
    expect(state.paymentSessionConfirm(scope, { id: gid })).toMatchObject({ ok: false, error: { code: "INVALID_STATE_TRANSITION" } });
  });
});

describe("paymentSessionModal", () => {
  it("moves an alternative payment to BUYER_ACTION_REQUIRED and refuses other methods", () => {
    const { state, at } = setup();
    const alternative = payment(state, "alt", { paymentMethod: "alternative" });
    const offsite = payment(state, "off");
    const action = { qrCode: { code: "pay://1" } };
    expect(state.paymentSessionModal(scope, { id: alternative, action, expiresAt: at(HOUR) })).toMatchObject({
      ok: true,
      session: { state: { code: "BUYER_ACTION_REQUIRED" } },
    });
    expect(state.paymentSessionModal(scope, { id: offsite, action })).toMatchObject({ ok: false, error: { code: "UNSUPPORTED_PAYMENT_METHOD_FOR_MODAL" } });
  });

  it("refuses an expiry in the past or beyond the limit", () => {
    const { state, at } = setup({ modalLimitMs: DAY });
    const gid = payment(state, "alt", { paymentMethod: "alternative" });
    const action = { external: {} };
    expect(state.paymentSessionModal(scope, { id: gid, action, expiresAt: at(-1) })).toMatchObject({ ok: false, error: { code: "EXPIRED_MODAL_EXPIRES_AT" } });
    expect(state.paymentSessionModal(scope, { id: gid, action, expiresAt: at(2 * DAY) })).toMatchObject({ ok: false, error: { code: "OUT_OF_RANGE_MODAL_EXPIRES_AT" } });
  });
});

describe.each<FollowUpKind>(["refund", "capture", "void"])("%s sessions", (kind) => {
  const KIND = kind.toUpperCase();
  const type = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Session`;

  function followUp(options: StateOptions = {}) {
    const context = setup(options);
    const gid = `gid://shopify/${type}/s1`;
    context.state.registerSession({ gid, shop: SHOP, kind });
    return { ...context, gid };
  }

  it("resolves an open session, and a repeated resolve succeeds without a second transition", () => {
    const { state, gid } = followUp();
    expect(state.followUpSessionResolve(kind, scope, { id: gid })).toMatchObject({ ok: true, repeated: false, session: { state: { code: "RESOLVED" } } });
    expect(state.followUpSessionResolve(kind, scope, { id: gid })).toMatchObject({ ok: true, repeated: true });
    expect(state.getSession(gid)?.history).toHaveLength(1);
  });

  it("keeps the rejection reason and merchant message", () => {
    const { state, gid } = followUp();
    state.followUpSessionReject(kind, scope, { id: gid, reason: { code: "PROCESSING_ERROR", merchantMessage: "Bank offline" } });
    expect(state.getSession(gid)?.state).toEqual({ code: "REJECTED", reason: "PROCESSING_ERROR", merchantMessage: "Bank offline" });
  });

  it(`refuses reject after resolve with ${KIND}_SESSION_INVALID_STATE`, () => {
    const { state, gid } = followUp();
    state.followUpSessionResolve(kind, scope, { id: gid });
    expect(state.followUpSessionReject(kind, scope, { id: gid, reason: { code: "PROCESSING_ERROR" } })).toEqual({
      ok: false,
      error: { code: `${KIND}_SESSION_INVALID_STATE`, field: ["id"], message: expect.stringContaining("already been resolved") },
    });
  });

  it(`refuses resolve after reject with ${KIND}_SESSION_INVALID_STATE`, () => {
    const { state, gid } = followUp();
    state.followUpSessionReject(kind, scope, { id: gid, reason: { code: "PROCESSING_ERROR" } });
    expect(state.followUpSessionResolve(kind, scope, { id: gid })).toMatchObject({ ok: false, error: { code: `${KIND}_SESSION_INVALID_STATE` } });
  });

  it("answers a repeated reject as success", () => {
    const { state, gid } = followUp();
    state.followUpSessionReject(kind, scope, { id: gid, reason: { code: "PROCESSING_ERROR", merchantMessage: "first" } });
    expect(state.followUpSessionReject(kind, scope, { id: gid, reason: { code: "PROCESSING_ERROR", merchantMessage: "second" } })).toMatchObject({
      ok: true,
      repeated: true,
      session: { state: { merchantMessage: "first" } },
    });
  });

  it(`answers an unknown, foreign or wrong-kind id with ${KIND}_SESSION_NOT_FOUND`, () => {
    const { state, gid } = followUp();
    const notFound = { ok: false, error: { code: `${KIND}_SESSION_NOT_FOUND`, field: ["id"] } };
    expect(state.followUpSessionResolve(kind, scope, { id: `gid://shopify/${type}/nope` })).toMatchObject(notFound);
    expect(state.followUpSessionResolve(kind, { shop: OTHER_SHOP, version: V }, { id: gid })).toMatchObject(notFound);
    const other = kind === "refund" ? "capture" : "refund";
    expect(state.followUpSessionResolve(other, scope, { id: gid })).toMatchObject({ ok: false });
  });
});

describe("capture rejections", () => {
  it("accept AUTHORIZATION_EXPIRED", () => {
    const { state } = setup();
    state.registerSession({ gid: "gid://shopify/CaptureSession/c1", shop: SHOP, kind: "capture" });
    expect(state.followUpSessionReject("capture", scope, { id: "gid://shopify/CaptureSession/c1", reason: { code: "AUTHORIZATION_EXPIRED" } }).ok).toBe(true);
  });

  it("repeated with a different reason succeed by default and can be configured to fail with CAPTURE_SESSION_INVALID_STATE", () => {
    for (const [mode, ok] of [["succeed", true], ["invalid-state", false]] as const) {
      const { state } = setup({ followUpRejectWithDifferentReason: mode });
      const gid = "gid://shopify/CaptureSession/c1";
      state.registerSession({ gid, shop: SHOP, kind: "capture" });
      state.followUpSessionReject("capture", scope, { id: gid, reason: { code: "PROCESSING_ERROR" } });
      const repeat = state.followUpSessionReject("capture", scope, { id: gid, reason: { code: "AUTHORIZATION_EXPIRED" } });
      expect(repeat.ok).toBe(ok);
      if (!repeat.ok) expect(repeat.error.code).toBe("CAPTURE_SESSION_INVALID_STATE");
    }
  });
});

describe("paymentsAppConfigure", () => {
  it("stores the configuration per shop and keeps the handle when it is omitted", () => {
    const { state } = setup();
    state.paymentsAppConfigure(scope, { externalHandle: "acct_1", ready: true });
    state.paymentsAppConfigure(scope, { ready: false });
    expect(state.getConfiguration(SHOP)).toMatchObject({ externalHandle: "acct_1", ready: false });
    expect(state.getConfiguration(OTHER_SHOP)).toBeUndefined();
  });
});
