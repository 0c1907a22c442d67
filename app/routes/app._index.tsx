import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  ChoiceList,
  DatePicker,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Pagination,
  Text,
  TextField,
  useBreakpoints,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type TabProps,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { bulkRetrySchema, retryFailedDeliveries, type BulkRetryResult } from "../admin/bulk-retry.server";
import { listPayments, paymentListQuerySchema, shopCurrencies, type AttentionReason, type PaymentListRow, type StatusFilter } from "../admin/payment-list.server";
import { shopApiVersion } from "../admin/shop-settings.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { requireFormData } from "../http/form-body.server";
import { parseFields } from "../http/fields";
import { PAYMENT_STATUS_WORD_TONE } from "../payments/rules/payment-status-words";
import { getPiiKeyring } from "../privacy/keyring.server";
import { getProcessingPolicy } from "../services.server";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { relativeAge } from "../ui/relative-time";
import { FilterProblemsBanner } from "../ui/filter-problems-banner";

export const meta: MetaFunction = () => [{ title: "Payments" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const locale = staffLocale(request);
  const db = getDb();
  const parsed = parseFields(paymentListQuerySchema, new URL(request.url).searchParams);
  const currencies = await shopCurrencies(db, shop);
  const now = new Date();
  if (!parsed.success) return data({ shop, locale, now: now.toISOString(), currencies, page: null, problems: parsed.problems }, { status: 400 });
  const page = await listPayments(db, shop, parsed.data, { locale, now, linkTtlHours: getEnv().PAYMENT_LINK_TTL_HOURS, keyring: getPiiKeyring() });
  return { shop, locale, now: now.toISOString(), currencies, page, problems: [] };
}

type BulkAnswer = { ok: true; result: BulkRetryResult } | { ok: false; message: string };

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const parsed = parseFields(bulkRetrySchema, await requireFormData(request), "intent");
  if (!parsed.success) return data<BulkAnswer>({ ok: false, message: parsed.problems.map((problem) => `${problem.field}: ${problem.message}`).join(" ") }, { status: 422 });
  const db = getDb();
  const policy = getProcessingPolicy();
  const result = await retryFailedDeliveries(db, staff, parsed.data.ids, { apiVersion: await shopApiVersion(db, staff.shop), authorizationValidityMs: policy.authorizationValidityMs, recheckMs: policy.recheckMs });
  return data<BulkAnswer>({ ok: true, result });
}

/** The list's own parameters: everything else in the URL (Shopify's shop, host, …) is kept as is. */
const FILTER_KEYS = ["view", "status", "kind", "mode", "currency", "from", "to", "amountMin", "amountMax", "q", "sort"] as const;
const PAGE_KEYS = ["after", "before"] as const;

interface View {
  name: string;
  /** The view's filters as a query string of FILTER_KEYS. */
  search: string;
  locked?: boolean;
  count?: keyof NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["page"]>["counts"];
}

const BUILT_IN_VIEWS: View[] = [
  { name: "All", search: "", locked: true, count: "ALL" },
  { name: "Needs attention", search: "view=attention", locked: true, count: "ATTENTION" },
  { name: "Open", search: "status=open", locked: true, count: "OPEN" },
  { name: "Pending", search: "status=pending", locked: true, count: "PENDING" },
  { name: "Abandoned", search: "status=abandoned", locked: true, count: "ABANDONED" },
];

// (The list's module is server-only: its values never reach the browser, only its types.)
const STATUS_LABELS: Record<StatusFilter, string> = {
  open: "Open",
  abandoned: "Abandoned",
  pending: "Pending",
  authorized: "Authorized",
  paid: "Paid",
  refunded: "Refunded (fully or partly)",
  voided: "Voided",
  failed: "Failed",
};

const ATTENTION_LABELS: Record<AttentionReason, string> = {
  pending: "Pending",
  "delivery-retrying": "Shopify not told yet",
  "delivery-failed": "Shopify not told",
  "follow-up-waiting": "Waiting for staff",
  "authorization-expiring": "Authorization expiring",
};

/** The filters of a URL, in a stable order, so a view matches whatever order the URL came in. */
function filterSearch(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  return kept.toString();
}

/**
 * Saved views live in this browser, per shop: a view is a bookmark of filters
 * (the URL alone is shareable already), and keeping them here needs no table.
 */
