import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, DataTable, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { Fragment, useEffect, useMemo, useState, type ReactNode } from "react";
import { loadPaymentDetail, loadRevealedCustomer, type CustomerView, type PaymentDetail } from "../admin/payment-detail.server";
import { shopApiVersion } from "../admin/shop-settings.server";
import { performStaffAction, staffActionSchema } from "../admin/staff-actions.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { HttpError } from "../http/http-error";
import { parseFields } from "../http/fields";
import { getProcessingPolicy } from "../services.server";
import { ConfirmAction, type ActionResult } from "../ui/confirm-action";
import { PAYMENT_STATUS_WORD_TONE } from "../payments/rules/payment-status-words";
import { FOLLOW_UP_STATUS_TONE, statusLabel } from "../ui/status-badges";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { problemsAsSentences } from "../ui/form-problems";
import { requireFormData } from "../http/form-body.server";
import { requireIdParam } from "../http/route-params";
import { getEnv } from "../env.server";

const NO_SUCH_PAYMENT = "No such payment in this shop.";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: loaded ? `${loaded.detail.payment.formattedAmount} ${loaded.detail.status.toLowerCase()} payment` : "Payment" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const db = getDb();
  const locale = staffLocale(request);
  try {
    return { locale, now: new Date().toISOString(), detail: await loadPaymentDetail(db, shop, requireIdParam(params.id, NO_SUCH_PAYMENT), { locale, apiVersion: await shopApiVersion(db, shop), linkTtlHours: getEnv().PAYMENT_LINK_TTL_HOURS }) };
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

type RevealResult = ActionResult & { customer?: CustomerView | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const db = getDb();
  const parsed = parseFields(staffActionSchema, await requireFormData(request), "intent");
  if (!parsed.success) {
    const problems = problemsAsSentences(parsed.problems, STAFF_ACTION_LABELS);
    return data<RevealResult>({ ok: false, message: problems.map((p) => p.message).join(" "), problems }, { status: 422 });
  }
  const apiVersion = await shopApiVersion(db, staff.shop);
  const policy = getProcessingPolicy();
  try {
    const message = await performStaffAction(db, staff, requireIdParam(params.id, NO_SUCH_PAYMENT), parsed.data, { apiVersion, authorizationValidityMs: policy.authorizationValidityMs, recheckMs: policy.recheckMs });
    if (parsed.data.intent === "reveal-customer") {
      return data<RevealResult>({ ok: true, message, customer: await loadRevealedCustomer(db, staff.shop, requireIdParam(params.id, NO_SUCH_PAYMENT)) });
    }
    return data<RevealResult>({ ok: true, message });
  } catch (error) {
    if (error instanceof HttpError) return data<RevealResult>({ ok: false, message: error.message, problems: problemsAsSentences(error.problems, STAFF_ACTION_LABELS) }, { status: error.status });
    throw error;
  }
}

/** The labels of the action dialogs' fields, for their problems as sentences. */
const STAFF_ACTION_LABELS = {
  intent: "The action",
  reason: "Reason",
  code: "Reason for Shopify",
  message: "Message to the merchant",
  pendingReason: "Why it is pending",
  expiresInHours: "Pending for (hours)",
};

const PENDING_REASONS = ["MERCHANT_ACTION_REQUIRED", "PARTNER_ACTION_REQUIRED", "NETWORK_ACTION_REQUIRED", "BUYER_ACTION_REQUIRED"];

export default function PaymentPage() {
  const { locale, now: loadedAt, detail } = useLoaderData<typeof loader>();
  const { payment } = detail;
  const [notice, setNotice] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<CustomerView | null>(null);
  const clock = useClock(loadedAt, locale);
  const done = (result: ActionResult) => setNotice(result.message);
  useLiveUpdates(detail.deliveries.some((delivery) => delivery.status === "PENDING") || detail.followUps.some((followUp) => followUp.status === "RECEIVED"));
  const next = nextStep(detail, clock);
  const kindWord = payment.kind === "SALE" ? "Sale" : "Authorization";
  // When no payment action applies for one reason, it is said once, not three times.
  const paymentActions = [detail.actions.resolve, detail.actions.reject, detail.actions.pend];
  const sharedReason = paymentActions.every((action) => !action.allowed && action.reason === paymentActions[0]?.reason) ? (paymentActions[0]?.reason ?? null) : null;

  return (
    <Page
      backAction={{ content: "Payments", url: "/app" }}
      title={`${payment.formattedAmount}${detail.buyer ? ` from ${detail.buyer}` : ""}`}
      titleMetadata={
        <InlineStack gap="200">
          <span data-testid="payment-status">
            <Badge tone={PAYMENT_STATUS_WORD_TONE[detail.status]}>{detail.status}</Badge>
          </span>
          {payment.test ? <Badge tone="warning">Test</Badge> : null}
        </InlineStack>
      }
      subtitle={`${kindWord} · received ${clock.relative(payment.receivedAt)} · session ${payment.shopifyId}`}
    >
      <Layout>
        {notice ? (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setNotice(null)}>
              <p role="status">{notice}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  What to do next
                </Text>
                <div data-testid="next-step">
                  <Banner tone={next.tone}>
                    <p>{next.text}</p>
                  </Banner>
                </div>
                {sharedReason ? (
                  <Text as="p" tone="subdued">
                    <span data-testid="disabled-reason">{sharedReason}</span>
                  </Text>
                ) : null}
                <InlineStack gap="300" wrap>
                  <ConfirmAction showReason={!sharedReason} label="Resolve payment" title="Resolve this payment?" intent="resolve-payment" availability={detail.actions.resolve} onDone={done} description={<p>Shopify will be told the payment succeeded; the buyer's order goes ahead. This cannot be undone.</p>} />
                  <ConfirmAction showReason={!sharedReason} label="Reject payment" title="Reject this payment?" intent="reject-payment" destructive availability={detail.actions.reject} onDone={done} description={<p>Shopify will be told the payment failed; the buyer is asked to pay another way. This cannot be undone.</p>}>
                    <RejectFields codes={detail.rejectionCodes} apiVersion={detail.apiVersion} />
                  </ConfirmAction>
                  <ConfirmAction showReason={!sharedReason} label="Mark pending" title="Mark this payment pending?" intent="pend-payment" availability={detail.actions.pend} onDone={done} description={<p>Shopify shows the order as pending until the payment is resolved or rejected, at the latest when the pending period ends (then it is rejected).</p>}>
                    <PendFields />
                  </ConfirmAction>
                </InlineStack>
              </BlockStack>
            </Card>
            <TimelineCard detail={detail} clock={clock} />
            <CustomerCard customer={revealed ?? detail.customer} erasedOn={detail.customerErasedAt ? clock.exact(detail.customerErasedAt) : null} revealed={revealed !== null} onRevealed={setRevealed} />
            <FollowUpsCard detail={detail} clock={clock} onDone={done} />
            <DeliveriesCard detail={detail} clock={clock} onDone={done} />
            <TechnicalDetails detail={detail} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SummaryCard detail={detail} clock={clock} />
            <AuditCard detail={detail} clock={clock} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Tone = "info" | "success" | "warning" | "critical";

/** One sentence on what support staff should do now, from the payment's state. */
function nextStep(detail: PaymentDetail, clock: Clock): { tone: Tone; text: string } {
  const { payment } = detail;
  const dead = detail.deliveries.filter((delivery) => delivery.status === "DEAD");
  if (dead.length > 0) return { tone: "critical", text: `Shopify has not been told the outcome: the app stopped trying. Use “Retry now” under “Telling Shopify”.` };
  const waiting = detail.followUps.find((followUp) => followUp.waitingForStaffSince);
  if (waiting) return { tone: "warning", text: `The ${waiting.kind} ${waiting.formattedAmount ?? ""} is waiting for you: the provider has not decided since ${clock.relative(waiting.waitingForStaffSince)}. Once you know the outcome, resolve or reject it below.` };
  switch (payment.status) {
    case "OPEN":
      return { tone: "info", text: "The buyer has not finished paying yet. Nothing to do: Shopify is told as soon as they do." };
    case "PENDING":
      return {
        tone: "warning",
        text: `Pending${payment.pendingReasonWords ? `, ${payment.pendingReasonWords}` : ""}. The app keeps asking the provider; if you learn the outcome first, resolve or reject it.${payment.pendingExpiresAt ? ` Otherwise it is rejected ${clock.relative(payment.pendingExpiresAt)}.` : ""}`,
      };
    case "REJECTED":
      return { tone: "info", text: `The payment failed${payment.rejectionMessage ? ` (“${payment.rejectionMessage}”)` : ""}. Nothing to do: the buyer was asked to pay another way.` };
  }
  if (payment.authorizationExpiresAt) return { tone: "warning", text: `Authorized. The merchant captures it from the Shopify order before the authorization expires ${clock.relative(payment.authorizationExpiresAt)}.` };
  if (detail.deliveries.some((delivery) => delivery.status === "PENDING")) return { tone: "info", text: "Shopify is being told the outcome. Nothing to do." };
  return { tone: "success", text: "Nothing to do." };
}

function SummaryCard({ detail, clock }: { detail: PaymentDetail; clock: Clock }) {
  const { payment, totals } = detail;
  const rows: [string, ReactNode][] = [
    ["Buyer", detail.buyer ?? (detail.customerErasedAt ? "Erased at Shopify's request" : "Not given")],
    ["Amount", `${payment.formattedAmount} (${payment.kind === "SALE" ? "sale" : "authorization"}, ${payment.test ? "test" : "live"})`],
    ["Authorized", totals.authorized],
    ["Captured", totals.captured],
    ["Refunded", totals.refunded],
    ["Can still be refunded", totals.refundable],
    ...(totals.capturable !== null ? ([["Can still be captured", totals.capturable]] as [string, ReactNode][]) : []),
    ...(payment.authorizationExpiresAt ? ([["Authorization expires", <Countdown key="deadline" iso={payment.authorizationExpiresAt} clock={clock} />]] as [string, ReactNode][]) : []),
    ...(payment.pendingExpiresAt ? ([["Pending until", <Countdown key="pending" iso={payment.pendingExpiresAt} clock={clock} />]] as [string, ReactNode][]) : []),
    // The provider's details of the payment method (a card's brand, last digits and expiry) go on this line.
    [
      "Payment method",
      <span key="method" data-testid="payment-method">
        {detail.card ? `Card: ${[detail.card.summary, detail.card.initials].filter(Boolean).join(" · ")}` : statusLabel(payment.paymentMethodType)}
      </span>,
    ],
    ["Provider", [payment.providerName, payment.providerReference ? `reference ${payment.providerReference}` : null].filter(Boolean).join(", ") || "Not asked yet"],
  ];
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Summary
        </Text>
        <dl data-testid="summary" style={{ margin: 0, display: "grid", gridTemplateColumns: "minmax(7rem, auto) 1fr", gap: "0.35rem 0.75rem" }}>
          {rows.map(([label, value]) => (
            <Fragment key={label}>
              <dt>
                <Text as="span" tone="subdued">
                  {label}
                </Text>
              </dt>
              <dd style={{ margin: 0, overflowWrap: "anywhere" }}>{value}</dd>
            </Fragment>
          ))}
        </dl>
      </BlockStack>
    </Card>
  );
}

/** A deadline counting down ("in 6 days, 23 h"), with the exact time on hover. */
function Countdown({ iso, clock }: { iso: string; clock: Clock }) {
  const left = Date.parse(iso) - clock.now;
  return (
    <time dateTime={iso} title={clock.exact(iso)} data-testid="countdown">
      {left <= 0 ? `passed ${clock.relative(iso)}` : `in ${durationInWords(left)}`}
    </time>
  );
}

function durationInWords(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} day${days === 1 ? "" : "s"}, ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${Math.max(0, Math.floor(ms / 1000))} s`;
}

function TimelineCard({ detail, clock }: { detail: PaymentDetail; clock: Clock }) {
  const days: { day: string; events: PaymentDetail["timeline"] }[] = [];
  for (const event of detail.timeline) {
    const day = clock.day(event.at);
    const last = days[days.length - 1];
    if (last && last.day === day) last.events.push(event);
    else days.push({ day, events: [event] });
  }
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Timeline
        </Text>
        <div data-testid="timeline">
          {days.map(({ day, events }) => (
            <section key={day} aria-label={day}>
              <Text as="h3" variant="headingSm" tone="subdued">
                {day}
              </Text>
              <ol style={{ listStyle: "none", margin: "0.25rem 0 0.75rem", padding: 0 }}>
                {events.map((event, index) => (
                  <li key={index} data-testid="timeline-event" style={{ display: "grid", gridTemplateColumns: "6.5rem 1fr", gap: "0.5rem", padding: "0.35rem 0", borderBottom: "1px solid var(--p-color-border-secondary)" }}>
                    <Text as="span" variant="bodySm" tone="subdued">
                      <time dateTime={event.at} title={clock.exact(event.at)}>
                        {clock.relative(event.at)}
                      </time>
                    </Text>
                    <span>
                      <Text as="span" fontWeight="semibold" tone={event.tone === "critical" ? "critical" : event.tone === "success" ? "success" : undefined}>
                        {event.title}
                      </Text>
                      {event.detail ? (
                        <Text as="p" variant="bodySm" tone="subdued">
                          {event.detail}
                        </Text>
                      ) : null}
                    </span>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
      </BlockStack>
    </Card>
  );
}

function AuditCard({ detail, clock }: { detail: PaymentDetail; clock: Clock }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Audit trail
        </Text>
        {detail.audit.length === 0 ? (
          <Text as="p" tone="subdued">
            No staff action or request from Shopify on this payment yet.
          </Text>
        ) : (
          <List>
            {[...detail.audit].reverse().map((entry, index) => (
              <List.Item key={index}>
                <span data-testid="audit-entry">
                  <time dateTime={entry.at} title={clock.exact(entry.at)}>
                    {clock.relative(entry.at)}
                  </time>
                  {" · "}
                  <span title={entry.staffEmail ?? undefined}>{entry.staffName}</span> · {statusLabel(entry.action)}
                  {entry.before ? ` · ${statusLabel(entry.before)} → ${statusLabel(entry.after ?? "")}` : ""} · “{entry.reason}”
                </span>
              </List.Item>
            ))}
          </List>
        )}
      </BlockStack>
    </Card>
  );
}

/**
 * The table's values wrap, anywhere if they must: DataTable keeps a cell on one line, and a
 * long gid or delivery error made the table scroll sideways, a region a keyboard cannot reach.
 */
function technicalRows(rows: (string | null)[][]): React.ReactNode[][] {
  return rows.map(([field, value]) => [field, <span key="value" style={{ whiteSpace: "normal", overflowWrap: "anywhere" }}>{value}</span>]);
}

/** For engineers: the request as Shopify sent it, the gids, the operations and the HTTP facts, collapsed. */
function TechnicalDetails({ detail }: { detail: PaymentDetail }) {
  const { payment } = detail;
  return (
    <Card>
      <details data-testid="technical-details">
        <summary style={{ cursor: "pointer" }}>
          <Text as="span" variant="headingMd">
            Technical details
          </Text>
        </summary>
        <BlockStack gap="300">
          <DataTable
            columnContentTypes={["text", "text"]}
            headings={["Field", "Value"]}
            rows={technicalRows([
              ["Session id", payment.shopifyId],
              ["gid", payment.gid],
              ["Group", payment.group],
              ["Kind", payment.kind],
              ["Status (Payments Apps API)", payment.status],
              ["Payment method", payment.paymentMethodType],
              ["Merchant locale", payment.merchantLocale],
              ["Proposed at", payment.proposedAt],
              ["Received at", payment.receivedAt],
              ["Shopify request id", payment.shopifyRequestId],
              ["API version (request)", payment.shopifyApiVersion],
              ["API version (shop)", detail.apiVersion],
              ["Rejection", payment.rejection ?? "—"],
              ["Pending reason", payment.pendingReason ? `${payment.pendingReason} until ${payment.pendingExpiresAt ?? "—"}` : "—"],
              ...detail.followUps.map((followUp) => [`${statusLabel(followUp.kind)} ${followUp.shopifyId}`, `${followUp.gid} · ${followUp.status}${followUp.ruleViolation ? ` · ${followUp.ruleViolation}` : ""}${followUp.rejection ? ` · ${followUp.rejection}` : ""}`]),
              ...detail.deliveries.map((delivery) => [`Delivery ${delivery.id}`, `${delivery.operation} (${delivery.subject}) · ${delivery.status} · ${delivery.attempts} attempt(s)${delivery.lastError ? ` · ${delivery.lastError}` : ""}`]),
            ])}
          />
          <Text as="h3" variant="headingSm">
            Event log (newest first)
          </Text>
          <ol data-testid="technical-log" style={{ margin: 0, paddingLeft: "1.2rem", fontFamily: "var(--p-font-family-mono)", fontSize: "0.8rem" }}>
            {detail.timeline.map((event, index) => (
              <li key={index}>
                {event.at} {event.kind} · {event.technical ?? event.title}
              </li>
            ))}
          </ol>
        </BlockStack>
      </details>
    </Card>
  );
}

/**
 * Times for people: relative ("3 minutes ago") with the exact time on hover, and
 * days ("Today"). The server renders them in UTC at the moment it loaded the
 * page; in the browser they move to the staff member's time zone and tick, after
 * hydration, so that the first render matches the server's.
 */
interface Clock {
  now: number;
  relative: (iso: string | null) => string;
  exact: (iso: string) => string;
  day: (iso: string) => string;
}

function useClock(loadedAt: string, locale: string): Clock {
  const [now, setNow] = useState(() => Date.parse(loadedAt));
  const [timeZone, setTimeZone] = useState("UTC");
  useEffect(() => {
    setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return useMemo(() => {
    const exactFormat = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "long", timeZone });
    const dayFormat = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone });
    const dayKey = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    const today = dayKey.format(now);
    const yesterday = dayKey.format(now - 86_400_000);
    return {
      now,
      exact: (iso) => exactFormat.format(new Date(iso)),
      relative: (iso) => (iso ? relativeTime(rtf, Date.parse(iso) - now) : "—"),
      day: (iso) => {
        const key = dayKey.format(new Date(iso));
        return key === today ? "Today" : key === yesterday ? "Yesterday" : dayFormat.format(new Date(iso));
      },
    };
  }, [now, timeZone, locale]);
}

function relativeTime(rtf: Intl.RelativeTimeFormat, deltaMs: number): string {
  const seconds = Math.round(deltaMs / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, "second");
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), "hour");
  if (abs < 26 * 86_400) return rtf.format(Math.round(seconds / 86_400), "day");
  if (abs < 320 * 86_400) return rtf.format(Math.round(seconds / (30 * 86_400)), "month");
  return rtf.format(Math.round(seconds / (365 * 86_400)), "year");
}

/** While the worker is still at it (deliveries going out, follow-ups with the provider), the page follows along. */
function useLiveUpdates(active: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [active, revalidator]);
}

function RejectFields({ codes, apiVersion }: { codes: string[]; apiVersion: string }) {
  const [code, setCode] = useState(codes.includes("PROCESSING_ERROR") ? "PROCESSING_ERROR" : (codes[0] ?? ""));
  const [message, setMessage] = useState("");
  return (
    <>
      <Select label="Reason for Shopify" name="code" value={code} onChange={setCode} options={codes.map((value) => ({ label: statusLabel(value), value }))} helpText={`The reasons API version ${apiVersion} accepts.`} />
      <TextField label="Message to the merchant" name="message" value={message} onChange={setMessage} autoComplete="off" maxLength={255} requiredIndicator />
    </>
  );
}

function PendFields() {
  const [pendingReason, setPendingReason] = useState("MERCHANT_ACTION_REQUIRED");
  const [hours, setHours] = useState("24");
  return (
    <>
      <Select label="Why it is pending" name="pendingReason" value={pendingReason} onChange={setPendingReason} options={PENDING_REASONS.map((value) => ({ label: statusLabel(value), value }))} />
      <TextField label="Pending for (hours)" name="expiresInHours" type="number" min={1} max={72} value={hours} onChange={setHours} autoComplete="off" helpText="At most 72 hours (Shopify's pending window)." />
    </>
  );
}

function CustomerCard({ customer, erasedOn, revealed, onRevealed }: { customer: CustomerView | null; erasedOn: string | null; revealed: boolean; onRevealed: (customer: CustomerView | null) => void }) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Customer
          </Text>
          {customer && !revealed ? (
            <ConfirmAction
              label="Reveal customer details"
              title="Reveal this customer's details?"
              intent="reveal-customer"
              availability={{ allowed: true, reason: null }}
              onDone={(result) => onRevealed((result as ActionResult & { customer?: CustomerView | null }).customer ?? null)}
              description={<p>Names, email, phone and addresses are personal data. Revealing them is recorded with your name and reason.</p>}
            />
          ) : null}
        </InlineStack>
        {customer ? (
          <Box>
            <p data-testid="customer-email">Email: {customer.email ?? "—"}</p>
            <p>Phone: {customer.phone ?? "—"}</p>
            <p>Locale: {customer.locale ?? "—"}</p>
            {customer.addresses.map((address) => (
              <p key={address.role}>
                {statusLabel(address.role)} address: {[address.name, ...address.lines, address.country].join(", ")}
              </p>
            ))}
            {revealed ? (
              <Text as="p" tone="caution">
                Shown unmasked for this visit; the reveal is in the audit trail.
              </Text>
            ) : null}
          </Box>
        ) : erasedOn ? (
          <Text as="p" tone="subdued">
            <span data-testid="customer-erased">Customer details erased on {erasedOn} at Shopify&apos;s request.</span>
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            Shopify sent no customer details with this payment.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

function FollowUpsCard({ detail, clock, onDone }: { detail: PaymentDetail; clock: Clock; onDone: (result: ActionResult) => void }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Refunds, captures and voids
        </Text>
        {detail.followUps.length === 0 ? (
          <Text as="p" tone="subdued">
            None yet. Shopify sends them when the merchant captures, refunds or voids in the admin.
          </Text>
        ) : (
          detail.followUps.map((followUp) => (
            <Box key={followUp.id} paddingBlock="200" borderBlockStartWidth="025" borderColor="border">
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">
                    {statusLabel(followUp.kind)} {followUp.shopifyId}
                  </Text>
                  <span data-testid={`follow-up-status-${followUp.shopifyId}`}>
                    <Badge tone={FOLLOW_UP_STATUS_TONE[followUp.status]}>{statusLabel(followUp.status)}</Badge>
                  </span>
                  <Text as="span">{followUp.formattedAmount ?? ""}</Text>
                  <Text as="span" tone="subdued">
                    received <time dateTime={followUp.receivedAt} title={clock.exact(followUp.receivedAt)}>{clock.relative(followUp.receivedAt)}</time>
                  </Text>
                </InlineStack>
                {followUp.waitingForStaffSince ? (
                  <Text as="p" tone="caution">
                    Waiting for staff: the provider has not decided since {clock.relative(followUp.waitingForStaffSince)}. The app keeps asking; once you know the outcome (at the provider, or from the merchant), resolve or reject it here.
                  </Text>
                ) : null}
                {followUp.rejection || followUp.ruleViolation ? (
                  <Text as="p" tone="critical">
                    {followUp.rejection ?? statusLabel(followUp.ruleViolation ?? "")}
                  </Text>
                ) : null}
                <InlineStack gap="200">
                  <ConfirmAction label={`Resolve ${followUp.kind}`} title={`Resolve ${followUp.kind} ${followUp.shopifyId}?`} intent="resolve-follow-up" hidden={{ kind: followUp.kind, followUpId: followUp.id }} availability={followUp.actions.resolve} onDone={onDone} description={<p>Shopify will be told the {followUp.kind} went through. Do this only when the money really moved.</p>} />
                  <ConfirmAction label={`Reject ${followUp.kind}`} title={`Reject ${followUp.kind} ${followUp.shopifyId}?`} intent="reject-follow-up" destructive hidden={{ kind: followUp.kind, followUpId: followUp.id }} availability={followUp.actions.reject} onDone={onDone} description={<p>Shopify will be told the {followUp.kind} failed.</p>}>
                    <RejectFields codes={followUp.rejectionCodes} apiVersion={detail.apiVersion} />
                  </ConfirmAction>
                </InlineStack>
              </BlockStack>
            </Box>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

function DeliveriesCard({ detail, clock, onDone }: { detail: PaymentDetail; clock: Clock; onDone: (result: ActionResult) => void }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Telling Shopify
        </Text>
        {detail.deliveries.length === 0 ? (
          <Text as="p" tone="subdued">
            No outcome to report yet.
          </Text>
        ) : (
          detail.deliveries.map((delivery) => (
            <Box key={delivery.id} paddingBlock="200" borderBlockStartWidth="025" borderColor="border">
              <InlineStack gap="200" blockAlign="center" wrap>
                <Text as="span" fontWeight="semibold">
                  {delivery.telling}
                </Text>
                {delivery.subject === "payment" ? null : (
                  <Text as="span" tone="subdued">
                    ({delivery.subject})
                  </Text>
                )}
                <span data-testid={`delivery-status-${delivery.id}`}>
                  <Badge tone={delivery.status === "SUCCEEDED" ? "success" : delivery.status === "PENDING" ? "attention" : "critical"}>{statusLabel(delivery.status)}</Badge>
                </span>
                <Text as="span">
                  {delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"}
                  {delivery.nextAttemptAt ? `, next ${clock.relative(delivery.nextAttemptAt)}` : ""}
                </Text>
                {delivery.lastError ? (
                  <Text as="span" tone="critical">
                    {delivery.lastError}
                  </Text>
                ) : null}
                <ConfirmAction label="Retry now" title="Send this outcome to Shopify again?" intent="retry-delivery" hidden={{ deliveryId: delivery.id }} availability={delivery.retry} onDone={onDone} description={<p>The delivery starts over with a fresh retry schedule. Shopify applies an outcome once, so a repeat is harmless.</p>} />
              </InlineStack>
            </Box>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

// A 4xx of this page (an unknown payment, a method it does not take) as a Polaris page inside the admin frame.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
