import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPaymentsAppsClient, PaymentsAppsClientConfigError, type PaymentsAppsClient } from "./client.server";
import type { MutationOutcome } from "./outcome";

// A real HTTP server on a free local port stands in for Shopify; every test sets how
// it answers. Nothing reaches the internet and fetch is not mocked.

const TOKEN = "shpat_test_0123456789abcdef";
const SHOP = "test-shop.myshopify.com";
const PAYMENT_GID = "gid://shopify/PaymentSession/u0nwmSrNntjIWozmNslK5Tlq";

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: { query: string; variables: Record<string, unknown>; operationName?: string };
}

type Answer = (res: ServerResponse, req: IncomingMessage, received: Received) => void;

let server: Server;
let origin: string;
let answer: Answer;
let received: Received[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: Received = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        // A followed redirect would arrive as a GET without a body.
        body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") as Received["body"],
      };
      received.push(request);
      answer(res, req, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // The "never answers" case leaves a request open on purpose.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return (res) => {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
}

function client(timeoutMs?: number): PaymentsAppsClient {
  return createPaymentsAppsClient({ shop: SHOP, accessToken: TOKEN, apiVersion: "2026-04", origin, timeoutMs });
}

/** Every outcome any test sees passes through here: the token must never be in it. */
function expectNoToken<P>(outcome: MutationOutcome<P>): MutationOutcome<P> {
  expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  return outcome;
}

async function resolvePayment(timeoutMs?: number) {
  return expectNoToken(await client(timeoutMs).paymentSessionResolve({ id: PAYMENT_GID }));
}

const COST = {
  requestedQueryCost: 10,
  actualQueryCost: 10,
  throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 990, restoreRate: 50 },
};

const RESOLVED_PAYMENT = {
  id: PAYMENT_GID,
  state: { __typename: "PaymentSessionStateResolved", code: "RESOLVED" },
  nextAction: {
    action: "REDIRECT",
    context: { redirectUrl: "https://test-shop.myshopify.com/checkouts/c/4c94d6f5/thank_you" },
  },
  authorizationExpiresAt: "2026-05-08T12:00:00Z",
  pendingExpiresAt: null,
};

