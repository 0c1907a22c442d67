import { afterEach, describe, expect, it } from "vitest";
import { seededRandom, startPaymentsAppsSandbox, type PaymentsAppsSandbox, type PaymentsAppsSandboxOptions } from "./server";

const SHOP = "shop-a.myshopify.com";
const TOKEN = "shpat_shop_a";
const OTHER_SHOP = "shop-b.myshopify.com";
const OTHER_TOKEN = "shpat_shop_b";
const CHECKOUT = "https://checkout.sandbox.test";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const SESSION_FIELDS = `
  id
  state {
    __typename
    ... on PaymentSessionStateResolved { code }
    ... on PaymentSessionStateRejected { code reason merchantMessage }
    ... on PaymentSessionStatePending { code pendingReason: reason }
  }
  nextAction { action context { __typename ... on PaymentSessionActionsRedirect { redirectUrl } } }
  authorizationExpiresAt
  pendingExpiresAt`;

const RESOLVE = `mutation PaymentSessionResolve($id: ID!, $authorizationExpiresAt: DateTime) {
  paymentSessionResolve(id: $id, authorizationExpiresAt: $authorizationExpiresAt) {
    paymentSession { ${SESSION_FIELDS} }
    userErrors { field message }
  }
}`;

const REJECT = `mutation PaymentSessionReject($id: ID!, $reason: PaymentSessionRejectionReasonInput!) {
  paymentSessionReject(id: $id, reason: $reason) {
    paymentSession { ${SESSION_FIELDS} }
    userErrors { field message }
  }
}`;

const PENDING = `mutation PaymentSessionPending($id: ID!, $pendingExpiresAt: DateTime!, $reason: PaymentSessionStatePendingReason!) {
  paymentSessionPending(id: $id, pendingExpiresAt: $pendingExpiresAt, reason: $reason) {
    paymentSession { ${SESSION_FIELDS} }
    userErrors { code field message }
  }
}`;

const REDIRECT = `mutation PaymentSessionRedirect($id: ID!, $redirectUrl: URL!) {
  paymentSessionRedirect(id: $id, redirectUrl: $redirectUrl) { paymentSession { id } userErrors { code field message } }
}`;

const CONFIRM = `mutation PaymentSessionConfirm($id: ID!) {
  paymentSessionConfirm(id: $id) { paymentSession { id } userErrors { code field message } }
}`;

function followUpMutation(kind: "refund" | "capture" | "void", action: "Resolve" | "Reject"): string {
  const type = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Session`;
  const args = action === "Reject" ? `($id: ID!, $reason: ${type}RejectionReasonInput!)` : "($id: ID!)";
  const call = action === "Reject" ? "(id: $id, reason: $reason)" : "(id: $id)";
  return `mutation ${type}${action}${args} {
    ${kind}Session${action}${call} {
      ${kind}Session { id state { __typename ... on ${type}StateResolved { code } ... on ${type}StateRejected { code reason merchantMessage } } }
      userErrors { code field message }
    }
  }`;
}

const CONFIGURE = `mutation PaymentsAppConfigure($externalHandle: String, $ready: Boolean!) {
  paymentsAppConfigure(externalHandle: $externalHandle, ready: $ready) {
    paymentsAppConfiguration { externalHandle ready }
    userErrors { field message }
  }
}`;

const VERSIONS = `query { publicApiVersions { handle displayName supported } }`;

const sandboxes: PaymentsAppsSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.stop()));
});

async function start(options: PaymentsAppsSandboxOptions = {}) {
  const sandbox = await startPaymentsAppsSandbox({ checkoutOrigin: CHECKOUT, ...options });
  sandboxes.push(sandbox);
  sandbox.registerShop(SHOP, TOKEN);
  sandbox.registerShop(OTHER_SHOP, OTHER_TOKEN);
  return sandbox;
}

let counter = 0;
function paymentSession(sandbox: PaymentsAppsSandbox, options: { shop?: string; paymentKind?: "sale" | "authorization"; paymentMethod?: "offsite" | "credit_card" } = {}) {
  counter += 1;
  const id = `pay${counter}`;
  const gid = `gid://shopify/PaymentSession/${id}`;
  sandbox.registerSession({ gid, shop: options.shop ?? SHOP, kind: "payment", paymentKind: options.paymentKind, paymentMethod: options.paymentMethod });
  return { id, gid };
}

