import type { AddressRole, AuditEntry, DeliveryStatus, FollowUpStatus } from "@prisma/client";
import { SHOPIFY_ACTOR } from "../audit/audit-trail.server";
import { CARD_BRANDS, formatCardSummary } from "../cards/card-summary";
import type { Db } from "../db.server";
import { DELIVERY_OPERATIONS } from "../payments/rules/delivery-operations";
import { formatAmount, formatMoney } from "../payments/rules/money";
import type { PaymentFacts } from "../payments/rules/payment-facts";
import { readPaymentFacts } from "../payments/rules/payment-ledger.server";
import { paymentLinkExpiresAt, paymentStatusWord, type PaymentStatusWord } from "../payments/rules/payment-status-words";
import { getPaymentCustomer, type PaymentCustomer } from "../privacy/customer-data.server";
import { getPiiKeyring } from "../privacy/keyring.server";
import { maskEmail, maskPhone, maskText } from "./mask";
import { newestFirst, type TimelineEvent } from "./timeline";
import {
  deliveryRetryAvailability,
  FOLLOW_UP_REJECTION_CODES,
  followUpActions,
  paymentActions,
  paymentRejectionCodes,
  requireShopPayment,
  type ActionAvailability,
} from "./staff-actions.server";

/**
 * Everything support staff see about one payment: the request as Shopify sent
 * it (customer data masked unless revealed, which the action records), the
 * money totals (the payments domain's facts), its refunds, captures and voids,
 * every delivery and attempt, and one timeline of what happened, newest first,
 * in plain words, each event keeping its technical facts for engineers. Each
 * part is one small named read; the views are built from them.
 */
export interface CustomerView {
  email: string | null;
  phone: string | null;
  locale: string | null;
  addresses: { role: AddressRole; name: string; lines: string[]; country: string; phone: string | null }[];
}

export type { TimelineEvent } from "./timeline";

// ---------------------------------------------------------------- Card payments (issue 13)

/** What staff see of a card: the summary the app kept; never more exists. */
export interface CardView {
  summary: string;
  initials: string | null;
}

function cardView(payment: { cardBrand: string | null; cardLast4: string | null; cardExpiryMonth: number | null; cardExpiryYear: number | null; cardInitials: string | null }): CardView | null {
  if (!payment.cardLast4 || payment.cardExpiryMonth === null || payment.cardExpiryYear === null) return null;
  const brand = CARD_BRANDS.find((known) => known === payment.cardBrand) ?? "unknown";
  return {
    summary: formatCardSummary({ brand, last4: payment.cardLast4, expiryMonth: payment.cardExpiryMonth, expiryYear: payment.cardExpiryYear }),
    initials: payment.cardInitials || null,
  };
}

// ----------------------------------------------------------------

export interface FollowUpView {
  kind: "refund" | "capture" | "void";
  id: string;
  shopifyId: string;
  gid: string;
  status: FollowUpStatus;
  formattedAmount: string | null;
  receivedAt: string;
  ruleViolation: string | null;
  rejection: string | null;
  /** Since when the provider left it undecided, while it still waits for staff (needs attention). */
  waitingForStaffSince: string | null;
  actions: Record<"resolve" | "reject", ActionAvailability>;
  rejectionCodes: string[];
}

export interface DeliveryView {
  id: string;
  /** The Payments Apps mutation (technical details). */
  operation: string;
  /** "Tell Shopify the payment succeeded". */
  telling: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  retry: ActionAvailability;
}

