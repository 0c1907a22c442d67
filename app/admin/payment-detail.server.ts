import type { AddressRole, DeliveryStatus, FollowUpStatus } from "@prisma/client";
import { SHOPIFY_ACTOR } from "../audit/audit-trail.server";
import { CARD_BRANDS, formatCardSummary } from "../cards/card-summary";
import type { Db } from "../db.server";
import { formatAmount, formatMoney } from "../payments/money";
import { getPaymentCustomer, type PaymentCustomer } from "../privacy/customer-data.server";
import { getPiiKeyring } from "../privacy/keyring.server";
import { maskEmail, maskPhone, maskText } from "./mask";
import { orderTimeline, type TimelineEvent } from "./timeline";
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
 * money totals, its refunds, captures and voids, every delivery and attempt,
 * and one timeline of what happened, oldest first.
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
  operation: string;
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
    /** Set only while the payment is pending (history is in the timeline). */
    pendingReason: string | null;
    pendingExpiresAt: string | null;
    /** Set only while something of the authorization can still be captured. */
    authorizationExpiresAt: string | null;
  };
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
  audit: { at: string; staffUserId: string; byShopify: boolean; action: string; before: string | null; after: string | null; reason: string; subject: string | null }[];
  actions: Record<"resolve" | "reject" | "pend", ActionAvailability>;
  rejectionCodes: string[];
  apiVersion: string;
}

const OPERATION_LABELS: Record<string, string> = {
  PAYMENT_RESOLVE: "paymentSessionResolve",
  PAYMENT_REJECT: "paymentSessionReject",
  PAYMENT_PENDING: "paymentSessionPending",
  PAYMENT_REDIRECT: "paymentSessionRedirect",
  PAYMENT_CONFIRM: "paymentSessionConfirm",
  REFUND_RESOLVE: "refundSessionResolve",
  REFUND_REJECT: "refundSessionReject",
  CAPTURE_RESOLVE: "captureSessionResolve",
  CAPTURE_REJECT: "captureSessionReject",
  VOID_RESOLVE: "voidSessionResolve",
  VOID_REJECT: "voidSessionReject",
};

