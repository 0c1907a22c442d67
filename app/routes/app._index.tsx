import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Link,
  Page,
  Pagination,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { listPayments, paymentListQuerySchema, type AttentionReason, type PaymentListRow } from "../admin/payment-list.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { describeFollowUps } from "../payments/follow-up-summary";
import { fieldProblems } from "../http/http-error";
import { PAYMENT_STATUS_TONE, statusLabel } from "../ui/status-badges";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";

export const meta: MetaFunction = () => [{ title: "Payments" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const locale = staffLocale(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = paymentListQuerySchema.safeParse(params);
  if (!parsed.success) return data({ shop, locale, page: null, problems: fieldProblems(parsed.error) }, { status: 400 });
  return { shop, locale, page: await listPayments(getDb(), shop, parsed.data, { locale }), problems: [] };
}

const TABS = [
  { id: "all", label: "All", count: "ALL" },
  { id: "attention", label: "Needs attention", count: "ATTENTION" },
  { id: "OPEN", label: "Open", count: "OPEN" },
  { id: "PENDING", label: "Pending", count: "PENDING" },
  { id: "RESOLVED", label: "Resolved", count: "RESOLVED" },
  { id: "REJECTED", label: "Rejected", count: "REJECTED" },
] as const;

const ATTENTION_LABELS: Record<AttentionReason, string> = {
  pending: "Pending",
  "delivery-retrying": "Delivery retrying",
  "delivery-failed": "Delivery failed",
  "follow-up-waiting": "Waiting for staff",
  "authorization-expiring": "Authorization expiring",
};

export default function Payments() {
  const { shop, locale, page, problems } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const selectedTab = Math.max(0, TABS.findIndex((tab) => tab.id === (searchParams.get("view") === "attention" ? "attention" : (searchParams.get("status") ?? "all"))));

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    navigate(`?${next.toString()}`);
  };
  const selectTab = (index: number) => {
    const tab = TABS[index] ?? TABS[0];
    go({ view: tab.id === "attention" ? "attention" : null, status: tab.id === "all" || tab.id === "attention" ? null : tab.id, after: null, before: null });
  };

  return (
    <Page title="Payments" subtitle={shop} secondaryActions={[{ content: "Settings", url: "/app/settings" }, { content: "Audit trail", url: "/app/audit" }]}>
      <BlockStack gap="400">
        {problems.length > 0 ? (
          <Banner tone="critical" title="These filters cannot be used">
            <ul>
              {problems.map((problem) => (
                <li key={problem.field}>
                  {problem.field}: {problem.message}
                </li>
              ))}
            </ul>
          </Banner>
        ) : null}
        <Card padding="0">
          <Tabs
            tabs={TABS.map((tab) => ({
              id: `tab-${tab.id}`,
              content: tab.label,
              badge: page ? String(page.counts[tab.count]) : undefined,
              accessibilityLabel: page ? `${tab.label}: ${page.counts[tab.count]}` : tab.label,
            }))}
            selected={selectedTab}
            onSelect={selectTab}
          />
          <FilterForm searchParams={searchParams} />
          {page && page.rows.length > 0 ? (
            <>
              <PaymentTable rows={page.rows} locale={locale} />
              <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={Boolean(page.previousCursor)}
                  onPrevious={() => go({ before: page.previousCursor, after: null })}
                  hasNext={Boolean(page.nextCursor)}
                  onNext={() => go({ after: page.nextCursor, before: null })}
                  label={navigation.state === "loading" ? "Loading…" : `${page.rows.length} shown`}
                />
              </div>
            </>
          ) : page ? (
            <EmptyView attention={selectedTab === 1} filtered={[...searchParams.keys()].some((key) => !["shop", "host", "embedded", "locale", "id_token", "session", "timestamp", "hmac"].includes(key))} />
          ) : null}
        </Card>
      </BlockStack>
    </Page>
  );
}

function FilterForm({ searchParams }: { searchParams: URLSearchParams }) {
  const [q, setQ] = useState(searchParams.get("q") ?? "");
  const [kind, setKind] = useState(searchParams.get("kind") ?? "");
  const [mode, setMode] = useState(searchParams.get("mode") ?? "");
  const [currency, setCurrency] = useState(searchParams.get("currency") ?? "");
  const [from, setFrom] = useState(searchParams.get("from") ?? "");
  const [to, setTo] = useState(searchParams.get("to") ?? "");
  return (
    <div style={{ padding: "12px" }}>
      <Form method="get" role="search" aria-label="Filter payments">
        {searchParams.get("view") ? <input type="hidden" name="view" value={searchParams.get("view") ?? ""} /> : null}
        {searchParams.get("status") ? <input type="hidden" name="status" value={searchParams.get("status") ?? ""} /> : null}
        <BlockStack gap="300">
          <TextField
            label="Search"
            name="q"
            value={q}
            onChange={setQ}
            autoComplete="off"
            placeholder="Session id, gid, group or Shopify request id (of a payment or of its refunds, captures, voids)"
            clearButton
            onClearButtonClick={() => setQ("")}
          />
          <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="300">
            <Select label="Kind" name="kind" value={kind} onChange={setKind} options={[{ label: "Any", value: "" }, { label: "Sale", value: "SALE" }, { label: "Authorization", value: "AUTHORIZATION" }]} />
            <Select label="Mode" name="mode" value={mode} onChange={setMode} options={[{ label: "Test and live", value: "" }, { label: "Test", value: "test" }, { label: "Live", value: "live" }]} />
            <TextField label="Currency" name="currency" value={currency} onChange={(value) => setCurrency(value.toUpperCase())} autoComplete="off" maxLength={3} placeholder="USD" />
            <TextField label="Received from" name="from" type="date" value={from} onChange={setFrom} autoComplete="off" helpText="UTC" />
            <TextField label="Received to" name="to" type="date" value={to} onChange={setTo} autoComplete="off" helpText="UTC, inclusive" />
          </InlineGrid>
          <InlineStack gap="200">
            <Button submit variant="primary">
              Apply
            </Button>
            <Button url="/app">Clear all</Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </div>
  );
}

function PaymentTable({ rows, locale }: { rows: PaymentListRow[]; locale: string }) {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (
    <IndexTable
      resourceName={{ singular: "payment", plural: "payments" }}
      itemCount={rows.length}
      selectable={false}
      headings={[{ title: "Payment" }, { title: "Received" }, { title: "Kind" }, { title: "Amount", alignment: "end" }, { title: "Status" }, { title: "Follow-ups" }]}
    >
      {rows.map((payment, index) => (
        <IndexTable.Row id={payment.id} key={payment.id} position={index}>
          <IndexTable.Cell>
            <InlineStack gap="200" blockAlign="center">
              <Link url={`/app/payments/${payment.id}`} removeUnderline>
                <Text as="span" variant="bodyMd" fontWeight="semibold">
                  {payment.shopifyId}
                </Text>
              </Link>
              {payment.test ? <Badge tone="warning">Test</Badge> : null}
            </InlineStack>
          </IndexTable.Cell>
          <IndexTable.Cell>{dateFormat.format(new Date(payment.receivedAt))}</IndexTable.Cell>
          <IndexTable.Cell>{payment.kind === "SALE" ? "Sale" : "Authorization"}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {payment.formattedAmount}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <InlineStack gap="100">
              <span data-testid={`status-${payment.shopifyId}`}>
                <Badge tone={PAYMENT_STATUS_TONE[payment.status]}>{statusLabel(payment.status)}</Badge>
              </span>
              {payment.attention
                .filter((reason) => reason !== "pending")
                .map((reason) => (
                  <Badge key={reason} tone={reason === "delivery-failed" ? "critical" : "attention"}>
                    {ATTENTION_LABELS[reason]}
                  </Badge>
                ))}
            </InlineStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <span data-testid={`follow-ups-${payment.shopifyId}`}>{describeFollowUps(payment.followUps)}</span>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

function EmptyView({ attention, filtered }: { attention: boolean; filtered: boolean }) {
  if (attention) {
    return (
      <EmptyState heading="Nothing needs attention" image="">
        <p>No payment is pending, no delivery to Shopify is failing, and no authorization is about to expire.</p>
      </EmptyState>
    );
  }
  if (filtered) {
    return (
      <EmptyState heading="No payments match these filters" image="" action={{ content: "Clear all filters", url: "/app" }}>
        <p>Search matches exact ids only: a payment's id, gid, group or Shopify request id, or those of its refunds, captures and voids.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState heading="No payments yet" image="">
      <p>Payment sessions appear here as soon as Shopify sends them: take a test payment at checkout to see one.</p>
    </EmptyState>
  );
}

// A 4xx of this page (an unknown payment, a method it does not take) as a Polaris page inside the admin frame.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