export interface PaymentDetail {
  payment: {
    id: string;
    shopifyId: string;
    gid: string;
    group: string;
    sessionId: string | null;
    kind: "SALE" | "AUTHORIZATION";
    test: boolean;
    status: "OPEN" | "PENDING" | "RESOLVED" | "REJECTED";
    formattedAmount: string;
    currency: string;
    merchantLocale: string;
    paymentMethodType: string;
    proposedAt: string;
    receivedAt: string;
    shopifyApiVersion: string;
    shopifyRequestId: string;
    providerName: string | null;
    providerReference: string | null;
    /** Set only while the payment is rejected. */
    rejection: string | null;
    rejectionMessage: string | null;
    /** Set only while the payment is pending (history is in the timeline). */
    pendingReason: string | null;
    /** The pending reason in words ("waiting for the payment provider"). */
    pendingReasonWords: string | null;
    pendingExpiresAt: string | null;
    /** Set only while something of the authorization can still be captured. */
    authorizationExpiresAt: string | null;
  };
  /** The status in a merchant's words ("Authorized", "Partially refunded"…). */
  status: PaymentStatusWord;
  /** The buyer as support staff recognise them without a reveal: "C. Roy" (billing name, else shipping). */
  buyer: string | null;
  customer: CustomerView | null;
  /** Card payments (issue 13): what the app kept of the card, e.g. "Visa •••• 4242, 12/2029". */
  card: CardView | null;
  /** When customers/redact erased the payment's customer details (then `customer` is null). */
  customerErasedAt: string | null;
  totals: { authorized: string; captured: string; refunded: string; refundable: string; capturable: string | null };
  followUps: FollowUpView[];
  deliveries: DeliveryView[];
  timeline: TimelineEvent[];
  /** `byShopify`: recorded for Shopify's privacy webhooks, not by a staff member. */
  audit: { at: string; staffUserId: string; staffName: string; staffEmail: string | null; byShopify: boolean; action: string; before: string | null; after: string | null; reason: string; subject: string | null }[];
  actions: Record<"resolve" | "reject" | "pend", ActionAvailability>;
  rejectionCodes: string[];
  apiVersion: string;
}

const PROVIDER_OPERATION_WORDS: Record<string, string> = {
  CHARGE: "to charge the buyer",
  CHARGE_STATUS: "for the payment's outcome",
  CAPTURE: "to capture",
  REFUND: "to refund",
  VOID: "to void the authorization",
};

const PENDING_REASON_WORDS: Record<string, string> = {
  BUYER_ACTION_REQUIRED: "waiting for the buyer",
  PARTNER_ACTION_REQUIRED: "waiting for the payment provider",
  NETWORK_ACTION_REQUIRED: "waiting for the card network",
  MERCHANT_ACTION_REQUIRED: "waiting for the merchant",
};

/** What staff did, as the end of "{name} …". */
const STAFF_ACTION_WORDS: Record<string, string> = {
  PAYMENT_RESOLVE: "resolved the payment",
  PAYMENT_REJECT: "rejected the payment",
  PAYMENT_PEND: "marked the payment pending",
  REFUND_RESOLVE: "resolved a refund",
  REFUND_REJECT: "rejected a refund",
  CAPTURE_RESOLVE: "resolved a capture",
  CAPTURE_REJECT: "rejected a capture",
  VOID_RESOLVE: "resolved a void",
  VOID_REJECT: "rejected a void",
  DELIVERY_RETRY: "sent an outcome to Shopify again",
  PII_REVEAL: "revealed the customer's details",
  SETTINGS_UPDATE: "changed the settings",
};

type PaymentRow = Awaited<ReturnType<typeof requireShopPayment>>;
type FollowUps = Awaited<ReturnType<typeof readFollowUps>>;
type DeliveryRow = Awaited<ReturnType<typeof readOwnDeliveries>>[number] & { subject: string };
type Money = (minor: bigint) => string;

