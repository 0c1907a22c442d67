/**
 * Shopify's side of the Payments Apps session state machines (spec §4.2, §7, §9), without I/O.
 *
 * Sessions exist only once registered (Shopify creates them when it sends its own session
 * request to the app). Every mutation is scoped to the shop whose token made the call: another
 * shop's session is "not found". A session record is immutable; each transition replaces it.
 */

export type SessionKind = "payment" | "refund" | "capture" | "void";
export type FollowUpKind = Exclude<SessionKind, "payment">;
export type PaymentKind = "sale" | "authorization";
/** "alternative" stands for the onsite extension types (alternative, custom onsite). */
export type PaymentMethod = "offsite" | "credit_card" | "alternative";

// ---------------------------------------------------------------------------------------------
// API versions
// ---------------------------------------------------------------------------------------------

const VERSION_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for `YYYY-MM` and `unstable`, the shapes Shopify's endpoint path accepts. */
export function isApiVersion(version: string): boolean {
  return version === "unstable" || VERSION_PATTERN.test(version);
}

/** Orders versions; `unstable` is newer than every stable version. */
export function compareApiVersions(a: string, b: string): number {
  const rank = (version: string): number => {
    if (version === "unstable") return Number.POSITIVE_INFINITY;
    const match = VERSION_PATTERN.exec(version);
    if (!match) throw new Error(`Not a Payments Apps API version: ${JSON.stringify(version)} (expected YYYY-MM or unstable)`);
    return Number(match[1]) * 12 + Number(match[2]);
  };
  const difference = rank(a) - rank(b);
  return Number.isNaN(difference) ? 0 : Math.sign(difference);
}

/** Whether `version` has the 2026-04 rejection reasons and the rejection `source`. */
export function hasApi202604PaymentRejectionFields(version: string): boolean {
  return compareApiVersions(version, "2026-04") >= 0;
}

// ---------------------------------------------------------------------------------------------
// Enums (spec §8)
// ---------------------------------------------------------------------------------------------

export const PAYMENT_REJECTION_REASONS_BEFORE_2026_04 = [
  "AUTHENTICATION_FAILED",
  "CARD_DECLINED",
  "CONFIRMATION_REJECTED",
  "EXPIRED_CARD",
  "INCORRECT_ADDRESS",
  "INCORRECT_CVC",
  "INCORRECT_NUMBER",
  "INCORRECT_PIN",
  "INCORRECT_ZIP",
  "INVALID_CVC",
  "INVALID_EXPIRY_DATE",
  "INVALID_NUMBER",
  "PROCESSING_ERROR",
  "RISKY",
] as const;

export const PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04 = [
  "AMOUNT_TOO_LARGE",
  "AMOUNT_TOO_SMALL",
  "AUTHENTICATION_REQUIRED",
  "CALL_ISSUER",
  "CANCELLED_PAYMENT",
  "CARD_TESTING",
  "DO_NOT_HONOR",
  "FRAUD_SUSPECTED",
  "HIGH_RISK_FRAUD_SUSPECTED",
  "INSTRUMENT_DECLINED",
  "INSUFFICIENT_FUNDS",
  "INVALID_AMOUNT",
  "INVALID_CURRENCY",
  "INVALID_PAYMENT_METHOD",
  "INVALID_PURCHASE_TYPE",
  "INVALID_REQUEST",
  "MERCHANT_ACCOUNT_ERROR",
  "MERCHANT_RULE",
  "PAYMENT_METHOD_UNSUPPORTED",
  "PICK_UP_CARD",
  "RETRY_DECLINED",
  "TRANSACTION_LIMIT_EXCEEDED",
] as const;

export type PaymentRejectionReason =
  | (typeof PAYMENT_REJECTION_REASONS_BEFORE_2026_04)[number]
  | (typeof PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04)[number];

const ADDED_IN_2026_04: ReadonlySet<string> = new Set(PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04);

/** Whether a payment rejection reason exists in `version` (RISKY stays valid, only deprecated). */
export function isPaymentRejectionReasonAvailable(reason: PaymentRejectionReason, version: string): boolean {
  return !ADDED_IN_2026_04.has(reason) || hasApi202604PaymentRejectionFields(version);
}

export type PendingReason = "BUYER_ACTION_REQUIRED" | "MERCHANT_ACTION_REQUIRED" | "NETWORK_ACTION_REQUIRED" | "PARTNER_ACTION_REQUIRED";
export type RejectionSource = "NETWORK" | "PROVIDER";
export type FollowUpRejectionReason = "AUTHORIZATION_EXPIRED" | "PROCESSING_ERROR";