describe("the request", () => {
  it("goes to /payments_apps/api/{version}/graphql.json with the token header, the document and the variables", async () => {
    answer = json(200, { data: { paymentSessionResolve: { paymentSession: RESOLVED_PAYMENT, userErrors: [] } } });
    expectNoToken(await client().paymentSessionResolve({ id: PAYMENT_GID, authorizationExpiresAt: "2026-05-08T12:00:00Z" }));

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/payments_apps/api/2026-04/graphql.json");
    expect(request?.headers["x-shopify-access-token"]).toBe(TOKEN);
    expect(request?.headers["content-type"]).toMatch(/^application\/json/);
    expect(request?.body.operationName).toBe("PaymentSessionResolve");
    expect(request?.body.query).toContain("paymentSessionResolve(id: $id, authorizationExpiresAt: $authorizationExpiresAt, authentication: $authentication)");
    expect(request?.body.variables).toEqual({ id: PAYMENT_GID, authorizationExpiresAt: "2026-05-08T12:00:00Z" });
  });

  it("goes to the shop's own host when no sandbox origin is given", () => {
    const shopClient = createPaymentsAppsClient({ shop: SHOP, accessToken: TOKEN, apiVersion: "2026-04" });
    expect(shopClient.endpoint).toBe("https://test-shop.myshopify.com/payments_apps/api/2026-04/graphql.json");
  });

  // Each method must run its own document and read its own root field.
  it.each([
    ["paymentSessionReject", "PaymentSessionReject", { id: PAYMENT_GID, reason: { code: "INSUFFICIENT_FUNDS", merchantMessage: "Declined" } }, {
      paymentSession: {
        ...RESOLVED_PAYMENT,
        state: { __typename: "PaymentSessionStateRejected", code: "REJECTED", reason: "INSUFFICIENT_FUNDS", merchantMessage: "Declined" },
      },
      userErrors: [],
    }],
    ["paymentSessionPending", "PaymentSessionPending", { id: PAYMENT_GID, pendingExpiresAt: "2026-05-02T00:00:00Z", reason: "BUYER_ACTION_REQUIRED" }, {
      paymentSession: {
        ...RESOLVED_PAYMENT,
        state: { __typename: "PaymentSessionStatePending", code: "PENDING", pendingReason: "BUYER_ACTION_REQUIRED" },
        pendingExpiresAt: "2026-05-02T00:00:00Z",
      },
      userErrors: [],
    }],
    ["paymentSessionRedirect", "PaymentSessionRedirect", { id: PAYMENT_GID, redirectUrl: "https://app.example.com/3ds/1" }, {
      paymentSession: { ...RESOLVED_PAYMENT, state: { __typename: "PaymentSessionStateRedirecting", code: "REDIRECTING" }, nextAction: null },
      userErrors: [],
    }],
    ["paymentSessionConfirm", "PaymentSessionConfirm", { id: PAYMENT_GID }, {
      paymentSession: { ...RESOLVED_PAYMENT, state: { __typename: "PaymentSessionStateConfirming", code: "CONFIRMING" } },
      userErrors: [],
    }],
    ["refundSessionResolve", "RefundSessionResolve", { id: "gid://shopify/RefundSession/1" }, {
      refundSession: { id: "gid://shopify/RefundSession/1", state: { __typename: "RefundSessionStateResolved", code: "RESOLVED" } },
      userErrors: [],
    }],
    ["refundSessionReject", "RefundSessionReject", { id: "gid://shopify/RefundSession/1", reason: { code: "PROCESSING_ERROR" } }, {
      refundSession: {
        id: "gid://shopify/RefundSession/1",
        state: { __typename: "RefundSessionStateRejected", code: "REJECTED", reason: "PROCESSING_ERROR", merchantMessage: null },
      },
      userErrors: [],
    }],
    ["captureSessionResolve", "CaptureSessionResolve", { id: "gid://shopify/CaptureSession/1" }, {
      captureSession: { id: "gid://shopify/CaptureSession/1", state: { __typename: "CaptureSessionStateResolved", code: "RESOLVED" } },
      userErrors: [],
    }],
    ["captureSessionReject", "CaptureSessionReject", { id: "gid://shopify/CaptureSession/1", reason: { code: "AUTHORIZATION_EXPIRED" } }, {
      captureSession: {
        id: "gid://shopify/CaptureSession/1",
        state: { __typename: "CaptureSessionStateRejected", code: "REJECTED", reason: "AUTHORIZATION_EXPIRED", merchantMessage: null },
      },
      userErrors: [],
    }],
    ["voidSessionResolve", "VoidSessionResolve", { id: "gid://shopify/VoidSession/1" }, {
      voidSession: { id: "gid://shopify/VoidSession/1", state: { __typename: "VoidSessionStateResolved", code: "RESOLVED" } },
      userErrors: [],
    }],
    ["voidSessionReject", "VoidSessionReject", { id: "gid://shopify/VoidSession/1", reason: { code: "PROCESSING_ERROR" } }, {
      voidSession: {
        id: "gid://shopify/VoidSession/1",
        state: { __typename: "VoidSessionStateRejected", code: "REJECTED", reason: "PROCESSING_ERROR", merchantMessage: null },
      },
      userErrors: [],
    }],
    ["paymentsAppConfigure", "PaymentsAppConfigure", { externalHandle: "merchant-42", ready: true }, {
      paymentsAppConfiguration: { externalHandle: "merchant-42", ready: true },
      userErrors: [],
    }],
  ] as const)("%s runs %s with its variables and returns its payload", async (method, operationName, variables, payload) => {
    const field = method;
    answer = json(200, { data: { [field]: payload }, extensions: { cost: COST } });
    // The table pairs each method with its own variables; the call is checked by the compiler per row.
    const call = client()[method] as (variables: object) => Promise<MutationOutcome<unknown>>;
    const outcome = expectNoToken(await call(variables));

    expect(received[0]?.body.operationName).toBe(operationName);
    expect(received[0]?.body.variables).toEqual(variables);
    expect(outcome).toEqual({ kind: "success", payload, cost: COST });
  });
});

