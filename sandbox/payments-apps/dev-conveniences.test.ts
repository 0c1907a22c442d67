import { afterEach, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "./server";

let sandbox: PaymentsAppsSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const RESOLVE = "mutation($id: ID!, $authorizationExpiresAt: DateTime) { paymentSessionResolve(id: $id, authorizationExpiresAt: $authorizationExpiresAt) { paymentSession { id state { __typename } } userErrors { field message } } }";

async function graphql(url: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/payments_apps/api/2026-04/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "token-a" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: { paymentSessionResolve: { paymentSession: { state: { __typename: string } } | null; userErrors: unknown[] } } } };
}

describe("autoRegisterSessions (development)", () => {
  it("registers an unknown gid on its first mutation, as if Shopify had opened it", async () => {
    sandbox = await startPaymentsAppsSandbox({ autoRegisterSessions: true });
    sandbox.registerShop("a.myshopify.com", "token-a");
    const result = await graphql(sandbox.url, RESOLVE, { id: "gid://shopify/PaymentSession/new-1", authorizationExpiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(result.body.data?.paymentSessionResolve.paymentSession?.state.__typename).toBe("PaymentSessionStateResolved");
    expect(sandbox.sessions.get("gid://shopify/PaymentSession/new-1")).toMatchObject({ kind: "payment", paymentKind: "authorization", shop: "a.myshopify.com" });
  });

  it("is off by default: an unknown gid is not found", async () => {
    sandbox = await startPaymentsAppsSandbox();
    sandbox.registerShop("a.myshopify.com", "token-a");
    const result = await graphql(sandbox.url, RESOLVE, { id: "gid://shopify/PaymentSession/new-2" });
    expect(result.body.data?.paymentSessionResolve.paymentSession).toBeNull();
    expect(result.body.data?.paymentSessionResolve.userErrors).toHaveLength(1);
  });
});

describe("controlRoutes (development)", () => {
  it("sets and clears faults over HTTP and lists the calls", async () => {
    sandbox = await startPaymentsAppsSandbox({ autoRegisterSessions: true, controlRoutes: true });
    sandbox.registerShop("a.myshopify.com", "token-a");

    expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ errorRate: 1 }) })).status).toBe(200);
    expect((await graphql(sandbox.url, RESOLVE, { id: "gid://shopify/PaymentSession/f-1" })).status).toBe(503);
    expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" })).status).toBe(200);
    expect((await graphql(sandbox.url, RESOLVE, { id: "gid://shopify/PaymentSession/f-1" })).status).toBe(200);

    const calls = (await (await fetch(`${sandbox.url}/_sandbox/calls`)).json()) as { calls: { outcome: string }[] };
    expect(calls.calls.map((call) => call.outcome)).toEqual(["fault:http-503", "ok"]);
    expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ errorRate: 7 }) })).status).toBe(400);
  });

  it("is off by default", async () => {
    sandbox = await startPaymentsAppsSandbox();
    expect((await fetch(`${sandbox.url}/_sandbox/calls`)).status).toBe(404);
  });
});
