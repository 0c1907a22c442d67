import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalPki, type LocalPki } from "../../sandbox/pki";
import { startApp, startAppExpectingFailure, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * The buyer pages' rate limit behind a load balancer: the client is the address
 * the trusted proxies appended to X-Forwarded-For (TRUSTED_PROXY_HOPS), and each
 * genuine payment link has its own bucket per client. Every request here comes
 * from the same socket (this test process), as every buyer's does behind a
 * balancer. Buckets of 3 that refill one token in 1,000 s, so no token comes
 * back during the file however slowly the machine runs.
 */
const BURST = 3;
let database: TestDatabase;
const apps: AppProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  await database?.drop();
});

async function startBehindOneBalancer(env: Record<string, string>): Promise<AppProcess> {
  const app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false", RATE_LIMIT_BUYER_BURST: String(BURST), RATE_LIMIT_BUYER_PER_SECOND: "0.001", ...env });
  apps.push(app);
  return app;
}

/** A genuine buyer link's path, /pay/{token}. */
async function newPaymentLink(app: AppProcess): Promise<string> {
  const created = await post(app.url, "/sessions/payment", paymentBody());
  expect(created.status).toBe(201);
  return String(created.json.redirect_url).slice(TEST_APP_URL.length);
}

/** The status of a buyer page fetched through the balancer, which appended `forwardedFor`'s last entry. */
async function statusOf(app: AppProcess, path: string, forwardedFor: string): Promise<number> {
  const response = await fetch(`${app.url}${path}`, { headers: { "X-Forwarded-For": forwardedFor } });
  await response.arrayBuffer();
  return response.status;
}

async function drain(app: AppProcess, path: string, forwardedFor: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i <= BURST; i++) statuses.push(await statusOf(app, path, forwardedFor));
  return statuses;
}

describe("buyer page limits behind one load balancer (TRUSTED_PROXY_HOPS=1)", () => {
  let app: AppProcess;
  let link: string;

  beforeAll(async () => {
    app = await startBehindOneBalancer({ TRUSTED_PROXY_HOPS: "1" });
    link = await newPaymentLink(app);
  });

  it("gives two buyers behind the balancer separate buckets", async () => {
    expect(await drain(app, link, "198.51.100.1")).toEqual([200, 200, 200, 429]);
    expect(await statusOf(app, link, "198.51.100.2")).toBe(200);
  });

  it("never reads a spoofed left-most entry: it can neither pick a buyer's bucket nor escape its own", async () => {
    const victim = "198.51.100.3";
    // The client wrote the left entry; the balancer appended the address it saw.
    expect(await drain(app, link, `${victim}, 203.0.113.9`)).toEqual([200, 200, 200, 429]);
    expect(await statusOf(app, link, victim)).toBe(200);
    // Naming a drained buyer does not get the attacker that buyer's (empty) bucket, nor a fresh one.
    expect(await statusOf(app, link, "198.51.100.1, 203.0.113.10")).toBe(200);
    expect(await statusOf(app, link, "198.51.100.99, 203.0.113.9")).toBe(429);
  });

  it("gives each genuine link its own bucket, so buyers sharing an address (a NAT) do not lock each other out", async () => {
    const sharedAddress = "198.51.100.4";
    expect(await drain(app, link, sharedAddress)).toEqual([200, 200, 200, 429]);
    expect(await statusOf(app, await newPaymentLink(app), sharedAddress)).toBe(200);
  });

  it("counts an IPv6 client by its /64: a fresh address of the same network gets no fresh bucket", async () => {
    expect(await drain(app, link, "2001:db8:aa:1::1")).toEqual([200, 200, 200, 429]);
    // Every subscriber holds a /64; any of its 2^64 addresses is the same client.
    expect(await statusOf(app, link, "2001:db8:aa:1::2")).toBe(429);
    expect(await statusOf(app, link, "[2001:db8:aa:1:ffff:ffff:ffff:ffff]:443")).toBe(429);
    expect(await statusOf(app, link, "2001:db8:aa:2::1")).toBe(200);
  });

  it("keeps junk links apart: a flood of made-up links does not drain a genuine link's bucket", async () => {
    const client = "198.51.100.5";
    expect(await drain(app, "/pay/not-a-real-token", client)).toEqual([404, 404, 404, 429]);
    expect(await statusOf(app, `${link.slice(0, -2)}xx`, client)).toBe(429);
    expect(await statusOf(app, link, client)).toBe(200);
  });
});

describe("buyer page limits in proxy mode (the TLS proxy is the trusted hop unless TRUSTED_PROXY_HOPS says otherwise)", () => {
  it("gives two buyers behind the proxy separate buckets", async () => {
    const app = await startBehindOneBalancer({ SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: "p".repeat(32) });
    const path = "/pay/not-a-real-token";
    expect(await drain(app, path, "6.6.6.6, 198.51.100.1")).toEqual([404, 404, 404, 429]);
    expect(await statusOf(app, path, "198.51.100.2")).toBe(404);
  });
});

describe("buyer page limits in mtls mode (Shopify's requests on their own listener; buyers behind a load balancer on the plain one)", () => {
  let pki: LocalPki;
  beforeAll(async () => {
    pki = await createLocalPki();
  });
  afterAll(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });
  const mtls = () => ({ SHOPIFY_REQUEST_AUTH: "mtls", MTLS_CA_FILE: pki.files.ca, TLS_CERT_FILE: pki.files.serverCert, TLS_KEY_FILE: pki.files.serverKey });

  it("without TRUSTED_PROXY_HOPS, the socket's address: a forged X-Forwarded-For picks no bucket", async () => {
    const app = await startBehindOneBalancer(mtls());
    const path = "/pay/not-a-real-token";
    expect(await drain(app, path, "198.51.100.1")).toEqual([404, 404, 404, 429]);
    expect(await statusOf(app, path, "198.51.100.2")).toBe(429);
  });

  it("with TRUSTED_PROXY_HOPS=1, the balancer's entry: two buyers, two buckets", async () => {
    const app = await startBehindOneBalancer({ ...mtls(), TRUSTED_PROXY_HOPS: "1" });
    const path = "/pay/not-a-real-token";
    expect(await drain(app, path, "6.6.6.6, 198.51.100.1")).toEqual([404, 404, 404, 429]);
    expect(await statusOf(app, path, "198.51.100.2")).toBe(404);
  });
});

describe("TRUSTED_PROXY_HOPS", () => {
  it("that is not a number of proxies stops the app at start, saying what it counts", async () => {
    const started = await startAppExpectingFailure({
      DATABASE_URL: database.url,
      SHOPIFY_APP_URL: TEST_APP_URL,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_REQUEST_AUTH: "none",
      TRUSTED_PROXY_HOPS: "all",
    });
    expect(started.code).toBe(1);
    expect(started.stderr).toContain("TRUSTED_PROXY_HOPS: must be a whole number from 0 to 10");
  });
});
