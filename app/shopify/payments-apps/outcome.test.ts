import { describe, expect, it } from "vitest";
import {
  classifyGraphqlResponse,
  classifyTransportError,
  parseRetryAfter,
  readQueryCost,
  throttleWaitMs,
  type GraphqlHttpResponse,
  type QueryCost,
} from "./outcome";
import { paymentSessionPayloadSchema } from "./payloads";

// The rules behind client.server.ts, without a server: the combinations that are
// awkward to stage over HTTP. client.test.ts covers each case end to end.

const shape = { field: "paymentSessionResolve", payloadSchema: paymentSessionPayloadSchema };

function classify(response: Partial<GraphqlHttpResponse>) {
  return classifyGraphqlResponse({ status: 200, retryAfter: null, body: null, ...response }, shape);
}

function cost(requested: number, available: number, restoreRate: number): QueryCost {
  return {
    requestedQueryCost: requested,
    actualQueryCost: null,
    throttleStatus: { maximumAvailable: 1000, currentlyAvailable: available, restoreRate },
  };
}

const error = (code: string, message = code) => ({ message, extensions: { code } });

describe("throttleWaitMs", () => {
  it("is the time for the bucket to refill to the requested cost", () => {
    expect(throttleWaitMs(cost(1000, 0, 50))).toBe(20_000);
  });

  it("rounds a fraction of a millisecond up", () => {
    expect(throttleWaitMs(cost(1001, 0, 3))).toBe(333_667);
  });

  it("is never less than a second, even when the bucket already holds enough", () => {
    expect(throttleWaitMs(cost(10, 900, 50))).toBe(1000);
  });

  it("is unknown without a cost or with a restore rate of zero", () => {
    expect(throttleWaitMs(null)).toBeNull();
    expect(throttleWaitMs(cost(10, 0, 0))).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  it("reads whole and decimal seconds", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(" 1.5 ")).toBe(1500);
  });

  it("reads an HTTP date as the time left until it", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(parseRetryAfter("Fri, 01 May 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 01 May 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("is unknown when absent or unreadable", () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter("-5")).toBeNull();
  });
});

describe("readQueryCost", () => {
  it("is null rather than a failure when extensions.cost is missing or malformed", () => {
    expect(readQueryCost(undefined)).toBeNull();
    expect(readQueryCost({ cost: { requestedQueryCost: "ten" } })).toBeNull();
  });

  it("reads a cost without actualQueryCost as null", () => {
    const { actualQueryCost: _, ...throttled } = cost(10, 0, 50);
    expect(readQueryCost({ cost: throttled })).toEqual(cost(10, 0, 50));
  });
});

describe("classifyGraphqlResponse", () => {
  it("puts ACCESS_DENIED before a transient error in the same response", () => {
    expect(classify({ body: { errors: [error("THROTTLED"), error("ACCESS_DENIED")] } })).toMatchObject({
      kind: "auth-failure",
      status: 200,
    });
  });

  it("puts a definitive error before a transient one: retrying would meet it again", () => {
    expect(classify({ body: { errors: [error("THROTTLED"), error("undefinedField", "Field 'x' doesn't exist")] } })).toEqual({
      kind: "failed",
      status: 200,
      reason: "Shopify refused the operation (GraphQL THROTTLED, undefinedField): THROTTLED; Field 'x' doesn't exist",
    });
  });

  it("reports an inactive shop as failed", () => {
    expect(classify({ body: { errors: [error("SHOP_INACTIVE")] } })).toMatchObject({ kind: "failed", reason: expect.stringMatching(/^the shop is inactive/) });
  });

  it("reports MAX_COST_EXCEEDED as failed: the document itself costs too much", () => {
    expect(classify({ body: { errors: [error("MAX_COST_EXCEEDED")] } })).toMatchObject({
      kind: "failed",
      reason: expect.stringContaining("MAX_COST_EXCEEDED"),
    });
  });

  it("gives THROTTLED no wait when the response has no cost", () => {
    expect(classify({ body: { errors: [error("THROTTLED")] } })).toMatchObject({ kind: "retryable", retryAfterMs: null, cost: null });
  });

  it("falls back to the throttle bucket for an HTTP 429 without Retry-After", () => {
    expect(classify({ status: 429, body: { extensions: { cost: cost(100, 0, 50) } } })).toMatchObject({
      kind: "retryable",
      retryAfterMs: 2000,
    });
  });

  it("reads an empty errors list as no errors", () => {
    expect(
      classify({ body: { errors: [], data: { paymentSessionResolve: { paymentSession: null, userErrors: [] } } } }),
    ).toEqual({ kind: "success", payload: { paymentSession: null, userErrors: [] }, cost: null });
  });

  it("fails a 200 without the mutation's field in data", () => {
    expect(classify({ body: { data: null } })).toMatchObject({
      kind: "failed",
      reason: expect.stringContaining("does not match the paymentSessionResolve payload"),
    });
  });

  it("fails a rejected state with a reason the API version does not have", () => {
    const paymentSession = {
      id: "gid://shopify/PaymentSession/1",
      state: { __typename: "PaymentSessionStateRejected", code: "REJECTED", reason: "NOT_A_REASON", merchantMessage: null },
      nextAction: null,
      authorizationExpiresAt: null,
      pendingExpiresAt: null,
    };
    expect(classify({ body: { data: { paymentSessionResolve: { paymentSession, userErrors: [] } } } })).toMatchObject({
      kind: "failed",
      reason: expect.stringContaining("paymentSessionResolve.paymentSession.state.reason"),
    });
  });

  it("treats an HTTP 408 like a 5xx", () => {
    expect(classify({ status: 408, body: null })).toMatchObject({ kind: "retryable", status: 408 });
  });

  it("cuts Shopify's text short in a reason", () => {
    const outcome = classify({ status: 400, body: { errors: "x".repeat(5000) } });
    expect(outcome.kind).toBe("failed");
    expect((outcome as { reason: string }).reason.length).toBeLessThan(500);
  });
});

describe("classifyTransportError", () => {
  it("names a timeout with its length", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyTransportError(timeout, 10_000)).toEqual({
      kind: "retryable",
      status: null,
      retryAfterMs: null,
      cost: null,
      reason: "no answer from Shopify within 10000 ms",
    });
  });

  it("names the system error behind fetch's generic message", () => {
    const cause = Object.assign(new Error("getaddrinfo ENOTFOUND gone.myshopify.com"), { code: "ENOTFOUND" });
    expect(classifyTransportError(new TypeError("fetch failed", { cause }), 10_000)).toMatchObject({
      kind: "retryable",
      reason: "could not reach Shopify: ENOTFOUND (getaddrinfo ENOTFOUND gone.myshopify.com)",
    });
  });
});