describe("a definitive answer", () => {
  it("is a success with the payload and the query cost when userErrors is empty", async () => {
    answer = json(200, {
      data: { paymentSessionResolve: { paymentSession: RESOLVED_PAYMENT, userErrors: [] } },
      extensions: { cost: COST },
    });
    expect(await resolvePayment()).toEqual({
      kind: "success",
      payload: { paymentSession: RESOLVED_PAYMENT, userErrors: [] },
      cost: COST,
    });
  });

  it("is user-errors with Shopify's codes when the payload has userErrors", async () => {
    const userErrors = [{ field: ["id"], message: "Capture session has already been rejected.", code: "CAPTURE_SESSION_INVALID_STATE" }];
    answer = json(200, { data: { captureSessionResolve: { captureSession: null, userErrors } } });
    const outcome = expectNoToken(await client().captureSessionResolve({ id: "gid://shopify/CaptureSession/1" }));
    expect(outcome).toEqual({ kind: "user-errors", userErrors, payload: { captureSession: null, userErrors } });
  });

  it("is user-errors with a null code for the generic UserError, which has none", async () => {
    const userErrors = [{ field: ["id"], message: "Payment session has already been resolved." }];
    answer = json(200, { data: { paymentSessionReject: { paymentSession: null, userErrors } } });
    const outcome = expectNoToken(
      await client().paymentSessionReject({ id: PAYMENT_GID, reason: { code: "PROCESSING_ERROR" } }),
    );
    expect(outcome).toMatchObject({ kind: "user-errors", userErrors: [{ field: ["id"], message: userErrors[0]?.message, code: null }] });
  });
});