function useSavedViews(shop: string): [View[], (views: View[]) => void] {
  const key = `payments-views:${shop}`;
  const [views, setViews] = useState<View[]>([]);
  useEffect(() => {
    try {
      const stored: unknown = JSON.parse(window.localStorage.getItem(key) ?? "[]");
      // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- checking the shape of parsed JSON is what this line does
      if (Array.isArray(stored)) setViews(stored.filter((view): view is View => typeof view?.name === "string" && typeof view?.search === "string"));
    } catch {
      setViews([]);
    }
  }, [key]);
  const save = (next: View[]) => {
    setViews(next);
    window.localStorage.setItem(key, JSON.stringify(next));
  };
  return [views, save];
}

export default function Payments() {
  const { shop, locale, now, currencies, page, problems } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { mode, setMode } = useSetIndexFiltersMode();
  // Phones get one stacked cell per payment (false while rendering on the server, then measured).
  const condensed = useBreakpoints().smDown;
  const [savedViews, saveViews] = useSavedViews(shop);
  const views = [...BUILT_IN_VIEWS, ...savedViews];
  const current = filterSearch(searchParams);
  const selected = Math.max(0, views.findIndex((view) => view.search === current));

  // Filters live in the URL: every change is a navigation (back undoes it); typing replaces.
  const setFilters = (changes: Partial<Record<(typeof FILTER_KEYS)[number], string | null>>, { replace = false } = {}) => {
    const next = new URLSearchParams(searchParams);
    for (const key of PAGE_KEYS) next.delete(key);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === "") next.delete(key);
      else next.set(key, value);
    }
    navigate(`?${next.toString()}`, { replace, preventScrollReset: true });
  };
  const showView = (search: string) => {
    const next = new URLSearchParams(searchParams);
    for (const key of [...FILTER_KEYS, ...PAGE_KEYS]) next.delete(key);
    for (const [key, value] of new URLSearchParams(search)) next.set(key, value);
    navigate(`?${next.toString()}`);
  };

  const [query, setQuery] = useState(searchParams.get("q") ?? "");
  const typing = useRef<ReturnType<typeof setTimeout>>();
  const onQueryChange = (value: string) => {
    setQuery(value);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => setFilters({ q: value.trim() || null }, { replace: true }), 400);
  };
  useEffect(() => setQuery(searchParams.get("q") ?? ""), [searchParams]);

  const tabs: TabProps[] = views.map((view, index) => ({
    id: `view-${index}`,
    content: view.name,
    index,
    isLocked: view.locked,
    badge: view.count && page ? String(page.counts[view.count]) : undefined,
    onAction: () => showView(view.search),
    actions: view.locked
      ? []
      : [
          {
            type: "delete",
            onPrimaryAction: () => {
              saveViews(savedViews.filter((saved) => saved !== view));
              showView("");
              return Promise.resolve(true);
            },
          },
        ],
  }));

  const filters = useListFilters(searchParams, currencies, setFilters, new Date(now));
  const rows = page?.rows ?? [];
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);
  const bulk = useFetcher<BulkAnswer>();
  useEffect(() => {
    if (bulk.state === "idle" && bulk.data?.ok) clearSelection();
  }, [bulk.state, bulk.data, clearSelection]);

  return (
    <Page title="Payments" subtitle={shop} secondaryActions={[{ content: "Overview", url: "/app/overview" }, { content: "Audit trail", url: "/app/audit" }]}>
      <BlockStack gap="400">
        <FilterProblemsBanner title="These filters cannot be used" problems={problems} />
        {bulk.data ? <BulkResult answer={bulk.data} /> : null}
        <Card padding="0">
          <IndexFilters
            tabs={tabs}
            selected={selected}
            onSelect={() => undefined}
            canCreateNewView
            onCreateNewView={(name) => {
              saveViews([...savedViews, { name, search: current }]);
              return Promise.resolve(true);
            }}
            primaryAction={
              selected < BUILT_IN_VIEWS.length
                ? { type: "save-as", onAction: (name) => (saveViews([...savedViews, { name, search: current }]), Promise.resolve(true)), disabled: false, loading: false }
                : { type: "save", onAction: () => (saveViews(savedViews.map((view, index) => (index === selected - BUILT_IN_VIEWS.length ? { ...view, search: current } : view))), Promise.resolve(true)), disabled: false, loading: false }
            }
            cancelAction={{ onAction: () => undefined, disabled: false, loading: false }}
            queryValue={query}
            queryPlaceholder="Search by buyer name, email, phone or an id"
            onQueryChange={onQueryChange}
            onQueryClear={() => onQueryChange("")}
            sortOptions={[
              { label: "Received", value: "received desc", directionLabel: "Newest first" },
              { label: "Received", value: "received asc", directionLabel: "Oldest first" },
            ]}
            sortSelected={[searchParams.get("sort") === "oldest" ? "received asc" : "received desc"]}
            onSort={([value]) => setFilters({ sort: value === "received asc" ? "oldest" : null })}
            filters={filters.filters}
            appliedFilters={filters.applied}
            onClearAll={() => showView(searchParams.get("view") === "attention" ? "view=attention" : "")}
            mode={mode}
            setMode={setMode}
            loading={navigation.state === "loading"}
          />
          {page && rows.length > 0 ? (
            <>
              <IndexTable
                condensed={condensed}
                resourceName={{ singular: "payment", plural: "payments" }}
                itemCount={rows.length}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                promotedBulkActions={[
                  {
                    content: "Retry deliveries to Shopify",
                    onAction: () => bulk.submit({ intent: "retry-deliveries", ids: selectedResources.join(",") }, { method: "post" }),
                  },
                ]}
                headings={[{ title: "Payment" }, { title: "Buyer" }, { title: "Status" }, { title: "Kind" }, { title: "Received" }]}
              >
                {rows.map((payment, index) => (
                  <PaymentRow key={payment.id} payment={payment} index={index} selected={selectedResources.includes(payment.id)} locale={locale} now={new Date(now)} condensed={condensed} />
                ))}
              </IndexTable>
              <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={Boolean(page.previousCursor)}
                  onPrevious={() => navigate(`?${withPage(searchParams, "before", page.previousCursor)}`)}
                  hasNext={Boolean(page.nextCursor)}
                  onNext={() => navigate(`?${withPage(searchParams, "after", page.nextCursor)}`)}
                  label={`${rows.length} shown`}
                />
              </div>
            </>
          ) : page ? (
            <EmptyView attention={searchParams.get("view") === "attention"} filtered={current !== "" && current !== "view=attention"} />
          ) : null}
        </Card>
      </BlockStack>
    </Page>
  );
}