export async function loadPaymentDetail(
  db: Db,
  shop: string,
  paymentId: string,
  { locale, apiVersion }: { locale: string; apiVersion: string },
): Promise<PaymentDetail> {
  const payment = await requireShopPayment(db, shop, paymentId);
  const followUpSelect = { include: { deliveries: { include: { attemptLog: { orderBy: { number: "asc" as const } } } } } };
  const [customer, refunds, captures, voids, ownDeliveries, providerCalls, auditEntries] = await Promise.all([
    // Stored encrypted (decision 0006): the one read API decrypts it.
    getPaymentCustomer(db, getPiiKeyring(), shop, payment.id),
    db.refundSession.findMany({ where: { shop, paymentSessionId: payment.id }, orderBy: { receivedAt: "asc" }, ...followUpSelect }),
    db.captureSession.findMany({ where: { shop, paymentSessionId: payment.id }, orderBy: { receivedAt: "asc" }, ...followUpSelect }),
    db.voidSession.findMany({ where: { shop, paymentSessionId: payment.id }, orderBy: { receivedAt: "asc" }, ...followUpSelect }),
    db.delivery.findMany({ where: { shop, paymentSessionId: payment.id }, include: { attemptLog: { orderBy: { number: "asc" } } }, orderBy: { createdAt: "asc" } }),
    db.providerCall.findMany({ where: { paymentSessionId: payment.id }, orderBy: { startedAt: "asc" }, take: 500 }),
    db.auditEntry.findMany({ where: { shop, paymentSessionId: payment.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  const shopifyIds = [payment.shopifyId, ...[...refunds, ...captures, ...voids].map((row) => row.shopifyId)];
  const replays = await db.sessionReplay.findMany({ where: { shop, shopifyId: { in: shopifyIds } }, orderBy: { receivedAt: "asc" }, take: 500 });

  const money = (minor: bigint) => formatMoney(formatAmount({ minor, currency: payment.currency }), payment.currency, locale);
  const sum = (rows: { amountMinor: bigint; status: FollowUpStatus }[], statuses: FollowUpStatus[]) =>
    rows.filter((row) => statuses.includes(row.status)).reduce((total, row) => total + row.amountMinor, 0n);
  const authorizedMinor = payment.status === "RESOLVED" ? payment.amountMinor : 0n;
  const capturedMinor = payment.kind === "SALE" ? authorizedMinor : sum(captures, ["RESOLVED"]);
  const voided = voids.some((row) => row.status !== "REJECTED");
  const refundedMinor = sum(refunds, ["RESOLVED"]);
  const refundableMinor = capturedMinor - sum(refunds, ["RESOLVED", "RECEIVED"]);
  const capturableMinor = payment.kind === "AUTHORIZATION" && payment.status === "RESOLVED" && !voided ? authorizedMinor - sum(captures, ["RESOLVED", "RECEIVED"]) : null;

  const followUps: FollowUpView[] = [
    ...refunds.map((row) => followUpView("refund", row, money)),
    ...captures.map((row) => followUpView("capture", row, money)),
    ...voids.map((row) => followUpView("void", { ...row, amountMinor: null }, money)),
  ].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));

  const allDeliveries = [
    ...ownDeliveries.map((d) => ({ ...d, subject: "payment" })),
    ...refunds.flatMap((r) => r.deliveries.map((d) => ({ ...d, subject: `refund ${r.shopifyId}` }))),
    ...captures.flatMap((c) => c.deliveries.map((d) => ({ ...d, subject: `capture ${c.shopifyId}` }))),
    ...voids.flatMap((v) => v.deliveries.map((d) => ({ ...d, subject: `void ${v.shopifyId}` }))),
  ];

  const timeline: TimelineEvent[] = [];
  const at = (date: Date) => date.toISOString();
  timeline.push({ kind: "received", at: at(payment.receivedAt), title: "Payment session received from Shopify", detail: `Request ${payment.shopifyRequestId}, API ${payment.shopifyApiVersion}`, tone: "info" });
  for (const replay of replays) {
    const which = replay.shopifyId === payment.shopifyId ? "payment" : `${replay.kind.toLowerCase()} ${replay.shopifyId}`;
    timeline.push({
      kind: "replayed",
      at: at(replay.receivedAt),
      title: replay.conflict ? `Shopify sent the ${which} again with a different payload (refused, 409)` : `Shopify retried the ${which} request (answered as before)`,
      detail: `Request ${replay.shopifyRequestId}`,
      tone: replay.conflict ? "critical" : "info",
    });
  }
  for (const call of providerCalls) {
    timeline.push({
      kind: "provider-call",
      at: at(call.startedAt),
      title: `Provider ${call.provider}: ${call.operation.toLowerCase().replace("_", " ")}${call.followUpGid ? ` for ${call.followUpGid}` : ""} → ${call.result}`,
      detail: `${call.durationMs} ms${call.reference ? `, reference ${call.reference}` : ""}`,
      tone: call.result === "approved" ? "success" : call.result === "declined" || call.result === "error" ? "critical" : "attention",
    });
  }
  if (payment.pendingAt) timeline.push({ kind: "state-changed", at: at(payment.pendingAt), title: "Payment pending", detail: payment.pendingReason ? `${payment.pendingReason}, expires ${payment.pendingExpiresAt?.toISOString() ?? "—"}` : null, tone: "attention" });
  if (payment.resolvedAt) timeline.push({ kind: "state-changed", at: at(payment.resolvedAt), title: "Payment resolved", detail: payment.authorizationExpiresAt ? `Authorization valid until ${payment.authorizationExpiresAt.toISOString()}` : null, tone: "success" });
  if (payment.rejectedAt) timeline.push({ kind: "state-changed", at: at(payment.rejectedAt), title: "Payment rejected", detail: `${payment.rejectionCode ?? ""} ${payment.rejectionMessage ?? ""}`.trim(), tone: "critical" });
  for (const row of [...refunds.map((r) => ["refund", r] as const), ...captures.map((c) => ["capture", c] as const), ...voids.map((v) => ["void", v] as const)]) {
    const [kind, followUp] = row;
    const amount = "amountMinor" in followUp ? ` of ${money(followUp.amountMinor)}` : "";
    timeline.push({ kind: "received", at: at(followUp.receivedAt), title: `${capitalize(kind)} ${followUp.shopifyId}${amount} received from Shopify`, detail: `Request ${followUp.shopifyRequestId}`, tone: "info" });
    if (followUp.resolvedAt) timeline.push({ kind: "state-changed", at: at(followUp.resolvedAt), title: `${capitalize(kind)} ${followUp.shopifyId} resolved`, detail: null, tone: "success" });
    if (followUp.rejectedAt) timeline.push({ kind: "state-changed", at: at(followUp.rejectedAt), title: `${capitalize(kind)} ${followUp.shopifyId} rejected`, detail: [followUp.ruleViolation, followUp.rejectionCode, followUp.rejectionMessage].filter(Boolean).join(" · "), tone: "critical" });
  }
  for (const delivery of allDeliveries) {
    for (const attempt of delivery.attemptLog) {
      timeline.push({
        kind: "delivery-attempt",
        at: at(attempt.startedAt),
        title: `Delivery to Shopify: ${OPERATION_LABELS[delivery.operation] ?? delivery.operation} (${delivery.subject}), attempt ${attempt.number} → ${attempt.outcome.toLowerCase().replace("_", " ")}`,
        detail: [attempt.httpStatus ? `HTTP ${attempt.httpStatus}` : null, `${attempt.durationMs} ms`, attempt.detail].filter(Boolean).join(" · "),
        tone: attempt.outcome === "SUCCESS" ? "success" : attempt.outcome === "RETRYABLE" ? "attention" : "critical",
      });
    }
    if (delivery.status === "DEAD") timeline.push({ kind: "delivery-gave-up", at: at(delivery.failedAt ?? delivery.updatedAt), title: `Delivery of ${OPERATION_LABELS[delivery.operation]} (${delivery.subject}) gave up after ${delivery.attempts} attempts`, detail: "Retry it from the deliveries below.", tone: "critical" });
  }
  for (const entry of auditEntries) {
    timeline.push({ kind: "staff-action", at: at(entry.createdAt), title: auditTitle(entry), detail: [entry.beforeState && entry.afterState ? `${entry.beforeState} → ${entry.afterState}` : null, `“${entry.reason}”`].filter(Boolean).join(" · "), tone: "staff" });
  }

  return {
    payment: {
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
      pendingReason: payment.status === "PENDING" ? payment.pendingReason : null,
      pendingExpiresAt: payment.status === "PENDING" ? (payment.pendingExpiresAt?.toISOString() ?? null) : null,
      authorizationExpiresAt: capturableMinor !== null && capturableMinor > 0n ? (payment.authorizationExpiresAt?.toISOString() ?? null) : null,
    },
    customer: customer ? customerView(customer, false) : null,
    card: cardView(payment),
    customerErasedAt: customer?.redactedAt ?? null,
    totals: {
      authorized: money(authorizedMinor),
      captured: money(capturedMinor),
      refunded: money(refundedMinor),
      refundable: money(refundableMinor < 0n ? 0n : refundableMinor),
      capturable: capturableMinor === null ? null : money(capturableMinor < 0n ? 0n : capturableMinor),
    },
    followUps,
    deliveries: allDeliveries.map((d) => ({
      id: d.id,
      operation: OPERATION_LABELS[d.operation] ?? d.operation,
      subject: d.subject,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === "PENDING" ? d.nextAttemptAt.toISOString() : null,
      lastError: d.lastError,
      retry: deliveryRetryAvailability(d.status),
    })),
    timeline: orderTimeline(timeline),
    audit: auditEntries.map((entry) => ({ at: entry.createdAt.toISOString(), staffUserId: entry.staffUserId, byShopify: entry.staffUserId === SHOPIFY_ACTOR, action: entry.action, before: entry.beforeState, after: entry.afterState, reason: entry.reason, subject: entry.subject })),
    actions: paymentActions(payment.status),
    rejectionCodes: paymentRejectionCodes(apiVersion),
    apiVersion,
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

/** What Shopify asked for (the privacy webhooks) in its words; a staff action as "Staff {id}: {action}". */
const SHOPIFY_REQUEST_TITLES: Partial<Record<string, string>> = {
  CUSTOMER_REDACT: "Shopify: customer details erased at Shopify's request (customers/redact)",
  CUSTOMER_DATA_REQUEST: "Shopify: customer data exported at Shopify's request (customers/data_request)",
};

function auditTitle(entry: { staffUserId: string; action: string }): string {
  const shopify = entry.staffUserId === SHOPIFY_ACTOR ? SHOPIFY_REQUEST_TITLES[entry.action] : undefined;
  return shopify ?? `Staff ${entry.staffUserId}: ${entry.action.toLowerCase().replaceAll("_", " ")}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