const FOLLOW_UP_REJECTION_REASONS: Record<FollowUpKind, readonly FollowUpRejectionReason[]> = {
  refund: ["PROCESSING_ERROR"],
  capture: ["AUTHORIZATION_EXPIRED", "PROCESSING_ERROR"],
  void: ["PROCESSING_ERROR"],
};

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

export type PaymentSessionState =
  | { readonly code: "RESOLVED" }
  | {
      readonly code: "REJECTED";
      readonly reason: PaymentRejectionReason;
      readonly merchantMessage: string | null;
      readonly source: RejectionSource | null;
    }
  | { readonly code: "PENDING"; readonly reason: PendingReason }
  | { readonly code: "REDIRECTING" }
  | { readonly code: "CONFIRMING" }
  | { readonly code: "BUYER_ACTION_REQUIRED" };

export type PaymentStateCode = PaymentSessionState["code"];

export type FollowUpSessionState =
  | { readonly code: "RESOLVED" }
  | { readonly code: "REJECTED"; readonly reason: FollowUpRejectionReason; readonly merchantMessage: string | null };

export type PaymentMutation =
  | "paymentSessionResolve"
  | "paymentSessionReject"
  | "paymentSessionPending"
  | "paymentSessionRedirect"
  | "paymentSessionConfirm"
  | "paymentSessionModal";

export type FollowUpMutation =
  | "refundSessionResolve"
  | "refundSessionReject"
  | "captureSessionResolve"
  | "captureSessionReject"
  | "voidSessionResolve"
  | "voidSessionReject";

export type SessionMutation = PaymentMutation | FollowUpMutation;

/** A state change that happened (a repeated mutation adds none). */
export interface Transition {
  readonly at: Date;
  readonly mutation: SessionMutation;
  readonly from: PaymentStateCode | "OPEN";
  readonly to: PaymentStateCode;
}

/** Every mutation call on the session, including repeats and refusals. */
export interface Attempt {
  readonly at: Date;
  readonly mutation: SessionMutation;
  readonly result: "applied" | "repeated" | "refused";
  /** The user error code, or the message for errors without a code. */
  readonly error?: string;
}

interface SessionBase {
  readonly gid: string;
  /** The id part of the gid, as in Shopify's session request body. */
  readonly id: string;
  readonly shop: string;
  readonly registeredAt: Date;
  readonly history: readonly Transition[];
  readonly attempts: readonly Attempt[];
}

export interface ThreeDSecureAuthenticationInput {
  readonly authenticationData?: {
    readonly authenticationFlow: "CHALLENGE" | "FRICTIONLESS" | "UNKNOWN";
    readonly chargebackLiability: "MERCHANT" | "UNKNOWN";
    readonly transStatus: "A" | "I" | "N" | "R" | "U" | "Y";
    readonly version: string;
    readonly transStatusReason?: string | null;
    readonly dsTransactionId?: string | null;
  } | null;
  readonly partnerError?: "PROCESSING_ERROR" | null;
}

export interface PaymentDetailsInput {
  readonly cardNotPresent?: { readonly avsResultCode?: string | null; readonly cvvResultCode?: string | null } | null;
}

export interface PaymentSessionRecord extends SessionBase {
  readonly kind: "payment";
  readonly paymentKind: PaymentKind;
  readonly paymentMethod: PaymentMethod;
  /** Extension flag `supports_3ds`; only credit card sessions can be redirected. */
  readonly supports3ds: boolean;
  /** Extension set up for the confirmation flow (`supports_oversell_protection` + callback URL). */
  readonly confirmationSupported: boolean;
  /** null while open (created by Shopify's request, no mutation yet). */
  readonly state: PaymentSessionState | null;
  readonly authorizationExpiresAt: string | null;
  readonly pendingExpiresAt: string | null;
  readonly networkTransactionId: string | null;
  /** Set by paymentSessionRedirect; from then on resolve/reject need `authentication` (credit card). */
  readonly threeDSecureRedirectUrl: string | null;
  readonly authentication: ThreeDSecureAuthenticationInput | null;
  readonly paymentDetails: PaymentDetailsInput | null;
  readonly modal: { readonly action: unknown; readonly expiresAt: string | null } | null;
}

export interface FollowUpSessionRecord extends SessionBase {
  readonly kind: FollowUpKind;
  readonly state: FollowUpSessionState | null;
}