export async function loadPaymentDetail(
  db: Db,
  shop: string,
  paymentId: string,
  { locale, apiVersion, linkTtlHours, now = new Date() }: { locale: string; apiVersion: string; linkTtlHours: number; now?: Date },
): Promise<PaymentDetail> {
  const payment = await requireShopPayment(db, shop, paymentId);
  const [customer, followUps, ownDeliveries, providerCalls, auditEntries, facts] = await Promise.all([
    // Stored encrypted (decision 0006): the one read API decrypts it.
    getPaymentCustomer(db, getPiiKeyring(), shop, payment.id),
    readFollowUps(db, shop, payment.id),
    readOwnDeliveries(db, shop, payment.id),
    readProviderCalls(db, payment.id),
    readAuditEntries(db, shop, payment.id),
    // The payments domain's totals, the ones its rules decide with.
    readPaymentFacts(db, payment),
  ]);
  const replays = await readReplays(db, shop, [payment.shopifyId, ...[...followUps.refunds, ...followUps.captures, ...followUps.voids].map((row) => row.shopifyId)]);
  const money: Money = (minor) => formatMoney(formatAmount({ minor, currency: payment.currency }), payment.currency, locale);
  const totals = totalsFromFacts(facts);
  const deliveries = allDeliveries(ownDeliveries, followUps);
  const audit = auditEntries.map(auditView);

  return {
    payment: paymentView(payment, money, totals.capturableMinor),
    status: paymentStatusWord({ ...facts, status: payment.status, linkExpiresAt: paymentLinkExpiresAt(payment.receivedAt, linkTtlHours) }, now),
    buyer: customer ? buyerShortName(customer) : null,
    customer: customer ? customerView(customer, false) : null,
    card: cardView(payment),
    customerErasedAt: customer?.redactedAt ?? null,
    totals: {
      authorized: money(totals.authorizedMinor),
      captured: money(totals.capturedMinor),
      refunded: money(facts.refundedMinor),
      refundable: money(totals.refundableMinor),
      capturable: totals.capturableMinor === null ? null : money(totals.capturableMinor),
    },
    followUps: [
      ...followUps.refunds.map((row) => followUpView("refund", row, money)),
      ...followUps.captures.map((row) => followUpView("capture", row, money)),
      ...followUps.voids.map((row) => followUpView("void", { ...row, amountMinor: null }, money)),
    ].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
    deliveries: deliveries.map(deliveryView),
    timeline: newestFirst([
      ...requestEvents(payment, replays, money),
      ...providerEvents(providerCalls),
      ...paymentStateEvents(payment),
      ...followUpEvents(followUps, money),
      ...deliveryEvents(deliveries),
      ...audit.map(staffEvent),
    ]),
    audit,
    actions: paymentActions(payment.status),
    rejectionCodes: paymentRejectionCodes(apiVersion),
    apiVersion,
  };
}

function readFollowUps(db: Db, shop: string, paymentSessionId: string) {
  const where = { shop, paymentSessionId };
  const include = { deliveries: { include: { attemptLog: { orderBy: { number: "asc" as const } } } } };
  return Promise.all([
    db.refundSession.findMany({ where, orderBy: { receivedAt: "asc" }, include }),
    db.captureSession.findMany({ where, orderBy: { receivedAt: "asc" }, include }),
    db.voidSession.findMany({ where, orderBy: { receivedAt: "asc" }, include }),
  ]).then(([refunds, captures, voids]) => ({ refunds, captures, voids }));
}

function readOwnDeliveries(db: Db, shop: string, paymentSessionId: string) {
  return db.delivery.findMany({ where: { shop, paymentSessionId }, include: { attemptLog: { orderBy: { number: "asc" } } }, orderBy: { createdAt: "asc" } });
}

function readProviderCalls(db: Db, paymentSessionId: string) {
  return db.providerCall.findMany({ where: { paymentSessionId }, orderBy: { startedAt: "asc" }, take: 500 });
}