describe("a transient failure is retryable", () => {
  it.each([500, 502, 503])("HTTP %i", async (status) => {
    answer = (res) => {
      res.writeHead(status, { "Content-Type": "text/html" });
      res.end("<html><body>Something went wrong</body></html>");
    };
    expect(await resolvePayment()).toEqual({
      kind: "retryable",
      status,
      reason: `Shopify could not answer (HTTP ${status})`,
      retryAfterMs: null,
      cost: null,
    });
  });

  it("HTTP 503 with Retry-After waits as Shopify asks", async () => {
    answer = json(503, { errors: "Service unavailable" }, { "Retry-After": "30" });
    expect(await resolvePayment()).toMatchObject({ kind: "retryable", status: 503, retryAfterMs: 30_000 });
  });

  it.each([
    ["2", 2000],
    ["2.0", 2000],
  ])("HTTP 429 with Retry-After: %s waits %i ms", async (retryAfter, wait) => {
    answer = json(429, { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }, { "Retry-After": retryAfter });
    expect(await resolvePayment()).toEqual({
      kind: "retryable",
      status: 429,
      reason: "Shopify rate-limited the request (HTTP 429)",
      retryAfterMs: wait,
      cost: null,
    });
  });

  it("GraphQL THROTTLED in a 200 waits until the bucket holds the requested cost again", async () => {
    const cost = {
      requestedQueryCost: 500,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 },
    };
    answer = json(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost } });
    // (500 − 100) points ÷ 50 points/s = 8 s.
    expect(await resolvePayment()).toEqual({
      kind: "retryable",
      status: 200,
      reason: "Shopify throttled the request (GraphQL THROTTLED): the shop's query-cost bucket is empty",
      retryAfterMs: 8000,
      cost,
    });
  });

  it("GraphQL THROTTLED waits at least a second, even when the bucket is nearly full", async () => {
    const cost = {
      requestedQueryCost: 10,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 5, restoreRate: 50 },
    };
    answer = json(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost } });
    expect(await resolvePayment()).toMatchObject({ kind: "retryable", retryAfterMs: 1000 });
  });

  it("GraphQL INTERNAL_SERVER_ERROR, naming Shopify's request id", async () => {
    answer = json(200, {
      errors: [{ message: "Internal error. Looks like something went wrong on our end.", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-1234" } }],
    });
    expect(await resolvePayment()).toEqual({
      kind: "retryable",
      status: 200,
      reason: "Shopify reported an internal error (GraphQL INTERNAL_SERVER_ERROR, request id req-1234)",
      retryAfterMs: null,
      cost: null,
    });
  });

  it("a server that never answers, after timeoutMs", async () => {
    answer = () => {
      // Never answer.
    };
    const started = Date.now();
    expect(await resolvePayment(200)).toEqual({
      kind: "retryable",
      status: null,
      reason: "no answer from Shopify within 200 ms",
      retryAfterMs: null,
      cost: null,
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a body that stops coming, after timeoutMs", async () => {
    answer = (res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"data": ');
    };
    expect(await resolvePayment(200)).toMatchObject({ kind: "retryable", status: null, reason: "no answer from Shopify within 200 ms" });
  });

  it("a connection reset before any answer", async () => {
    answer = (_res, req) => {
      req.socket.destroy();
    };
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "retryable", status: null, retryAfterMs: null, cost: null });
    expect((outcome as { reason: string }).reason).toMatch(/^could not reach Shopify: UND_ERR_SOCKET/);
  });

  it("a refused connection", async () => {
    // A port that was just free: nothing listens there any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const refused = createPaymentsAppsClient({ shop: SHOP, accessToken: TOKEN, apiVersion: "2026-04", origin: `http://127.0.0.1:${port}` });
    const outcome = expectNoToken(await refused.paymentSessionResolve({ id: PAYMENT_GID }));
    expect(outcome).toMatchObject({ kind: "retryable", status: null });
    expect((outcome as { reason: string }).reason).toMatch(/^could not reach Shopify: ECONNREFUSED/);
  });

  it("a connection reset halfway through the body", async () => {
    answer = (res, req) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "500" });
      res.write('{"data": {"paymentSessionResolve": ', () => req.socket.destroy());
    };
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "retryable", status: null });
    expect((outcome as { reason: string }).reason).toMatch(/^could not reach Shopify: /);
  });

  it("a 200 whose body is not JSON (an intermediary's page): the outcome is unknown, and retrying is safe", async () => {
    answer = (res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html><body>Please wait…</body></html>");
    };
    expect(await resolvePayment()).toEqual({
      kind: "retryable",
      status: 200,
      reason: "Shopify answered HTTP 200 with a body that is not a JSON object",
      retryAfterMs: null,
      cost: null,
    });
  });

  it("a 200 that claims JSON but is cut-off JSON text", async () => {
    answer = (res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"data": {"paymentSessionResolve": ');
    };
    expect(await resolvePayment()).toMatchObject({ kind: "retryable", status: 200 });
  });
});

describe("a refused token is an auth failure", () => {
  it("GraphQL ACCESS_DENIED in a 200", async () => {
    answer = json(200, {
      errors: [{
        message: "Access denied for paymentSessionResolve field. Required access: `write_payment_sessions` access scope.",
        extensions: { code: "ACCESS_DENIED" },
      }],
    });
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "auth-failure", status: 200 });
    expect((outcome as { message: string }).message).toContain("Required access: `write_payment_sessions` access scope.");
  });

  it.each([401, 403])("HTTP %i", async (status) => {
    answer = json(status, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "auth-failure", status });
    expect((outcome as { message: string }).message).toContain(`HTTP ${status}`);
    expect((outcome as { message: string }).message).toContain("Invalid API key or access token");
  });
});