export type SessionRecord = PaymentSessionRecord | FollowUpSessionRecord;

export interface RegisterSessionInput {
  gid: string;
  shop: string;
  kind: SessionKind;
  /** Payments only; default "sale". */
  paymentKind?: PaymentKind;
  /** Payments only; default "offsite". */
  paymentMethod?: PaymentMethod;
  supports3ds?: boolean;
  confirmationSupported?: boolean;
}

export interface PaymentsAppConfiguration {
  readonly externalHandle: string | null;
  readonly ready: boolean;
  readonly updatedAt: Date;
}

// ---------------------------------------------------------------------------------------------
// Mutation results
// ---------------------------------------------------------------------------------------------

export interface UserError<Code extends string | null = string | null> {
  readonly code: Code;
  readonly field: readonly string[] | null;
  readonly message: string;
}

export type MutationResult<Session, Code extends string | null> =
  | { readonly ok: true; readonly session: Session; readonly repeated: boolean }
  | { readonly ok: false; readonly error: UserError<Code> };

/** paymentSessionResolve / paymentSessionReject use the generic UserError, which has no code. */
export type GenericResult = MutationResult<PaymentSessionRecord, null>;
export type PendingErrorCode =
  | "EXPIRED_PENDING_EXPIRES_AT"
  | "NOT_FOUND"
  | "OUT_OF_RANGE_PENDING_EXPIRES_AT"
  | "PENDING_INVALID_STATE"
  | "UNSUPPORTED_PAYMENT_METHOD";
export type RedirectErrorCode =
  | "BUYER_ALREADY_REDIRECTED_BY_SHOPIFY"
  | "INVALID_STATE_TRANSITION"
  | "PAYMENT_SESSION_NOT_FOUND"
  | "REDIRECT_NOT_SUPPORTED_FOR_CREDIT_CARD"
  | "REDIRECT_NOT_SUPPORTED_FOR_OFFSITE"
  | "REDIRECT_NOT_SUPPORTED_FOR_ONSITE";
export type ConfirmErrorCode = "CONFIRMATION_NOT_SUPPORTED" | "INVALID_STATE_TRANSITION" | "PAYMENT_SESSION_NOT_FOUND";
export type ModalErrorCode =
  | "EXPIRED_MODAL_EXPIRES_AT"
  | "INVALID_STATE_TRANSITION"
  | "OUT_OF_RANGE_MODAL_EXPIRES_AT"
  | "PAYMENT_SESSION_NOT_FOUND"
  | "UNSUPPORTED_PAYMENT_METHOD_FOR_MODAL";
export type FollowUpErrorCode = `${Uppercase<FollowUpKind>}_SESSION_INVALID_STATE` | `${Uppercase<FollowUpKind>}_SESSION_NOT_FOUND`;