interface GraphQLBody {
  data?: Record<string, Record<string, unknown>>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: Record<string, number> } };
}

interface Request {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  token?: string | null;
  version?: string;
  signal?: AbortSignal;
}

async function post(sandbox: PaymentsAppsSandbox, request: Request): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const token = request.token === undefined ? TOKEN : request.token;
  if (token !== null) headers["X-Shopify-Access-Token"] = token;
  return fetch(`${sandbox.url}/payments_apps/api/${request.version ?? "2026-04"}/graphql.json`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
    signal: request.signal,
  });
}

async function gql(sandbox: PaymentsAppsSandbox, request: Request): Promise<{ status: number; body: GraphQLBody }> {
  const response = await post(sandbox, request);
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

function inFuture(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

describe("authentication", () => {
  it("answers 401 with Shopify's message when the access token is missing", async () => {
    const sandbox = await start();
    const response = await post(sandbox, { query: VERSIONS, token: null });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    expect(sandbox.calls.at(-1)).toMatchObject({ shop: null, httpStatus: 401, outcome: "unauthorized", executed: false });
  });

  it("answers 401 when the access token is unknown", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const response = await post(sandbox, { query: RESOLVE, variables: { id: gid }, token: "shpat_wrong" });
    expect(response.status).toBe(401);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
  });

  it("does not find another shop's session with this shop's token", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox, { shop: OTHER_SHOP });
    const { status, body } = await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(status).toBe(200);
    expect(body.data?.paymentSessionResolve).toEqual({ paymentSession: null, userErrors: [{ field: ["id"], message: "Payment session not found." }] });
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    expect(sandbox.calls.at(-1)).toMatchObject({ shop: SHOP, outcome: "user-errors" });
  });

  it("does not find another shop's refund session", async () => {
    const sandbox = await start();
    const gid = "gid://shopify/RefundSession/r-other";
    sandbox.registerSession({ gid, shop: OTHER_SHOP, kind: "refund" });
    const { body } = await gql(sandbox, { query: followUpMutation("refund", "Resolve"), variables: { id: gid } });
    expect(body.data?.refundSessionResolve?.userErrors).toEqual([{ code: "REFUND_SESSION_NOT_FOUND", field: ["id"], message: "Refund session not found." }]);
  });

  it("stops accepting a shop's old token once a new one is registered", async () => {
    const sandbox = await start();
    sandbox.registerShop(SHOP, "shpat_rotated");
    expect((await post(sandbox, { query: VERSIONS })).status).toBe(401);
    expect((await post(sandbox, { query: VERSIONS, token: "shpat_rotated" })).status).toBe(200);
  });

  it("refuses to register a session of a shop it does not know", async () => {
    const sandbox = await start();
    expect(() => sandbox.registerSession({ gid: "gid://shopify/PaymentSession/x", shop: "nobody.myshopify.com", kind: "payment" })).toThrow(/registerShop/);
  });
});