describe("anything else definitive is failed", () => {
  it("HTTP 402: the shop is frozen", async () => {
    answer = json(402, { errors: "Unavailable Shop" });
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "failed", status: 402 });
    expect((outcome as { reason: string }).reason).toMatch(/^the shop is frozen/);
  });

  it("HTTP 423: the shop is locked", async () => {
    answer = json(423, { errors: "Locked" });
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "failed", status: 423 });
    expect((outcome as { reason: string }).reason).toMatch(/^the shop is locked/);
  });

  it("HTTP 404, naming what to check", async () => {
    answer = json(404, { errors: "Not Found" });
    expect(await resolvePayment()).toEqual({
      kind: "failed",
      status: 404,
      reason: "Shopify refused the request (HTTP 404); check the shop domain and the API version (Shopify said: Not Found)",
    });
  });

  it("HTTP 400 with Shopify's field errors", async () => {
    answer = json(400, { errors: { query: "Required parameter missing or invalid" } });
    expect(await resolvePayment()).toEqual({
      kind: "failed",
      status: 400,
      reason: "Shopify refused the request (HTTP 400); the request itself is malformed (Shopify said: query: Required parameter missing or invalid)",
    });
  });

  it("a redirect, which is not followed so that the token stays on the shop's host", async () => {
    answer = (res, _req, request) => {
      if (request.url?.startsWith("/elsewhere")) return json(200, { data: {} })(res, _req, request);
      res.writeHead(301, { Location: `${origin}/elsewhere` });
      res.end();
    };
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "failed", status: 301 });
    expect(received.map((request) => request.url)).toEqual(["/payments_apps/api/2026-04/graphql.json"]);
  });

  it("JSON of the wrong shape: a contract mismatch that retrying would meet again", async () => {
    answer = json(200, { data: { paymentSessionResolve: { paymentSession: { id: PAYMENT_GID }, userErrors: [] } } });
    const outcome = await resolvePayment();
    expect(outcome).toMatchObject({ kind: "failed", status: 200 });
    expect((outcome as { reason: string }).reason).toMatch(
      /^Shopify's answer does not match the paymentSessionResolve payload this app expects \(paymentSessionResolve\.paymentSession\.state: /,
    );
  });

  it("a GraphQL validation error, as when the pinned version lacks a selected field", async () => {
    answer = json(200, {
      errors: [{ message: "Field 'pendingExpiresAt' doesn't exist on type 'PaymentSession'", extensions: { code: "undefinedField" } }],
    });
    expect(await resolvePayment()).toEqual({
      kind: "failed",
      status: 200,
      reason: "Shopify refused the operation (GraphQL undefinedField): Field 'pendingExpiresAt' doesn't exist on type 'PaymentSession'",
    });
  });
});

describe("the access token", () => {
  it("is redacted from every reason and message, even when a server echoes it back", async () => {
    const echo = `token ${TOKEN} is not valid for this shop`;
    const cases: Answer[] = [
      json(401, { errors: echo }),
      json(404, { errors: echo }),
      json(200, { errors: [{ message: echo, extensions: { code: "ACCESS_DENIED" } }] }),
      json(200, { errors: [{ message: echo }] }),
      json(200, { data: { paymentSessionResolve: { paymentSession: null, userErrors: [{ field: null, message: echo }] } } }),
    ];
    for (const respond of cases) {
      answer = respond;
      const outcome = await resolvePayment();
      expect(JSON.stringify(outcome)).toContain("[redacted]");
    }
  });
});

describe("a client that cannot work is a programming error", () => {
  it.each([
    ["a shop that is not a *.myshopify.com domain", { shop: "evil.example.com/x?" }, 'shop "evil.example.com/x?" is not a shop\'s *.myshopify.com domain'],
    ["an empty access token", { accessToken: "" }, "accessToken must be the shop's non-empty access token (printable characters, no spaces)"],
    ["a token that no HTTP header can carry", { accessToken: "shpat_a\nb" }, "accessToken must be the shop's non-empty access token (printable characters, no spaces)"],
    ["an API version that is not YYYY-MM", { apiVersion: "latest" }, 'apiVersion "latest" is not a version like "2026-04" or "unstable"'],
    ["an origin with a path", { origin: "http://127.0.0.1:4000/api" }, 'origin "http://127.0.0.1:4000/api" must be a bare http(s) origin such as "http://127.0.0.1:4000"'],
    ["a timeout of zero", { timeoutMs: 0 }, "timeoutMs must be a positive whole number of milliseconds, got 0"],
  ])("refuses %s", (_, override, message) => {
    const create = () =>
      createPaymentsAppsClient({ shop: SHOP, accessToken: TOKEN, apiVersion: "2026-04", ...override });
    expect(create).toThrow(PaymentsAppsClientConfigError);
    expect(create).toThrow(message);
  });
});