/** Who is calling: the shop owning the access token, and the API version in the path. */
export interface CallScope {
  readonly shop: string;
  readonly version: string;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

export interface StateOptions {
  now?: () => Date;
  /** Furthest `pendingExpiresAt` accepted, from now. UNCONFIRMED (spec §5.2); Shopify recommends 3 days. */
  pendingLimitMs?: number;
  /** Furthest `paymentSessionModal.expiresAt` accepted, from now. UNCONFIRMED (spec §5.2). */
  modalLimitMs?: number;
  /** How long after Shopify's request a 3DS redirect is still accepted. UNCONFIRMED (spec §5.2). */
  redirectWindowMs?: number;
  /**
   * Refund/capture/void reject repeated with a *different* reason: "succeed" (reason ignored,
   * like the mutation docs say) or "invalid-state" (like the user-error docs say). UNCONFIRMED (spec §4.2).
   */
  followUpRejectWithDifferentReason?: "succeed" | "invalid-state";
}

export const DEFAULT_PENDING_LIMIT_MS = 3 * DAY_MS;
export const DEFAULT_MODAL_LIMIT_MS = 3 * DAY_MS;
export const DEFAULT_REDIRECT_WINDOW_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const GID_TYPES: Record<SessionKind, string> = {
  payment: "PaymentSession",
  refund: "RefundSession",
  capture: "CaptureSession",
  void: "VoidSession",
};

const GID_PATTERN = /^gid:\/\/shopify\/(PaymentSession|RefundSession|CaptureSession|VoidSession)\/([^/?#\s]+)$/;

/** Formats a date as Shopify prints DateTime values: seconds precision, UTC, `Z`. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function toDate(value: string): Date {
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasOffset ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`Not a DateTime: ${JSON.stringify(value)}`);
  return date;
}

const TRANS_STATUS_REASON = /^(0[1-9]|1[0-9]|2[0-6]|[89][0-9])$/;

/** Shopify's stated rules for the 3DS result (spec §8). Returns the first violation. */
export function checkThreeDSecureAuthentication(input: ThreeDSecureAuthenticationInput): UserError<null> | null {
  const data = input.authenticationData ?? null;
  const partnerError = input.partnerError ?? null;
  if ((data === null) === (partnerError === null)) {
    return { code: null, field: ["authentication"], message: "Provide exactly one of authenticationData and partnerError." };
  }
  if (data === null) return null;
  const field = (name: string) => ["authentication", "authenticationData", name];
  if (data.authenticationFlow === "CHALLENGE" && data.transStatus === "I") {
    return { code: null, field: field("authenticationFlow"), message: "authenticationFlow CHALLENGE is not allowed with transStatus I." };
  }
  if (data.chargebackLiability === "UNKNOWN" && (data.transStatus === "N" || data.transStatus === "R")) {
    return { code: null, field: field("chargebackLiability"), message: "chargebackLiability UNKNOWN is not allowed with transStatus N or R." };
  }
  const reason = data.transStatusReason ?? null;
  if (reason === null && (data.transStatus === "N" || data.transStatus === "U" || data.transStatus === "R")) {
    return { code: null, field: field("transStatusReason"), message: "transStatusReason is required when transStatus is N, U or R." };
  }
  if (reason !== null && !TRANS_STATUS_REASON.test(reason)) {
    return { code: null, field: field("transStatusReason"), message: "transStatusReason must be two digits, 01-26 or 80-99." };
  }
  return null;
}

function capitalized(kind: SessionKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

export class PaymentsAppsState {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly configurations = new Map<string, PaymentsAppConfiguration>();
  private readonly now: () => Date;
  private readonly pendingLimitMs: number;
  private readonly modalLimitMs: number;
  private readonly redirectWindowMs: number;
  private readonly closedRedirectWindows = new Set<string>();
  private readonly followUpRejectWithDifferentReason: "succeed" | "invalid-state";

  constructor(options: StateOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.pendingLimitMs = options.pendingLimitMs ?? DEFAULT_PENDING_LIMIT_MS;
    this.modalLimitMs = options.modalLimitMs ?? DEFAULT_MODAL_LIMIT_MS;
    this.redirectWindowMs = options.redirectWindowMs ?? DEFAULT_REDIRECT_WINDOW_MS;
    this.followUpRejectWithDifferentReason = options.followUpRejectWithDifferentReason ?? "succeed";
  }

  /**
   * Records a session Shopify opened with its own request. Registering the same gid again with
   * the same attributes (Shopify retrying its request) returns the existing record.
   */
  registerSession(input: RegisterSessionInput): SessionRecord {
    const match = GID_PATTERN.exec(input.gid);
    if (!match || match[1] !== GID_TYPES[input.kind]) {
      throw new Error(`A ${input.kind} session gid looks like gid://shopify/${GID_TYPES[input.kind]}/{id}; got ${JSON.stringify(input.gid)}`);
    }
    if (input.shop.trim() === "") throw new Error("registerSession needs the shop the session belongs to");
    const id = match[2] ?? "";
    const registeredAt = this.now();
    const base = { gid: input.gid, id, shop: input.shop, registeredAt, history: [], attempts: [] };
    const record: SessionRecord =
      input.kind === "payment"
        ? {
            ...base,
            kind: "payment",
            paymentKind: input.paymentKind ?? "sale",
            paymentMethod: input.paymentMethod ?? "offsite",
            supports3ds: input.supports3ds ?? false,
            confirmationSupported: input.confirmationSupported ?? false,
            state: null,
            authorizationExpiresAt: null,
            pendingExpiresAt: null,
            networkTransactionId: null,
            threeDSecureRedirectUrl: null,
            authentication: null,
            paymentDetails: null,
            modal: null,
          }
        : { ...base, kind: input.kind, state: null };

    const existing = this.sessions.get(input.gid);
    if (existing) {
      if (!sameRegistration(existing, record)) {
        throw new Error(`Session ${input.gid} is already registered with different attributes`);
      }
      return existing;
    }
    this.sessions.set(input.gid, record);
    return record;
  }

  getSession(gid: string): SessionRecord | undefined {
    return this.sessions.get(gid);
  }

  /**
   * Shopify has already moved this buyer on (its own 3-D Secure or the next
   * checkout step): a paymentSessionRedirect from now on is refused as too late,
   * as it is once redirectWindowMs has passed.
   */
  closeRedirectWindow(gid: string): void {
    if (!this.sessions.has(gid)) throw new Error(`closeRedirectWindow: no session ${gid}; register it first`);
    this.closedRedirectWindows.add(gid);
  }

  listSessions(shop?: string): readonly SessionRecord[] {
    const all = [...this.sessions.values()];
    return shop === undefined ? all : all.filter((session) => session.shop === shop);
  }

  // ---- paymentsAppConfigure ---------------------------------------------------------------

  /** Stores the shop's configuration; an omitted externalHandle keeps the previous one. */
  paymentsAppConfigure(scope: CallScope, args: { externalHandle?: string | null; ready: boolean }): PaymentsAppConfiguration {
    const previous = this.configurations.get(scope.shop);
    const externalHandle = args.externalHandle === undefined ? (previous?.externalHandle ?? null) : args.externalHandle;
    const configuration = { externalHandle, ready: args.ready, updatedAt: this.now() };
    this.configurations.set(scope.shop, configuration);
    return configuration;
  }

  getConfiguration(shop: string): PaymentsAppConfiguration | undefined {
    return this.configurations.get(shop);
  }

  // ---- payment sessions -------------------------------------------------------------------

  paymentSessionResolve(
    scope: CallScope,
    args: {
      id: string;
      authorizationExpiresAt?: string | null;
      authentication?: ThreeDSecureAuthenticationInput | null;
      networkTransactionId?: string | null;
      paymentDetails?: PaymentDetailsInput | null;
    },
  ): GenericResult {
    const mutation = "paymentSessionResolve";
    const session = this.findPayment(scope, args.id);
    if (!session) return notFound(null, "Payment session not found.");
    if (session.state?.code === "RESOLVED") return this.repeated(session, mutation);
    if (session.state?.code === "REJECTED") {
      return this.refuse(session, mutation, { code: null, field: ["id"], message: "Payment session has already been rejected." });
    }
    const authenticationError = this.checkAuthenticationArgument(session, args.authentication ?? null);
    if (authenticationError) return this.refuse(session, mutation, authenticationError);
    return this.apply(session, mutation, { code: "RESOLVED" }, {
      authorizationExpiresAt:
        session.paymentKind === "authorization" && args.authorizationExpiresAt ? formatDateTime(toDate(args.authorizationExpiresAt)) : null,
      networkTransactionId: args.networkTransactionId ?? null,
      authentication: args.authentication ?? null,
      paymentDetails: args.paymentDetails ?? null,
    });
  }

  paymentSessionReject(
    scope: CallScope,
    args: {
      id: string;
      reason: { code: PaymentRejectionReason; merchantMessage?: string | null; source?: RejectionSource | null };
      authentication?: ThreeDSecureAuthenticationInput | null;
      paymentDetails?: PaymentDetailsInput | null;
    },
  ): GenericResult {
    const mutation = "paymentSessionReject";
    const session = this.findPayment(scope, args.id);
    if (!session) return notFound(null, "Payment session not found.");
    // A repeat ignores the new reason (spec §4.2).
    if (session.state?.code === "REJECTED") return this.repeated(session, mutation);
    if (session.state?.code === "RESOLVED") {
      return this.refuse(session, mutation, { code: null, field: ["id"], message: "Payment session has already been resolved." });
    }
    if (!isPaymentRejectionReasonAvailable(args.reason.code, scope.version)) {
      return this.refuse(session, mutation, {
        code: null,
        field: ["reason", "code"],
        message: `Rejection reason ${args.reason.code} is not available in API version ${scope.version}; it was added in 2026-04.`,
      });
    }
    const authenticationError = this.checkAuthenticationArgument(session, args.authentication ?? null);
    if (authenticationError) return this.refuse(session, mutation, authenticationError);
    return this.apply(
      session,
      mutation,
      {
        code: "REJECTED",
        reason: args.reason.code,
        merchantMessage: args.reason.merchantMessage ?? null,
        source: hasApi202604PaymentRejectionFields(scope.version) ? (args.reason.source ?? null) : null,
      },
      { authentication: args.authentication ?? null, paymentDetails: args.paymentDetails ?? null },
    );
  }

  paymentSessionPending(
    scope: CallScope,
    args: { id: string; pendingExpiresAt: string; reason: PendingReason },
  ): MutationResult<PaymentSessionRecord, PendingErrorCode> {
    const mutation = "paymentSessionPending";
    const session = this.findPayment(scope, args.id);
    if (!session) return notFound("NOT_FOUND", "Payment session not found.");
    if (session.paymentMethod === "credit_card") {
      return this.refuse(session, mutation, {
        code: "UNSUPPORTED_PAYMENT_METHOD",
        field: ["id"],
        message: "Credit card payments cannot be pending.",
      });
    }
    // Calling pending again while pending: idempotent success, new arguments ignored (spec §7.3).
    if (session.state?.code === "PENDING") return this.repeated(session, mutation);
    if (session.state !== null) {
      return this.refuse(session, mutation, {
        code: "PENDING_INVALID_STATE",
        field: ["id"],
        message: `Payment session is ${session.state.code} and cannot become pending.`,
      });
    }
    const expiresAt = toDate(args.pendingExpiresAt);
    const now = this.now();
    if (expiresAt.getTime() <= now.getTime()) {
      return this.refuse(session, mutation, {
        code: "EXPIRED_PENDING_EXPIRES_AT",
        field: ["pendingExpiresAt"],
        message: "pendingExpiresAt must be in the future.",
      });
    }
    if (expiresAt.getTime() - now.getTime() > this.pendingLimitMs) {
      return this.refuse(session, mutation, {
        code: "OUT_OF_RANGE_PENDING_EXPIRES_AT",
        field: ["pendingExpiresAt"],
        message: `pendingExpiresAt must be within ${describeDuration(this.pendingLimitMs)} from now.`,
      });
    }
    return this.apply(session, mutation, { code: "PENDING", reason: args.reason }, { pendingExpiresAt: formatDateTime(expiresAt) });
  }

  paymentSessionRedirect(scope: CallScope, args: { id: string; redirectUrl: string }): MutationResult<PaymentSessionRecord, RedirectErrorCode> {
    const mutation = "paymentSessionRedirect";
    const session = this.findPayment(scope, args.id);
    if (!session) return notFound("PAYMENT_SESSION_NOT_FOUND", "Payment session not found.");
    const field = ["id"];
    if (session.paymentMethod === "offsite") {
      return this.refuse(session, mutation, { code: "REDIRECT_NOT_SUPPORTED_FOR_OFFSITE", field, message: "Offsite payments cannot be redirected." });
    }
    if (session.paymentMethod === "alternative") {
      return this.refuse(session, mutation, { code: "REDIRECT_NOT_SUPPORTED_FOR_ONSITE", field, message: "Onsite payments cannot be redirected." });
    }
    if (!session.supports3ds) {
      return this.refuse(session, mutation, {
        code: "REDIRECT_NOT_SUPPORTED_FOR_CREDIT_CARD",
        field,
        message: "The payments extension does not support 3-D Secure (supports_3ds = false).",
      });
    }
    if (session.state?.code === "REDIRECTING") return this.repeated(session, mutation);
    if (session.state !== null) {
      return this.refuse(session, mutation, {
        code: "INVALID_STATE_TRANSITION",
        field,
        message: `Payment session is ${session.state.code} and cannot be redirected.`,
      });
    }
    if (this.closedRedirectWindows.has(session.gid) || this.now().getTime() - session.registeredAt.getTime() > this.redirectWindowMs) {
      return this.refuse(session, mutation, {
        code: "BUYER_ALREADY_REDIRECTED_BY_SHOPIFY",
        field,
        message: "Shopify already moved the buyer on; the redirect came too late.",
      });
    }
    return this.apply(session, mutation, { code: "REDIRECTING" }, { threeDSecureRedirectUrl: args.redirectUrl });
  }

  paymentSessionConfirm(scope: CallScope, args: { id: string }): MutationResult<PaymentSessionRecord, ConfirmErrorCode> {
    const mutation = "paymentSessionConfirm";
    const session = this.findPayment(scope, args.id);
    if (!session) return notFound("PAYMENT_SESSION_NOT_FOUND", "Payment session not found.");
    if (!session.confirmationSupported) {
      return this.refuse(session, mutation, {
        code: "CONFIRMATION_NOT_SUPPORTED",
        field: ["id"],
        message: "The payments extension is not set up for the confirmation flow.",
      });
    }
    if (session.state?.code === "CONFIRMING") return this.repeated(session, mutation);
    if (session.state !== null && session.state.code !== "REDIRECTING") {
      return this.refuse(session, mutation, {
        code: "INVALID_STATE_TRANSITION",
        field: ["id"],
        message: `Payment session is ${session.state.code} and cannot be confirmed.`,
      });
    }
    return this.apply(session, mutation, { code: "CONFIRMING" }, {});
  }

  paymentSessionModal(
    scope: CallScope,
    args: { id: string; action: unknown; expiresAt?: string | null },
  ): MutationResult<PaymentSessionRecord, ModalErrorCode> {
    const mutation = "paymentSessionModal";
    const session = this.findPayment(scope, args.id);
    if (!session) return notFound("PAYMENT_SESSION_NOT_FOUND", "Payment session not found.");
    if (session.paymentMethod !== "alternative") {
      return this.refuse(session, mutation, {
        code: "UNSUPPORTED_PAYMENT_METHOD_FOR_MODAL",
        field: ["id"],
        message: "Only alternative payment methods can show a modal.",
      });
    }
    if (session.state?.code === "BUYER_ACTION_REQUIRED") return this.repeated(session, mutation);
    if (session.state !== null) {
      return this.refuse(session, mutation, {
        code: "INVALID_STATE_TRANSITION",
        field: ["id"],
        message: `Payment session is ${session.state.code} and cannot show a modal.`,
      });
    }
    let expiresAt: string | null = null;
    if (args.expiresAt) {
      const date = toDate(args.expiresAt);
      const now = this.now();
      if (date.getTime() <= now.getTime()) {
        return this.refuse(session, mutation, { code: "EXPIRED_MODAL_EXPIRES_AT", field: ["expiresAt"], message: "expiresAt must be in the future." });
      }
      if (date.getTime() - now.getTime() > this.modalLimitMs) {
        return this.refuse(session, mutation, {
          code: "OUT_OF_RANGE_MODAL_EXPIRES_AT",
          field: ["expiresAt"],
          message: `expiresAt must be within ${describeDuration(this.modalLimitMs)} from now.`,
        });
      }
      expiresAt = formatDateTime(date);
    }
    return this.apply(session, mutation, { code: "BUYER_ACTION_REQUIRED" }, { modal: { action: args.action, expiresAt } });
  }

  // ---- refund / capture / void --------------------------------------------------------------

  followUpSessionResolve(kind: FollowUpKind, scope: CallScope, args: { id: string }): MutationResult<FollowUpSessionRecord, FollowUpErrorCode> {
    const mutation = `${kind}SessionResolve` as FollowUpMutation;
    const session = this.findFollowUp(kind, scope, args.id);
    if (!session) return notFound(`${upper(kind)}_SESSION_NOT_FOUND`, `${capitalized(kind)} session not found.`);
    if (session.state?.code === "RESOLVED") return this.repeated(session, mutation);
    if (session.state?.code === "REJECTED") {
      return this.refuse(session, mutation, {
        code: `${upper(kind)}_SESSION_INVALID_STATE`,
        field: ["id"],
        message: `${capitalized(kind)} session has already been rejected.`,
      });
    }
    return this.applyFollowUp(session, mutation, { code: "RESOLVED" });
  }

  followUpSessionReject(
    kind: FollowUpKind,
    scope: CallScope,
    args: { id: string; reason: { code: FollowUpRejectionReason; merchantMessage?: string | null } },
  ): MutationResult<FollowUpSessionRecord, FollowUpErrorCode> {
    const mutation = `${kind}SessionReject` as FollowUpMutation;
    const session = this.findFollowUp(kind, scope, args.id);
    if (!session) return notFound(`${upper(kind)}_SESSION_NOT_FOUND`, `${capitalized(kind)} session not found.`);
    const invalidState = (message: string) =>
      this.refuse(session, mutation, { code: `${upper(kind)}_SESSION_INVALID_STATE`, field: ["id"], message });
    if (session.state?.code === "RESOLVED") return invalidState(`${capitalized(kind)} session has already been resolved.`);
    if (session.state?.code === "REJECTED") {
      if (session.state.reason !== args.reason.code && this.followUpRejectWithDifferentReason === "invalid-state") {
        return invalidState(`${capitalized(kind)} session has already been rejected with a different reason.`);
      }
      return this.repeated(session, mutation);
    }
    if (!FOLLOW_UP_REJECTION_REASONS[kind].includes(args.reason.code)) {
      return invalidState(`${args.reason.code} is not a ${kind} rejection reason.`);
    }
    return this.applyFollowUp(session, mutation, {
      code: "REJECTED",
      reason: args.reason.code,
      merchantMessage: args.reason.merchantMessage ?? null,
    });
  }

  // ---- internals ----------------------------------------------------------------------------

  private findPayment(scope: CallScope, gid: string): PaymentSessionRecord | undefined {
    const session = this.sessions.get(gid);
    return session?.kind === "payment" && session.shop === scope.shop ? session : undefined;
  }

  private findFollowUp(kind: FollowUpKind, scope: CallScope, gid: string): FollowUpSessionRecord | undefined {
    const session = this.sessions.get(gid);
    return session && session.kind === kind && session.shop === scope.shop ? session : undefined;
  }

  /** `authentication` is required exactly when a credit card session was redirected for 3DS. */
  private checkAuthenticationArgument(session: PaymentSessionRecord, authentication: ThreeDSecureAuthenticationInput | null): UserError<null> | null {
    const required = session.paymentMethod === "credit_card" && session.threeDSecureRedirectUrl !== null;
    if (required && authentication === null) {
      return { code: null, field: ["authentication"], message: "authentication is required after paymentSessionRedirect." };
    }
    if (!required && authentication !== null) {
      return { code: null, field: ["authentication"], message: "authentication is only accepted after paymentSessionRedirect." };
    }
    return authentication === null ? null : checkThreeDSecureAuthentication(authentication);
  }

  private apply(
    session: PaymentSessionRecord,
    mutation: PaymentMutation,
    state: PaymentSessionState,
    changes: Partial<Omit<PaymentSessionRecord, "kind" | "state" | "history" | "attempts">>,
  ): { ok: true; session: PaymentSessionRecord; repeated: false } {
    const at = this.now();
    const next: PaymentSessionRecord = {
      ...session,
      ...changes,
      state,
      history: [...session.history, { at, mutation, from: session.state?.code ?? "OPEN", to: state.code }],
      attempts: [...session.attempts, { at, mutation, result: "applied" }],
    };
    this.sessions.set(session.gid, next);
    return { ok: true, session: next, repeated: false };
  }

  private applyFollowUp(
    session: FollowUpSessionRecord,
    mutation: FollowUpMutation,
    state: FollowUpSessionState,
  ): { ok: true; session: FollowUpSessionRecord; repeated: false } {
    const at = this.now();
    const next: FollowUpSessionRecord = {
      ...session,
      state,
      history: [...session.history, { at, mutation, from: session.state?.code ?? "OPEN", to: state.code }],
      attempts: [...session.attempts, { at, mutation, result: "applied" }],
    };
    this.sessions.set(session.gid, next);
    return { ok: true, session: next, repeated: false };
  }

  private repeated<S extends SessionRecord>(session: S, mutation: SessionMutation): { ok: true; session: S; repeated: true } {
    const next = { ...session, attempts: [...session.attempts, { at: this.now(), mutation, result: "repeated" as const }] };
    this.sessions.set(session.gid, next);
    return { ok: true, session: next, repeated: true };
  }

  private refuse<Code extends string | null>(session: SessionRecord, mutation: SessionMutation, error: UserError<Code>): { ok: false; error: UserError<Code> } {
    const next = {
      ...session,
      attempts: [...session.attempts, { at: this.now(), mutation, result: "refused" as const, error: error.code ?? error.message }],
    };
    this.sessions.set(session.gid, next);
    return { ok: false, error };
  }
}

function upper<K extends FollowUpKind>(kind: K): Uppercase<K> {
  return kind.toUpperCase() as Uppercase<K>;
}

function notFound<Code extends string | null>(code: Code, message: string): { ok: false; error: UserError<Code> } {
  return { ok: false, error: { code, field: ["id"], message } };
}

function sameRegistration(a: SessionRecord, b: SessionRecord): boolean {
  if (a.kind !== b.kind || a.shop !== b.shop) return false;
  if (a.kind === "payment" && b.kind === "payment") {
    return (
      a.paymentKind === b.paymentKind &&
      a.paymentMethod === b.paymentMethod &&
      a.supports3ds === b.supports3ds &&
      a.confirmationSupported === b.confirmationSupported
    );
  }
  return true;
}

function describeDuration(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} day${ms === DAY_MS ? "" : "s"}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  return `${ms} ms`;
}