function withPage(searchParams: URLSearchParams, key: "after" | "before", cursor: string | null): string {
  const next = new URLSearchParams(searchParams);
  for (const pageKey of PAGE_KEYS) next.delete(pageKey);
  if (cursor) next.set(key, cursor);
  return next.toString();
}

/**
 * One payment: five columns on a laptop; on a phone (Polaris's condensed table) one cell with
 * the same facts stacked, so nothing is cut off or needs a sideways scroll.
 */
function PaymentRow({ payment, index, selected, locale, now, condensed }: { payment: PaymentListRow; index: number; selected: boolean; locale: string; now: Date; condensed: boolean }) {
  const received = new Date(payment.receivedAt);
  const exact = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(received);
  const amount = (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      <Link url={`/app/payments/${payment.id}`} removeUnderline dataPrimaryLink>
        <Text as="span" variant="bodyMd" fontWeight="semibold" numeric>
          {payment.formattedAmount}
        </Text>
      </Link>
      {payment.test ? <Badge tone="warning">Test</Badge> : null}
    </InlineStack>
  );
  const buyer = payment.buyer ?? <Text as="span" tone="subdued">No name</Text>;
  const status = (
    <InlineStack gap="100" wrap>
      <span data-testid={`status-${payment.shopifyId}`}>
        <Badge tone={PAYMENT_STATUS_WORD_TONE[payment.statusWord]}>{payment.statusWord}</Badge>
      </span>
      {payment.attention
        .filter((reason) => reason !== "pending")
        .map((reason) => (
          <Badge key={reason} tone={reason === "delivery-failed" ? "critical" : "attention"}>
            {ATTENTION_LABELS[reason]}
          </Badge>
        ))}
    </InlineStack>
  );
  const kind = payment.kind === "SALE" ? "Sale" : "Authorization";
  const age = (
    <time dateTime={payment.receivedAt} title={`${exact} UTC`}>
      {relativeAge(received, now, locale)}
    </time>
  );
  if (condensed) {
    return (
      <IndexTable.Row id={payment.id} position={index} selected={selected}>
        <div style={{ padding: "12px 16px" }}>
          <BlockStack gap="100">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              {amount}
              <Text as="span" variant="bodySm" tone="subdued">
                {age}
              </Text>
            </InlineStack>
            <Text as="span" variant="bodyMd">
              {buyer} · {kind}
            </Text>
            {status}
          </BlockStack>
        </div>
      </IndexTable.Row>
    );
  }
  return (
    <IndexTable.Row id={payment.id} position={index} selected={selected}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          {amount}
          <Text as="span" variant="bodySm" tone="subdued" breakWord>
            {payment.shopifyId}
          </Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{buyer}</IndexTable.Cell>
      <IndexTable.Cell>{status}</IndexTable.Cell>
      <IndexTable.Cell>{kind}</IndexTable.Cell>
      <IndexTable.Cell>{age}</IndexTable.Cell>
    </IndexTable.Row>
  );
}