describe("the endpoint", () => {
  it("serves YYYY-MM versions and unstable, and answers 404 for other paths", async () => {
    const sandbox = await start();
    expect((await post(sandbox, { query: VERSIONS, version: "unstable" })).status).toBe(200);
    expect((await post(sandbox, { query: VERSIONS, version: "2025-10" })).status).toBe(200);
    expect((await post(sandbox, { query: VERSIONS, version: "latest" })).status).toBe(404);
    expect((await fetch(`${sandbox.url}/admin/api/2026-04/graphql.json`, { method: "POST" })).status).toBe(404);
  });

  it("lists the public API versions at a cost of one point", async () => {
    const sandbox = await start();
    const { body } = await gql(sandbox, { query: VERSIONS });
    expect(body.data?.publicApiVersions).toContainEqual({ handle: "2026-04", displayName: "2026-04 (Latest)", supported: true });
    expect(body.extensions?.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1 });
  });

  it("answers 400 with Shopify's body when the JSON is invalid or the query is missing", async () => {
    const sandbox = await start();
    for (const body of ["{not json", JSON.stringify({ variables: {} }), JSON.stringify({ query: "{ publicApiVersions { handle } }", variables: "x" })]) {
      const response = await fetch(`${sandbox.url}/payments_apps/api/2026-04/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: { query: "Required parameter missing or invalid" } });
    }
    expect(sandbox.calls.map((call) => call.outcome)).toEqual(["invalid", "invalid", "invalid"]);
  });

  it("answers a document that does not validate with graphql-js errors and no data", async () => {
    const sandbox = await start();
    const { status, body } = await gql(sandbox, { query: `mutation { paymentSessionResolve(id: "x") { paymentSession { colour } userErrors { message } } }` });
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: 'Cannot query field "colour" on type "PaymentSession".', locations: [{ line: 1, column: 62 }] }]);
    expect(body.extensions?.cost).toMatchObject({ actualQueryCost: 0 });
    expect(sandbox.calls.at(-1)).toMatchObject({ outcome: "invalid", executed: false });
  });

  it("answers a syntax error as graphql-js does", async () => {
    const sandbox = await start();
    const { body } = await gql(sandbox, { query: "mutation {" });
    expect(body.errors?.[0]?.message).toBe("Syntax Error: Expected Name, found <EOF>.");
  });

  it("refuses variables that do not match the schema, such as a DateTime that is not a date", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: PENDING, variables: { id: gid, pendingExpiresAt: "tomorrow", reason: "BUYER_ACTION_REQUIRED" } });
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/^Variable "\$pendingExpiresAt" got invalid value "tomorrow"; Expected type "DateTime"/);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
  });

  it("refuses a redirect URL without a scheme and host", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox, { paymentMethod: "credit_card" });
    const { body } = await gql(sandbox, { query: REDIRECT, variables: { id: gid, redirectUrl: "/3ds" } });
    expect(body.errors?.[0]?.message).toMatch(/Expected type "URL"/);
  });

  it("serves the checkout pages that nextAction points to", async () => {
    const sandbox = await startPaymentsAppsSandbox();
    sandboxes.push(sandbox);
    const response = await fetch(`${sandbox.url}/checkouts/pay1/thank_you`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("thank_you");
  });
});

describe("paymentSessionResolve", () => {
  it("resolves the session and sends the buyer to the thank-you page", async () => {
    const sandbox = await start();
    const { id, gid } = paymentSession(sandbox);
    const { status, body } = await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(status).toBe(200);
    expect(body.data?.paymentSessionResolve).toEqual({
      paymentSession: {
        id: gid,
        state: { __typename: "PaymentSessionStateResolved", code: "RESOLVED" },
        nextAction: { action: "REDIRECT", context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: `${CHECKOUT}/checkouts/${id}/thank_you` } },
        authorizationExpiresAt: null,
        pendingExpiresAt: null,
      },
      userErrors: [],
    });
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 990, restoreRate: 50 },
    });
    expect(sandbox.calls.at(-1)).toMatchObject({
      shop: SHOP,
      version: "2026-04",
      operationName: "PaymentSessionResolve",
      mutations: ["paymentSessionResolve"],
      variables: { id: gid },
      httpStatus: 200,
      outcome: "ok",
      executed: true,
    });
  });

  it("uses the sandbox's own origin for checkout pages when no checkout origin is given", async () => {
    const sandbox = await startPaymentsAppsSandbox();
    sandboxes.push(sandbox);
    sandbox.registerShop(SHOP, TOKEN);
    const { id, gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(body.data?.paymentSessionResolve?.paymentSession).toMatchObject({ nextAction: { context: { redirectUrl: `${sandbox.url}/checkouts/${id}/thank_you` } } });
  });

  it("answers a repeated resolve with the same response and changes the state once", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox, { paymentKind: "authorization" });
    const first = await gql(sandbox, { query: RESOLVE, variables: { id: gid, authorizationExpiresAt: "2030-01-01T00:00:00Z" } });
    const second = await gql(sandbox, { query: RESOLVE, variables: { id: gid, authorizationExpiresAt: "2031-06-01T00:00:00Z" } });
    expect(second.body.data).toEqual(first.body.data);
    expect(first.body.data?.paymentSessionResolve?.paymentSession).toMatchObject({ authorizationExpiresAt: "2030-01-01T00:00:00Z" });
    const session = sandbox.sessions.get(gid);
    expect(session?.history).toHaveLength(1);
    expect(session?.attempts.map((attempt) => attempt.result)).toEqual(["applied", "repeated"]);
    expect(sandbox.calls.filter((call) => call.mutations.includes("paymentSessionResolve"))).toHaveLength(2);
  });

  it("refuses to reject a resolved session with a user error and keeps it resolved", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    const { body } = await gql(sandbox, { query: REJECT, variables: { id: gid, reason: { code: "PROCESSING_ERROR" } } });
    expect(body.data?.paymentSessionReject).toEqual({
      paymentSession: null,
      userErrors: [{ field: ["id"], message: "Payment session has already been resolved." }],
    });
    expect(sandbox.sessions.get(gid)?.state).toEqual({ code: "RESOLVED" });
    expect(sandbox.calls.at(-1)?.outcome).toBe("user-errors");
  });
});

describe("paymentSessionReject", () => {
  it("rejects with the reason and merchant message and sends the buyer back to checkout", async () => {
    const sandbox = await start();
    const { id, gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: REJECT, variables: { id: gid, reason: { code: "CARD_DECLINED", merchantMessage: "Declined by issuer" } } });
    expect(body.data?.paymentSessionReject?.paymentSession).toMatchObject({
      state: { __typename: "PaymentSessionStateRejected", code: "REJECTED", reason: "CARD_DECLINED", merchantMessage: "Declined by issuer" },
      nextAction: { action: "REDIRECT", context: { redirectUrl: `${CHECKOUT}/checkouts/${id}/payment?error=CARD_DECLINED` } },
    });
  });

  it("accepts a 2026-04 reason with its source on 2026-04", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const query = `mutation ($id: ID!) { paymentSessionReject(id: $id, reason: { code: INSUFFICIENT_FUNDS, source: NETWORK }) {
      paymentSession { state { ... on PaymentSessionStateRejected { reason source } } } userErrors { message } } }`;
    const { body } = await gql(sandbox, { query, variables: { id: gid } });
    expect(body.data?.paymentSessionReject?.paymentSession).toEqual({ state: { reason: "INSUFFICIENT_FUNDS", source: "NETWORK" } });
  });

  it("refuses a 2026-04 reason on an older version as the older schema does", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: REJECT, version: "2025-10", variables: { id: gid, reason: { code: "INSUFFICIENT_FUNDS" } } });
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/Value "INSUFFICIENT_FUNDS" does not exist in "PaymentSessionStateRejectedReason" enum/);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
  });

  it("has no rejection source on an older version but accepts the older reasons there", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const withSource = `mutation ($id: ID!) { paymentSessionReject(id: $id, reason: { code: PROCESSING_ERROR, source: PROVIDER }) { userErrors { message } } }`;
    const { body } = await gql(sandbox, { query: withSource, version: "2026-01", variables: { id: gid } });
    expect(body.errors?.[0]?.message).toBe('Field "source" is not defined by type "PaymentSessionRejectionReasonInput".');
    const accepted = await gql(sandbox, { query: REJECT, version: "2026-01", variables: { id: gid, reason: { code: "RISKY" } } });
    expect(accepted.body.data?.paymentSessionReject?.paymentSession).toMatchObject({ state: { reason: "RISKY" } });
  });
});

describe("paymentSessionPending", () => {
  it("makes the session pending and sends the buyer to the pending page", async () => {
    const sandbox = await start();
    const { id, gid } = paymentSession(sandbox);
    const expiresAt = new Date(Math.floor((Date.now() + DAY) / 1000) * 1000);
    const { body } = await gql(sandbox, { query: PENDING, variables: { id: gid, pendingExpiresAt: expiresAt.toISOString(), reason: "BUYER_ACTION_REQUIRED" } });
    expect(body.data?.paymentSessionPending).toEqual({
      paymentSession: {
        id: gid,
        state: { __typename: "PaymentSessionStatePending", code: "PENDING", pendingReason: "BUYER_ACTION_REQUIRED" },
        nextAction: { action: "REDIRECT", context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: `${CHECKOUT}/checkouts/${id}/pending` } },
        authorizationExpiresAt: null,
        pendingExpiresAt: expiresAt.toISOString().replace(".000Z", "Z"),
      },
      userErrors: [],
    });
  });

  it("refuses an expiry in the past with EXPIRED_PENDING_EXPIRES_AT", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: PENDING, variables: { id: gid, pendingExpiresAt: inFuture(-HOUR), reason: "BUYER_ACTION_REQUIRED" } });
    expect(body.data?.paymentSessionPending?.userErrors).toEqual([
      { code: "EXPIRED_PENDING_EXPIRES_AT", field: ["pendingExpiresAt"], message: "pendingExpiresAt must be in the future." },
    ]);
  });

  it("refuses an expiry beyond 3 days with OUT_OF_RANGE_PENDING_EXPIRES_AT", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: PENDING, variables: { id: gid, pendingExpiresAt: inFuture(3 * DAY + HOUR), reason: "BUYER_ACTION_REQUIRED" } });
    expect(body.data?.paymentSessionPending?.userErrors).toMatchObject([{ code: "OUT_OF_RANGE_PENDING_EXPIRES_AT" }]);
  });

  it("uses the configured pending limit", async () => {
    const sandbox = await start({ pendingLimitMs: HOUR });
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: PENDING, variables: { id: gid, pendingExpiresAt: inFuture(2 * HOUR), reason: "BUYER_ACTION_REQUIRED" } });
    expect(body.data?.paymentSessionPending?.userErrors).toMatchObject([{ code: "OUT_OF_RANGE_PENDING_EXPIRES_AT" }]);
  });

  it("refuses pending after resolve with PENDING_INVALID_STATE", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    const { body } = await gql(sandbox, { query: PENDING, variables: { id: gid, pendingExpiresAt: inFuture(DAY), reason: "BUYER_ACTION_REQUIRED" } });
    expect(body.data?.paymentSessionPending).toMatchObject({ paymentSession: null, userErrors: [{ code: "PENDING_INVALID_STATE" }] });
  });
});

describe("redirect and confirm", () => {
  it("refuses paymentSessionRedirect on an offsite session with REDIRECT_NOT_SUPPORTED_FOR_OFFSITE", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: REDIRECT, variables: { id: gid, redirectUrl: "https://app.example.com/3ds" } });
    expect(body.data?.paymentSessionRedirect?.userErrors).toMatchObject([{ code: "REDIRECT_NOT_SUPPORTED_FOR_OFFSITE" }]);
  });

  it("redirects a credit card session of a shop whose extension supports 3DS", async () => {
    const sandbox = await start();
    sandbox.registerShop("shop-3ds.myshopify.com", "shpat_3ds", { supports3ds: true });
    const gid = "gid://shopify/PaymentSession/cc3ds";
    sandbox.registerSession({ gid, shop: "shop-3ds.myshopify.com", kind: "payment", paymentMethod: "credit_card" });
    const { body } = await gql(sandbox, { query: REDIRECT, token: "shpat_3ds", variables: { id: gid, redirectUrl: "https://app.example.com/3ds" } });
    expect(body.data?.paymentSessionRedirect).toEqual({ paymentSession: { id: gid }, userErrors: [] });
    expect(sandbox.sessions.get(gid)?.state).toEqual({ code: "REDIRECTING" });
  });

  it("refuses paymentSessionConfirm without confirmation support with CONFIRMATION_NOT_SUPPORTED", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    const { body } = await gql(sandbox, { query: CONFIRM, variables: { id: gid } });
    expect(body.data?.paymentSessionConfirm?.userErrors).toMatchObject([{ code: "CONFIRMATION_NOT_SUPPORTED" }]);
  });
});

describe.each(["refund", "capture", "void"] as const)("%s sessions over HTTP", (kind) => {
  const KIND = kind.toUpperCase();
  const type = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Session`;
  const field = `${kind}Session`;

  async function withSession() {
    const sandbox = await start();
    counter += 1;
    const gid = `gid://shopify/${type}/s${counter}`;
    sandbox.registerSession({ gid, shop: SHOP, kind });
    return { sandbox, gid };
  }

  it("resolves, and answers a repeated resolve the same way", async () => {
    const { sandbox, gid } = await withSession();
    const first = await gql(sandbox, { query: followUpMutation(kind, "Resolve"), variables: { id: gid } });
    const second = await gql(sandbox, { query: followUpMutation(kind, "Resolve"), variables: { id: gid } });
    expect(first.body.data?.[`${kind}SessionResolve`]).toEqual({ [field]: { id: gid, state: { __typename: `${type}StateResolved`, code: "RESOLVED" } }, userErrors: [] });
    expect(second.body.data).toEqual(first.body.data);
    expect(sandbox.sessions.get(gid)?.history).toHaveLength(1);
  });

  it(`refuses reject after resolve with ${KIND}_SESSION_INVALID_STATE`, async () => {
    const { sandbox, gid } = await withSession();
    await gql(sandbox, { query: followUpMutation(kind, "Resolve"), variables: { id: gid } });
    const { body } = await gql(sandbox, { query: followUpMutation(kind, "Reject"), variables: { id: gid, reason: { code: "PROCESSING_ERROR" } } });
    expect(body.data?.[`${kind}SessionReject`]).toEqual({
      [field]: null,
      userErrors: [{ code: `${KIND}_SESSION_INVALID_STATE`, field: ["id"], message: `${kind.charAt(0).toUpperCase()}${kind.slice(1)} session has already been resolved.` }],
    });
  });

  it("rejects keeping the reason and merchant message, then refuses resolve", async () => {
    const { sandbox, gid } = await withSession();
    const rejected = await gql(sandbox, { query: followUpMutation(kind, "Reject"), variables: { id: gid, reason: { code: "PROCESSING_ERROR", merchantMessage: "Bank offline" } } });
    expect(rejected.body.data?.[`${kind}SessionReject`]?.[field]).toEqual({
      id: gid,
      state: { __typename: `${type}StateRejected`, code: "REJECTED", reason: "PROCESSING_ERROR", merchantMessage: "Bank offline" },
    });
    const { body } = await gql(sandbox, { query: followUpMutation(kind, "Resolve"), variables: { id: gid } });
    expect(body.data?.[`${kind}SessionResolve`]?.userErrors).toMatchObject([{ code: `${KIND}_SESSION_INVALID_STATE` }]);
  });

  it(`answers an unknown id with ${KIND}_SESSION_NOT_FOUND`, async () => {
    const { sandbox } = await withSession();
    const { body } = await gql(sandbox, { query: followUpMutation(kind, "Resolve"), variables: { id: `gid://shopify/${type}/unknown` } });
    expect(body.data?.[`${kind}SessionResolve`]?.userErrors).toMatchObject([{ code: `${KIND}_SESSION_NOT_FOUND` }]);
  });
});

describe("paymentsAppConfigure", () => {
  it("stores and returns the shop's configuration", async () => {
    const sandbox = await start();
    const { body } = await gql(sandbox, { query: CONFIGURE, variables: { externalHandle: "acct_42", ready: true } });
    expect(body.data?.paymentsAppConfigure).toEqual({ paymentsAppConfiguration: { externalHandle: "acct_42", ready: true }, userErrors: [] });
    expect(sandbox.configuration(SHOP)).toMatchObject({ externalHandle: "acct_42", ready: true });
    expect(sandbox.configuration(OTHER_SHOP)).toBeUndefined();
  });
});

describe("rate limiting", () => {
  it("charges 10 points per mutation from a per-shop bucket and throttles when it is empty", async () => {
    const sandbox = await start({ rateLimit: { maximumAvailable: 25, restoreRate: 0.001 } });
    const sessions = [paymentSession(sandbox), paymentSession(sandbox), paymentSession(sandbox)];
    const costs = [];
    for (const { gid } of sessions) costs.push((await gql(sandbox, { query: RESOLVE, variables: { id: gid } })).body);
    expect(costs.map((body) => body.extensions?.cost.throttleStatus.currentlyAvailable)).toEqual([15, 5, 5]);
    const throttled = costs[2];
    expect(throttled?.data).toBeUndefined();
    expect(throttled?.errors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(throttled?.extensions?.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 25, currentlyAvailable: 5, restoreRate: 0.001 },
    });
    expect(sandbox.sessions.get(sessions[2]?.gid ?? "")?.state).toBeNull();
    expect(sandbox.calls.at(-1)).toMatchObject({ outcome: "throttled", executed: false });

    // Another shop has its own bucket.
    const other = paymentSession(sandbox, { shop: OTHER_SHOP });
    const { body } = await gql(sandbox, { query: RESOLVE, token: OTHER_TOKEN, variables: { id: other.gid } });
    expect(body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(15);
  });

  it("refills the bucket at the restore rate", async () => {
    let now = new Date("2026-05-01T12:00:00Z");
    const sandbox = await start({ rateLimit: { maximumAvailable: 20, restoreRate: 5 }, now: () => now });
    const first = paymentSession(sandbox);
    const second = paymentSession(sandbox);
    const third = paymentSession(sandbox);
    await gql(sandbox, { query: RESOLVE, variables: { id: first.gid } });
    await gql(sandbox, { query: RESOLVE, variables: { id: second.gid } });
    expect((await gql(sandbox, { query: RESOLVE, variables: { id: third.gid } })).body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    now = new Date(now.getTime() + 2000);
    const { body } = await gql(sandbox, { query: RESOLVE, variables: { id: third.gid } });
    expect(body.data?.paymentSessionResolve?.userErrors).toEqual([]);
    expect(body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
  });

  it("refuses a query costing more than the bucket holds with MAX_COST_EXCEEDED", async () => {
    const sandbox = await start({ rateLimit: { maximumAvailable: 15, restoreRate: 50 } });
    const { body } = await gql(sandbox, { query: `mutation { a: paymentsAppConfigure(ready: true) { userErrors { message } } b: paymentsAppConfigure(ready: false) { userErrors { message } } }` });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 20, maxCost: 15 });
    expect(sandbox.configuration(SHOP)).toBeUndefined();
  });
});

describe("fault injection", () => {
  it("answers 503 for errorRate 1 without executing the mutation", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ errorRate: 1 });
    const response = await post(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(response.status).toBe(503);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    expect(sandbox.calls.at(-1)).toMatchObject({ httpStatus: 503, outcome: "fault:http-503", executed: false });
    sandbox.clearFaults();
    expect((await post(sandbox, { query: RESOLVE, variables: { id: gid } })).status).toBe(200);
  });

  it("fails the next N matching requests, counting only the mutations named in `only`", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ failNext: 2, only: "paymentSessionResolve" });
    expect((await post(sandbox, { query: CONFIGURE, variables: { ready: true } })).status).toBe(200);
    expect((await post(sandbox, { query: VERSIONS })).status).toBe(200);
    expect((await post(sandbox, { query: RESOLVE, variables: { id: gid } })).status).toBe(503);
    expect((await post(sandbox, { query: RESOLVE, variables: { id: gid } })).status).toBe(503);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    expect((await post(sandbox, { query: RESOLVE, variables: { id: gid } })).status).toBe(200);
    expect(sandbox.sessions.get(gid)?.state).toEqual({ code: "RESOLVED" });
  });

  it("adds Retry-After to injected 503 answers when asked to", async () => {
    const sandbox = await start();
    sandbox.setFaults({ failNext: 1, retryAfterSeconds: 7 });
    const response = await post(sandbox, { query: VERSIONS });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
  });

  it("answers INTERNAL_SERVER_ERROR with a request id for internalErrorRate 1", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ internalErrorRate: 1 });
    const response = await post(sandbox, { query: RESOLVE, variables: { id: gid } });
    const body = (await response.json()) as GraphQLBody;
    expect(response.status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId: response.headers.get("x-request-id") });
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    expect(sandbox.calls.at(-1)?.outcome).toBe("fault:internal-error");
  });

  it("answers THROTTLED with a nearly empty bucket for throttle: true, without executing or draining the bucket", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ throttle: true, applyThenFail: true });
    const { status, body } = await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 },
    });
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    sandbox.clearFaults();
    const next = await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(next.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(990);
  });

  it("never answers for timeoutRate 1, so the client gives up, and nothing is executed", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ timeoutRate: 1 });
    await expect(post(sandbox, { query: RESOLVE, variables: { id: gid }, signal: AbortSignal.timeout(200) })).rejects.toThrow(/abort|timeout/i);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    expect(sandbox.calls.at(-1)).toMatchObject({ httpStatus: null, outcome: "fault:timeout", executed: false });
  });

  it("destroys the socket for resetRate 1", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ resetRate: 1 });
    await expect(post(sandbox, { query: RESOLVE, variables: { id: gid } })).rejects.toThrow(/fetch failed/);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
    expect(sandbox.calls.at(-1)).toMatchObject({ httpStatus: null, outcome: "fault:reset", executed: false });
  });

  it("delays matching requests by latencyMs", async () => {
    const sandbox = await start();
    sandbox.setFaults({ latencyMs: 250 });
    const started = performance.now();
    expect((await post(sandbox, { query: VERSIONS })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("does not execute a delayed mutation whose client gave up", async () => {
    const sandbox = await start();
    const { gid } = paymentSession(sandbox);
    sandbox.setFaults({ latencyMs: 300 });
    await expect(post(sandbox, { query: RESOLVE, variables: { id: gid }, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect.poll(() => sandbox.calls.at(-1)?.outcome, { timeout: 5000 }).toBe("client-closed");
    expect(sandbox.calls.at(-1)?.executed).toBe(false);
    expect(sandbox.sessions.get(gid)?.state).toBeNull();
  });

  it("draws faults from the seeded generator, so a seed gives the same failures every run", async () => {
    const sandbox = await start({ seed: 42 });
    sandbox.setFaults({ errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(sandbox, { query: VERSIONS })).status);
    const random = seededRandom(42);
    const expected = statuses.map(() => (random() < 0.5 ? 503 : 200));
    expect(statuses).toEqual(expected);
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);

    sandbox.setFaults({ errorRate: 0.5, seed: 42 });
    const replay: number[] = [];
    for (let i = 0; i < 12; i++) replay.push((await post(sandbox, { query: VERSIONS })).status);
    expect(replay).toEqual(statuses);
  });

  it("refuses rates outside 0..1", async () => {
    const sandbox = await start();
    expect(() => sandbox.setFaults({ errorRate: 1.5 })).toThrow(RangeError);
    expect(() => sandbox.setFaults({ throttle: -1 })).toThrow(RangeError);
  });
});

describe("applyThenFail", () => {
  it("resolves the session although the client saw a 503, and the retry gets the idempotent answer", async () => {
    const sandbox = await start();
    const { id, gid } = paymentSession(sandbox);
    sandbox.setFaults({ failNext: 1, applyThenFail: true });
    expect((await post(sandbox, { query: RESOLVE, variables: { id: gid } })).status).toBe(503);
    expect(sandbox.sessions.get(gid)?.state).toEqual({ code: "RESOLVED" });
    expect(sandbox.calls.at(-1)).toMatchObject({ httpStatus: 503, outcome: "fault:http-503", executed: true });

    const retry = await gql(sandbox, { query: RESOLVE, variables: { id: gid } });
    expect(retry.body.data?.paymentSessionResolve).toMatchObject({
      paymentSession: { state: { code: "RESOLVED" }, nextAction: { context: { redirectUrl: `${CHECKOUT}/checkouts/${id}/thank_you` } } },
      userErrors: [],
    });
    expect(sandbox.sessions.get(gid)?.history).toHaveLength(1);
  });

  it("rejects a refund although the connection was reset", async () => {
    const sandbox = await start();
    const gid = "gid://shopify/RefundSession/r-lost";
    sandbox.registerSession({ gid, shop: SHOP, kind: "refund" });
    sandbox.setFaults({ resetRate: 1, applyThenFail: true });
    await expect(post(sandbox, { query: followUpMutation("refund", "Reject"), variables: { id: gid, reason: { code: "PROCESSING_ERROR" } } })).rejects.toThrow();
    expect(sandbox.sessions.get(gid)?.state).toMatchObject({ code: "REJECTED" });
    expect(sandbox.calls.at(-1)).toMatchObject({ outcome: "fault:reset", executed: true });
  });
});

describe("stop()", () => {
  it("closes connections left hanging by a timeout fault", async () => {
    const sandbox = await startPaymentsAppsSandbox();
    sandbox.registerShop(SHOP, TOKEN);
    sandbox.setFaults({ timeoutRate: 1 });
    const hanging = post(sandbox, { query: VERSIONS });
    const outcome = hanging.then(
      () => "answered",
      () => "closed",
    );
    await expect.poll(() => sandbox.calls.length).toBe(1);
    const started = performance.now();
    await sandbox.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe("closed");
  });

  it("ends pending latency waits", async () => {
    const sandbox = await startPaymentsAppsSandbox();
    sandbox.registerShop(SHOP, TOKEN);
    sandbox.setFaults({ latencyMs: 60_000 });
    const outcome = post(sandbox, { query: VERSIONS }).then(
      () => "answered",
      () => "closed",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sandbox.stop();
    expect(await outcome).toBe("closed");
  });
});
