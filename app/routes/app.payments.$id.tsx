import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, DataTable, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { loadPaymentDetail, loadRevealedCustomer, type CustomerView, type PaymentDetail } from "../admin/payment-detail.server";
import { shopApiVersion } from "../admin/shop-settings.server";
import { performStaffAction, staffActionSchema } from "../admin/staff-actions.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { fieldProblems, HttpError } from "../http/http-error";
import { getProcessingPolicy } from "../services.server";
import { ConfirmAction, type ActionResult } from "../ui/confirm-action";
import { FOLLOW_UP_STATUS_TONE, PAYMENT_STATUS_TONE, statusLabel } from "../ui/status-badges";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { problemsAsSentences } from "../ui/form-problems";
import { requireFormData } from "../http/form-body.server";
import { requireIdParam } from "../http/route-params";

const NO_SUCH_PAYMENT = "No such payment in this shop.";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: loaded ? `Payment ${loaded.detail.payment.shopifyId}` : "Payment" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const db = getDb();
  const locale = staffLocale(request);
  try {
    return { locale, detail: await loadPaymentDetail(db, shop, requireIdParam(params.id, NO_SUCH_PAYMENT), { locale, apiVersion: await shopApiVersion(db, shop) }) };
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

type RevealResult = ActionResult & { customer?: CustomerView | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const db = getDb();
  const form = Object.fromEntries(await requireFormData(request));
  const parsed = staffActionSchema.safeParse(form);
  if (!parsed.success) {
    const problems = problemsAsSentences(fieldProblems(parsed.error, "intent"), STAFF_ACTION_LABELS);
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
  const { locale, detail } = useLoaderData<typeof loader>();
  const { payment } = detail;
  const [notice, setNotice] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<CustomerView | null>(null);
  const when = (iso: string | null) => (iso ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso)) : "—");
  const done = (result: ActionResult) => setNotice(result.message);
  useLiveUpdates(detail.deliveries.some((delivery) => delivery.status === "PENDING") || detail.followUps.some((followUp) => followUp.status === "RECEIVED"));

  return (
    <Page
      backAction={{ content: "Payments", url: "/app" }}
      title={`Payment ${payment.shopifyId}`}
      titleMetadata={
        <InlineStack gap="200">
          <span data-testid="payment-status">
            <Badge tone={PAYMENT_STATUS_TONE[payment.status]}>{statusLabel(payment.status)}</Badge>
          </span>
          {payment.test ? <Badge tone="warning">Test</Badge> : null}
        </InlineStack>
      }
      subtitle={`${payment.formattedAmount} · ${payment.kind === "SALE" ? "Sale" : "Authorization"} · received ${when(payment.receivedAt)}`}
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
                  Actions
                </Text>
                <InlineStack gap="200">
                  <ConfirmAction label="Resolve payment" title="Resolve this payment?" intent="resolve-payment" availability={detail.actions.resolve} onDone={done} description={<p>Shopify will be told the payment succeeded; the buyer's order goes ahead. This cannot be undone.</p>} />
                  <ConfirmAction label="Reject payment" title="Reject this payment?" intent="reject-payment" destructive availability={detail.actions.reject} onDone={done} description={<p>Shopify will be told the payment failed; the buyer is asked to pay another way. This cannot be undone.</p>}>
                    <RejectFields codes={detail.rejectionCodes} apiVersion={detail.apiVersion} />
                  </ConfirmAction>
                  <ConfirmAction label="Mark pending" title="Mark this payment pending?" intent="pend-payment" availability={detail.actions.pend} onDone={done} description={<p>Shopify shows the order as pending until the payment is resolved or rejected, at the latest when the pending period ends (then it is rejected).</p>}>
                    <PendFields />
                  </ConfirmAction>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Request from Shopify
                </Text>
                <DataTable
                  columnContentTypes={["text", "text"]}
                  headings={["Field", "Value"]}
                  rows={[
                    ["Session id", payment.shopifyId],
                    ["gid", payment.gid],
                    ["Group", payment.group],
                    ["Amount", payment.formattedAmount],
                    ["Kind", payment.kind === "SALE" ? "Sale" : "Authorization"],
                    ["Mode", payment.test ? "Test" : "Live"],
                    ["Payment method", payment.paymentMethodType],
                    // Card payments: the kept summary, e.g. "Visa •••• 4242, 12/2029" (issue 13).
                    ...(detail.card ? [["Card", [detail.card.summary, detail.card.initials].filter(Boolean).join(" · ")]] : []),
                    ["Merchant locale", payment.merchantLocale],
                    ["Proposed at", when(payment.proposedAt)],
                    ["Shopify request id", payment.shopifyRequestId],
                    ["API version (request)", payment.shopifyApiVersion],
                    ["Provider", [payment.providerName, payment.providerReference].filter(Boolean).join(" · ") || "—"],
                    ["Rejection", payment.rejection ?? "—"],
                    ["Pending", payment.pendingReason ? `${payment.pendingReason}, until ${when(payment.pendingExpiresAt)}` : "—"],
                    ["Authorization valid until", when(payment.authorizationExpiresAt)],
                  ]}
                />
              </BlockStack>
            </Card>
            <CustomerCard customer={revealed ?? detail.customer} erasedOn={detail.customerErasedAt ? new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(detail.customerErasedAt)) : null} revealed={revealed !== null} onRevealed={setRevealed} />
            <FollowUpsCard detail={detail} when={when} onDone={done} />
            <DeliveriesCard detail={detail} when={when} onDone={done} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Timeline
                </Text>
                <ol aria-label="Timeline" style={{ margin: 0, paddingLeft: "1.2rem" }} data-testid="timeline">
                  {detail.timeline.map((event, index) => (
                    <li key={index} style={{ marginBottom: "0.5rem" }}>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {when(event.at)}
                      </Text>{" "}
                      <Text as="span" fontWeight="semibold" tone={event.tone === "critical" ? "critical" : event.tone === "success" ? "success" : undefined}>
                        {event.title}
                      </Text>
                      {event.detail ? (
                        <Text as="p" variant="bodySm" tone="subdued">
                          {event.detail}
                        </Text>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Totals
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric"]}
                  headings={["", "Amount"]}
                  rows={[
                    ["Authorized", detail.totals.authorized],
                    ["Captured", detail.totals.captured],
                    ["Refunded", detail.totals.refunded],
                    ["Refundable", detail.totals.refundable],
                    ...(detail.totals.capturable !== null ? [["Capturable", detail.totals.capturable]] : []),
                  ]}
                />
              </BlockStack>
            </Card>
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
                    {detail.audit.map((entry, index) => (
                      <List.Item key={index}>
                        <span data-testid="audit-entry">
                          {when(entry.at)} · {entry.byShopify ? "Shopify" : `staff ${entry.staffUserId}`} · {statusLabel(entry.action)}
                          {entry.before ? ` · ${entry.before} → ${entry.after}` : ""} · “{entry.reason}”
                        </span>
                      </List.Item>
                    ))}
                  </List>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
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

function FollowUpsCard({ detail, when, onDone }: { detail: PaymentDetail; when: (iso: string | null) => string; onDone: (result: ActionResult) => void }) {
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
                    received {when(followUp.receivedAt)}
                  </Text>
                </InlineStack>
                {followUp.waitingForStaffSince ? (
                  <Text as="p" tone="caution">
                    Waiting for staff: the provider has not decided since {when(followUp.waitingForStaffSince)}. The app keeps asking; once you know the outcome (at the provider, or from the merchant), resolve or reject it here.
                  </Text>
                ) : null}
                {followUp.rejection || followUp.ruleViolation ? (
                  <Text as="p" tone="critical">
                    {[followUp.ruleViolation, followUp.rejection].filter(Boolean).join(" · ")}
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

function DeliveriesCard({ detail, when, onDone }: { detail: PaymentDetail; when: (iso: string | null) => string; onDone: (result: ActionResult) => void }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Deliveries to Shopify
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
                  {delivery.operation}
                </Text>
                <Text as="span" tone="subdued">
                  ({delivery.subject})
                </Text>
                <span data-testid={`delivery-status-${delivery.id}`}>
                  <Badge tone={delivery.status === "SUCCEEDED" ? "success" : delivery.status === "PENDING" ? "attention" : "critical"}>{statusLabel(delivery.status)}</Badge>
                </span>
                <Text as="span">
                  {delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"}
                  {delivery.nextAttemptAt ? `, next ${when(delivery.nextAttemptAt)}` : ""}
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