type SetFilters = (changes: Partial<Record<(typeof FILTER_KEYS)[number], string | null>>, options?: { replace?: boolean }) => void;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const daysBefore = (date: Date, days: number) => new Date(date.getTime() - days * 86_400_000);

/** The filter pills: status, kind, test or live, the shop's currencies, dates with presets, an amount range. */
function useListFilters(searchParams: URLSearchParams, currencies: string[], setFilters: SetFilters, now: Date) {
  const today = isoDay(now);
  const presets = [
    { label: "Today", value: "today", from: today, to: today },
    { label: "Last 7 days", value: "7", from: isoDay(daysBefore(now, 6)), to: today },
    { label: "Last 30 days", value: "30", from: isoDay(daysBefore(now, 29)), to: today },
    { label: "Last 90 days", value: "90", from: isoDay(daysBefore(now, 89)), to: today },
  ];
  const from = searchParams.get("from");
  const to = searchParams.get("to");
  const preset = presets.find((candidate) => candidate.from === from && candidate.to === to)?.value ?? (from || to ? "custom" : "");
  const [amountMin, setAmountMin] = useState(searchParams.get("amountMin") ?? "");
  const [amountMax, setAmountMax] = useState(searchParams.get("amountMax") ?? "");
  useEffect(() => {
    setAmountMin(searchParams.get("amountMin") ?? "");
    setAmountMax(searchParams.get("amountMax") ?? "");
  }, [searchParams]);
  const amountTimer = useRef<ReturnType<typeof setTimeout>>();
  const typeAmount = (key: "amountMin" | "amountMax", value: string) => {
    (key === "amountMin" ? setAmountMin : setAmountMax)(value);
    clearTimeout(amountTimer.current);
    // Only a well-formed amount reaches the URL; the server would refuse another with a sentence.
    if (value === "" || /^\d{1,12}(\.\d{1,3})?$/.test(value)) amountTimer.current = setTimeout(() => setFilters({ [key]: value || null }, { replace: true }), 500);
  };

  const single = (key: (typeof FILTER_KEYS)[number]) => (values: string[]) => setFilters({ [key]: values[0] ?? null });
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: "Status",
      shortcut: true,
      filter: <ChoiceList title="Status" titleHidden choices={Object.entries(STATUS_LABELS).map(([value, label]) => ({ label, value }))} selected={[searchParams.get("status") ?? ""]} onChange={single("status")} />,
    },
    {
      key: "kind",
      label: "Kind",
      filter: <ChoiceList title="Kind" titleHidden choices={[{ label: "Sale", value: "SALE" }, { label: "Authorization", value: "AUTHORIZATION" }]} selected={[searchParams.get("kind") ?? ""]} onChange={single("kind")} />,
    },
    {
      key: "mode",
      label: "Test or live",
      filter: <ChoiceList title="Test or live" titleHidden choices={[{ label: "Test payments", value: "test" }, { label: "Live payments", value: "live" }]} selected={[searchParams.get("mode") ?? ""]} onChange={single("mode")} />,
    },
    {
      key: "currency",
      label: "Currency",
      filter:
        currencies.length > 0 ? (
          <ChoiceList title="Currency" titleHidden choices={currencies.map((code) => ({ label: code, value: code }))} selected={[searchParams.get("currency") ?? ""]} onChange={single("currency")} />
        ) : (
          <Text as="p" tone="subdued">
            No payments yet.
          </Text>
        ),
    },
    {
      key: "date",
      label: "Received",
      shortcut: true,
      filter: <DateFilter presets={presets} preset={preset} from={from} to={to} today={today} setFilters={setFilters} />,
    },
    {
      key: "amount",
      label: "Amount",
      filter: (
        <InlineStack gap="200" wrap={false}>
          <TextField label="At least" type="text" inputMode="decimal" value={amountMin} onChange={(value) => typeAmount("amountMin", value)} autoComplete="off" />
          <TextField label="At most" type="text" inputMode="decimal" value={amountMax} onChange={(value) => typeAmount("amountMax", value)} autoComplete="off" />
        </InlineStack>
      ),
    },
  ];

  const applied: IndexFiltersProps["appliedFilters"] = [];
  const status = searchParams.get("status") as StatusFilter | null;
  if (status && STATUS_LABELS[status]) applied.push({ key: "status", label: `Status: ${STATUS_LABELS[status]}`, onRemove: () => setFilters({ status: null }) });
  const kind = searchParams.get("kind");
  if (kind) applied.push({ key: "kind", label: kind === "SALE" ? "Sales" : "Authorizations", onRemove: () => setFilters({ kind: null }) });
  const mode = searchParams.get("mode");
  if (mode) applied.push({ key: "mode", label: mode === "test" ? "Test payments" : "Live payments", onRemove: () => setFilters({ mode: null }) });
  const currency = searchParams.get("currency");
  if (currency) applied.push({ key: "currency", label: `In ${currency}`, onRemove: () => setFilters({ currency: null }) });
  if (from || to) {
    const label = presets.find((candidate) => candidate.value === preset)?.label ?? `${from ?? "…"} to ${to ?? "…"}`;
    applied.push({ key: "date", label: `Received: ${label}`, onRemove: () => setFilters({ from: null, to: null }) });
  }
  if (searchParams.get("amountMin") || searchParams.get("amountMax")) {
    const min = searchParams.get("amountMin");
    const max = searchParams.get("amountMax");
    applied.push({ key: "amount", label: min && max ? `Amount ${min} to ${max}` : min ? `Amount at least ${min}` : `Amount at most ${max}`, onRemove: () => setFilters({ amountMin: null, amountMax: null }) });
  }
  return { filters, applied };
}