function readAuditEntries(db: Db, shop: string, paymentSessionId: string) {
  return db.auditEntry.findMany({ where: { shop, paymentSessionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

function readReplays(db: Db, shop: string, shopifyIds: string[]) {
  return db.sessionReplay.findMany({ where: { shop, shopifyId: { in: shopifyIds } }, orderBy: { receivedAt: "asc" }, take: 500 });
}

/** The page's totals, derived from the domain's facts (never summed again here). */
function totalsFromFacts(facts: PaymentFacts) {
  const authorizedMinor = facts.status === "RESOLVED" ? facts.amountMinor : 0n;
  const capturedMinor = facts.kind === "SALE" ? authorizedMinor : facts.capturedMinor;
  const refundableMinor = capturedMinor - facts.refundCommitmentsMinor;
  const capturableMinor = facts.kind === "AUTHORIZATION" && facts.status === "RESOLVED" && !facts.voided ? authorizedMinor - facts.captureCommitmentsMinor : null;
  return {
    authorizedMinor,
    capturedMinor,
    refundableMinor: refundableMinor < 0n ? 0n : refundableMinor,
    capturableMinor: capturableMinor === null ? null : capturableMinor < 0n ? 0n : capturableMinor,
  };
}

function paymentView(payment: PaymentRow, money: Money, capturableMinor: bigint | null): PaymentDetail["payment"] {
  return {
    id: payment.id,
    shopifyId: payment.shopifyId,
    gid: payment.gid,
    group: payment.group,
    sessionId: payment.sessionId,
    kind: payment.kind,
    test: payment.test,
    status: payment.status,
    formattedAmount: money(payment.amountMinor),
    currency: payment.currency,
    merchantLocale: payment.merchantLocale,
    paymentMethodType: payment.paymentMethodType,
    proposedAt: payment.proposedAt.toISOString(),
    receivedAt: payment.receivedAt.toISOString(),
    shopifyApiVersion: payment.shopifyApiVersion,
    shopifyRequestId: payment.shopifyRequestId,
    providerName: payment.providerName,
    providerReference: payment.providerReference,
    // Labels of a state show only while the payment is in it: a resolved payment
    // keeps its pendingReason column (the timeline tells that history), yet
    // "Pending: …, until …" would be false on its page.
    rejection: payment.status === "REJECTED" && payment.rejectionCode ? `${payment.rejectionCode}${payment.rejectionMessage ? `: ${payment.rejectionMessage}` : ""}` : null,
    rejectionMessage: payment.status === "REJECTED" ? payment.rejectionMessage : null,
    pendingReason: payment.status === "PENDING" ? payment.pendingReason : null,
    pendingReasonWords: payment.status === "PENDING" && payment.pendingReason ? (PENDING_REASON_WORDS[payment.pendingReason] ?? null) : null,
    pendingExpiresAt: payment.status === "PENDING" ? (payment.pendingExpiresAt?.toISOString() ?? null) : null,
    authorizationExpiresAt: capturableMinor !== null && capturableMinor > 0n ? (payment.authorizationExpiresAt?.toISOString() ?? null) : null,
  };
}

function allDeliveries(own: Awaited<ReturnType<typeof readOwnDeliveries>>, { refunds, captures, voids }: FollowUps): DeliveryRow[] {
  return [
    ...own.map((d) => ({ ...d, subject: "payment" })),
    ...refunds.flatMap((r) => r.deliveries.map((d) => ({ ...d, subject: `refund ${r.shopifyId}` }))),
    ...captures.flatMap((c) => c.deliveries.map((d) => ({ ...d, subject: `capture ${c.shopifyId}` }))),
    ...voids.flatMap((v) => v.deliveries.map((d) => ({ ...d, subject: `void ${v.shopifyId}` }))),
  ];
}

function deliveryView(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    operation: DELIVERY_OPERATIONS[d.operation].mutation,
    telling: `Tell Shopify ${DELIVERY_OPERATIONS[d.operation].tells}`,
    subject: d.subject,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "PENDING" ? d.nextAttemptAt.toISOString() : null,
    lastError: d.lastError,
    retry: deliveryRetryAvailability(d.status),
  };
}

function auditView(entry: AuditEntry): PaymentDetail["audit"][number] {
  const byShopify = entry.staffUserId === SHOPIFY_ACTOR;
  return {
    at: entry.createdAt.toISOString(),
    staffUserId: entry.staffUserId,
    staffName: byShopify ? "Shopify" : staffDisplayName(entry),
    staffEmail: entry.staffEmail,
    byShopify,
    action: entry.action,
    before: entry.beforeState,
    after: entry.afterState,
    reason: entry.reason,
    subject: entry.subject,
  };
}

/** A staff member as the audit recorded them: their name, else (older entries) their Shopify user id. */
export function staffDisplayName(entry: { staffUserId: string; staffName: string | null }): string {
  return entry.staffName ?? `Staff member ${entry.staffUserId}`;
}

const at = (date: Date) => date.toISOString();

function requestEvents(payment: PaymentRow, replays: Awaited<ReturnType<typeof readReplays>>, money: Money): TimelineEvent[] {
  const events: TimelineEvent[] = [
    {
      kind: "received",
      at: at(payment.receivedAt),
      title: `Shopify asked for ${payment.kind === "SALE" ? "a payment" : "an authorization"} of ${money(payment.amountMinor)}`,
      detail: null,
      technical: `Request ${payment.shopifyRequestId}, API ${payment.shopifyApiVersion}, ${payment.gid}`,
      tone: "info",
    },
  ];
  for (const replay of replays) {
    const which = replay.shopifyId === payment.shopifyId ? "payment" : replay.kind.toLowerCase();
    events.push({
      kind: "replayed",
      at: at(replay.receivedAt),
      title: replay.conflict ? `Shopify sent the ${which} again with different details; it was refused` : `Shopify sent the ${which} again; it got the same answer`,
      detail: null,
      technical: `Request ${replay.shopifyRequestId}, ${replay.kind} ${replay.shopifyId}${replay.conflict ? ", answered 409" : ""}`,
      tone: replay.conflict ? "critical" : "info",
    });
  }
  return events;
}

function providerEvents(calls: Awaited<ReturnType<typeof readProviderCalls>>): TimelineEvent[] {
  return calls.map((call) => ({
    kind: "provider-call",
    at: at(call.startedAt),
    title: `Asked ${call.provider} ${PROVIDER_OPERATION_WORDS[call.operation] ?? call.operation.toLowerCase()}: ${call.result}`,
    detail: null,
    technical: [`Provider ${call.provider}`, call.operation, call.followUpGid, `→ ${call.result}`, `${call.durationMs} ms`, call.reference ? `reference ${call.reference}` : null].filter(Boolean).join(" · "),
    tone: call.result === "approved" ? "success" : call.result === "declined" || call.result === "error" ? "critical" : "attention",
  }));
}

function paymentStateEvents(payment: PaymentRow): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (payment.pendingAt) {
    const why = payment.pendingReason ? (PENDING_REASON_WORDS[payment.pendingReason] ?? payment.pendingReason) : null;
    events.push({ kind: "state-changed", at: at(payment.pendingAt), title: `Payment pending${why ? `: ${why}` : ""}`, detail: null, technical: [payment.pendingReason, payment.pendingExpiresAt ? `expires ${payment.pendingExpiresAt.toISOString()}` : null].filter(Boolean).join(", ") || null, tone: "attention" });
  }
  if (payment.resolvedAt) {
    events.push({ kind: "state-changed", at: at(payment.resolvedAt), title: payment.kind === "SALE" ? "Payment succeeded" : "Payment authorized", detail: null, technical: payment.authorizationExpiresAt ? `Authorization valid until ${payment.authorizationExpiresAt.toISOString()}` : null, tone: "success" });
  }
  if (payment.rejectedAt) {
    events.push({ kind: "state-changed", at: at(payment.rejectedAt), title: "Payment failed", detail: payment.rejectionMessage, technical: payment.rejectionCode, tone: "critical" });
  }
  return events;
}

function followUpEvents({ refunds, captures, voids }: FollowUps, money: Money): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const rows = [...refunds.map((r) => ["refund", r] as const), ...captures.map((c) => ["capture", c] as const), ...voids.map((v) => ["void", v] as const)];
  for (const [kind, followUp] of rows) {
    const amount = "amountMinor" in followUp ? ` of ${money(followUp.amountMinor)}` : "";
    const technical = `${followUp.gid}, request ${followUp.shopifyRequestId}`;
    events.push({ kind: "received", at: at(followUp.receivedAt), title: `Shopify asked for a ${kind}${amount}`, detail: null, technical, tone: "info" });
    if (followUp.resolvedAt) events.push({ kind: "state-changed", at: at(followUp.resolvedAt), title: `${capitalize(kind)}${amount} went through`, detail: null, technical, tone: "success" });
    if (followUp.rejectedAt) {
      events.push({ kind: "state-changed", at: at(followUp.rejectedAt), title: `${capitalize(kind)}${amount} refused`, detail: followUp.rejectionMessage, technical: [followUp.ruleViolation, followUp.rejectionCode, technical].filter(Boolean).join(" · "), tone: "critical" });
    }
  }
  return events;
}

function deliveryEvents(deliveries: DeliveryRow[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const delivery of deliveries) {
    const { mutation, tells: told } = DELIVERY_OPERATIONS[delivery.operation];
    delivery.attemptLog.forEach((attempt, index) => {
      const technical = [mutation, `(${delivery.subject})`, `attempt ${attempt.number}`, attempt.outcome, attempt.httpStatus ? `HTTP ${attempt.httpStatus}` : null, `${attempt.durationMs} ms`, attempt.detail].filter(Boolean).join(" · ");
      // When the next try went (or goes) out: the next attempt's start, else the delivery's schedule.
      const next = delivery.attemptLog[index + 1]?.startedAt ?? (delivery.status === "PENDING" ? delivery.nextAttemptAt : null);
      events.push({ kind: "delivery-attempt", at: at(attempt.startedAt), title: attemptTitle(told, attempt, next), detail: null, technical, tone: attempt.outcome === "SUCCESS" ? "success" : attempt.outcome === "RETRYABLE" ? "attention" : "critical" });
    });
    if (delivery.status === "DEAD") {
      events.push({ kind: "delivery-gave-up", at: at(delivery.failedAt ?? delivery.updatedAt), title: `Stopped trying to tell Shopify ${told} after ${delivery.attempts} attempts`, detail: "Retry it from “Telling Shopify” below.", technical: `${mutation} (${delivery.subject}) DEAD`, tone: "critical" });
    }
  }
  return events;
}

/** "Shopify was told the payment succeeded"; "Shopify did not answer; trying again in 30 s (attempt 3)". */
export function attemptTitle(told: string, attempt: { number: number; startedAt: Date; outcome: string; httpStatus: number | null }, next: Date | null): string {
  if (attempt.outcome === "SUCCESS") return `Shopify was told ${told}`;
  const again = next ? `; trying again in ${waitInWords(next.getTime() - attempt.startedAt.getTime())} (attempt ${attempt.number + 1})` : "";
  if (attempt.outcome === "RETRYABLE") return `${attempt.httpStatus ? `Shopify answered with an error (${attempt.httpStatus})` : "Shopify did not answer"}${again}`;
  if (attempt.outcome === "AUTH_FAILURE") return `Shopify refused the app's access token${again}`;
  if (attempt.outcome === "USER_ERRORS") return `Shopify refused to be told ${told}${again}`;
  return `Telling Shopify ${told} failed${again}`;
}

/** A wait as people say it: "30 s", "5 min", "2 h". */
function waitInWords(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

function staffEvent(entry: PaymentDetail["audit"][number]): TimelineEvent {
  const shopify = entry.byShopify ? SHOPIFY_REQUEST_TITLES[entry.action] : undefined;
  return {
    kind: "staff-action",
    at: entry.at,
    title: shopify ?? `${entry.staffName} ${STAFF_ACTION_WORDS[entry.action] ?? entry.action.toLowerCase().replaceAll("_", " ")}`,
    detail: `“${entry.reason}”`,
    technical: [entry.action, entry.before && entry.after ? `${entry.before} → ${entry.after}` : null, entry.subject, entry.byShopify ? null : `user ${entry.staffUserId}`].filter(Boolean).join(" · "),
    tone: "staff",
    actor: entry.staffName,
  };
}

function followUpView(
  kind: FollowUpView["kind"],
  row: { id: string; shopifyId: string; gid: string; status: FollowUpStatus; amountMinor: bigint | null; receivedAt: Date; ruleViolation: string | null; rejectionCode: string | null; rejectionMessage: string | null; providerUndecidedAt: Date | null },
  money: (minor: bigint) => string,
): FollowUpView {
  return {
    kind,
    id: row.id,
    shopifyId: row.shopifyId,
    gid: row.gid,
    status: row.status,
    formattedAmount: row.amountMinor === null ? null : money(row.amountMinor),
    receivedAt: row.receivedAt.toISOString(),
    ruleViolation: row.ruleViolation,
    rejection: row.rejectionCode ? `${row.rejectionCode}${row.rejectionMessage ? `: ${row.rejectionMessage}` : ""}` : null,
    waitingForStaffSince: row.status === "RECEIVED" ? (row.providerUndecidedAt?.toISOString() ?? null) : null,
    actions: followUpActions(row.status),
    rejectionCodes: FOLLOW_UP_REJECTION_CODES[kind],
  };
}

/** The payment's customer unmasked, for the audited reveal (the caller records it). */
export async function loadRevealedCustomer(db: Db, shop: string, paymentId: string): Promise<CustomerView | null> {
  const customer = await getPaymentCustomer(db, getPiiKeyring(), shop, paymentId);
  return customer ? customerView(customer, true) : null;
}

function customerView(customer: PaymentCustomer, reveal: boolean): CustomerView | null {
  // Nothing to show: no customer was sent, or customers/redact erased it.
  if (!customer.email && !customer.phone && customer.addresses.length === 0) return null;
  const show = (value: string | null, mask: (value: string) => string) => (value === null ? null : reveal ? value : mask(value));
  return {
    email: show(customer.email, maskEmail),
    phone: show(customer.phone, maskPhone),
    locale: customer.locale,
    addresses: customer.addresses.map((address) => ({
      role: address.role,
      name: [address.givenName, address.familyName].filter(Boolean).map((part) => (reveal ? part : maskText(part ?? ""))).join(" "),
      lines: [address.company, address.line1, address.line2, [address.postalCode, address.city].filter(Boolean).join(" "), address.province]
        .filter((line): line is string => Boolean(line))
        .map((line) => (reveal ? line : maskText(line))),
      country: address.countryCode,
      phone: show(address.phoneNumber, maskPhone),
    })),
  };
}

/** What Shopify asked for (the privacy webhooks), in its words. */
const SHOPIFY_REQUEST_TITLES: Partial<Record<string, string>> = {
  CUSTOMER_REDACT: "Shopify had the customer's details erased (customers/redact)",
  CUSTOMER_DATA_REQUEST: "Shopify had the customer's data exported (customers/data_request)",
};

/** "Camille Roy" → "C. Roy": the family name and an initial, which the list shows too. */
function buyerShortName(customer: PaymentCustomer): string | null {
  const address = customer.addresses.find((a) => a.role === "BILLING") ?? customer.addresses[0];
  if (!address?.familyName) return null;
  const initial = address.givenName?.trim().charAt(0);
  return initial ? `${initial}. ${address.familyName}` : address.familyName;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