function DateFilter({ presets, preset, from, to, today, setFilters }: { presets: { label: string; value: string; from: string; to: string }[]; preset: string; from: string | null; to: string | null; today: string; setFilters: SetFilters }) {
  const initial = new Date(`${from ?? today}T00:00:00.000Z`);
  const [{ month, year }, setMonth] = useState({ month: initial.getUTCMonth(), year: initial.getUTCFullYear() });
  const [custom, setCustom] = useState(preset === "custom");
  // DatePicker works in local dates; the list's dates are UTC days, so the day's numbers are carried over as is.
  const asLocal = (day: string) => {
    const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
    return new Date(y, m - 1, d);
  };
  const asDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
  return (
    <BlockStack gap="300">
      <ChoiceList
        title="Received"
        titleHidden
        choices={[...presets.map(({ label, value }) => ({ label, value })), { label: "Custom range", value: "custom" }]}
        selected={[custom ? "custom" : preset]}
        onChange={([value]) => {
          const chosen = presets.find((candidate) => candidate.value === value);
          setCustom(value === "custom");
          if (chosen) setFilters({ from: chosen.from, to: chosen.to });
        }}
      />
      {custom ? (
        <DatePicker
          month={month}
          year={year}
          allowRange
          disableDatesAfter={asLocal(today)}
          selected={from ? { start: asLocal(from), end: asLocal(to ?? from) } : undefined}
          onMonthChange={(nextMonth, nextYear) => setMonth({ month: nextMonth, year: nextYear })}
          onChange={({ start, end }) => setFilters({ from: asDay(start), to: asDay(end) })}
        />
      ) : null}
    </BlockStack>
  );
}

function BulkResult({ answer }: { answer: BulkAnswer }) {
  if (!answer.ok) return <Banner tone="critical" title="Nothing was retried">{answer.message}</Banner>;
  const { retried, paymentsWithoutFailedDelivery } = answer.result;
  return (
    <Banner tone={retried > 0 ? "success" : "info"} title={retried > 0 ? `${retried} ${retried === 1 ? "delivery" : "deliveries"} to Shopify will be sent again` : "No delivery needed retrying"}>
      {paymentsWithoutFailedDelivery > 0 ? <p>{paymentsWithoutFailedDelivery} of the selected payments had no failed delivery.</p> : null}
    </Banner>
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
