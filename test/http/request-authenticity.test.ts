import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, startAppExpectingFailure, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createLocalPki, type LocalPki } from "../../sandbox/pki";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { postOverTls } from "../support/https-client";
import { paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";

let database: TestDatabase;
let pki: LocalPki;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  pki = await createLocalPki();
});

afterAll(async () => {
  await database?.drop();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

const countPayments = () => database.db.paymentSession.count();

describe("SHOPIFY_REQUEST_AUTH=mtls", () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp({
      DATABASE_URL: database.url,
      SHOPIFY_REQUEST_AUTH: "mtls",
      MTLS_CA_FILE: pki.files.ca,
      TLS_CERT_FILE: pki.files.serverCert,
      TLS_KEY_FILE: pki.files.serverKey,
    });
  });
  afterAll(() => app?.stop());

  it("serves a request whose client certificate chains to the configured CA", async () => {
    const response = await postOverTls(`${app.mtlsUrl}/sessions/payment`, paymentBody(), shopifyHeaders(), pki.serverCa, pki.shopify);
    expect(response.status).toBe(201);
    expect(response.json.redirect_url?.startsWith(`${TEST_APP_URL}/pay/`)).toBe(true);
  });

  it.each([
    ["no client certificate", undefined, "no client certificate"],
    ["a certificate from another CA", () => pki.stranger, "refused"],
    ["an expired certificate", () => pki.expired, "CERT_HAS_EXPIRED"],
  ])("refuses a request with %s with 401 and stores nothing", async (_name, identity, reason) => {
    const before = await countPayments();
    const response = await postOverTls(`${app.mtlsUrl}/sessions/payment`, paymentBody(), shopifyHeaders(), pki.serverCa, identity?.());
    expect(response.status).toBe(401);
    expect(response.json.error?.problems[0]).toEqual({ field: "client_certificate", message: expect.stringContaining(reason) });
    expect(await countPayments()).toBe(before);
  });

  it("refuses session requests on the plain listener", async () => {
    const before = await countPayments();
    const response = await post(app.url, "/sessions/refund", paymentBody());
    expect(response.status).toBe(401);
    expect(response.json.error.problems[0].message).toContain("MTLS_PORT");
    expect(await countPayments()).toBe(before);
  });

  it("serves nothing but session endpoints on the mTLS listener", async () => {
    const response = await postOverTls(`${app.mtlsUrl}/healthz`, {}, shopifyHeaders(), pki.serverCa, pki.shopify);
    expect(response.status).toBe(404);
  });
});

describe("SHOPIFY_REQUEST_AUTH=proxy", () => {
  const secret = "proxy-secret-0123456789abcdef-0123456789";
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp({ DATABASE_URL: database.url, SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: secret });
  });
  afterAll(() => app?.stop());

  it("serves a request the proxy vouches for", async () => {
    const headers = shopifyHeaders(SHOP, { "X-Payments-Proxy-Secret": secret, "X-Client-Cert-Verified": "SUCCESS" });
    expect((await post(app.url, "/sessions/payment", paymentBody(), headers)).status).toBe(201);
  });

  it.each([
    ["a wrong proxy secret", { "X-Payments-Proxy-Secret": "guess", "X-Client-Cert-Verified": "SUCCESS" }],
    ["no proxy secret", { "X-Client-Cert-Verified": "SUCCESS" }],
    ["a failed verification", { "X-Payments-Proxy-Secret": secret, "X-Client-Cert-Verified": "FAILED:certificate has expired" }],
    ["no verification result", { "X-Payments-Proxy-Secret": secret }],
  ])("refuses %s with 401", async (_name, extra) => {
    const before = await countPayments();
    const response = await post(app.url, "/sessions/payment", paymentBody(), shopifyHeaders(SHOP, extra));
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe("NOT_SHOPIFY");
    expect(await countPayments()).toBe(before);
  });
});

describe("SHOPIFY_REQUEST_AUTH=none", () => {
  it("is refused at start when NODE_ENV=production, with a message naming the variable", async () => {
    const result = await startAppExpectingFailure({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      SHOPIFY_APP_URL: TEST_APP_URL,
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_REQUEST_AUTH: "none",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SHOPIFY_REQUEST_AUTH");
    expect(result.stderr).toContain("NODE_ENV=production");
  });

  it("serves session requests in development and logs a warning for each", async () => {
    const app = await startApp({ DATABASE_URL: database.url, NODE_ENV: "development", SHOPIFY_REQUEST_AUTH: "none" });
    try {
      const headers = shopifyHeaders();
      expect((await post(app.url, "/sessions/payment", paymentBody(), headers)).status).toBe(201);
      await expect.poll(() => app.logs.filter((l) => l.level === "warn" && l.path === "/sessions/payment").length).toBe(1);
    } finally {
      await app.stop();
    }
  });
});

describe("start-up configuration", () => {
  it("refuses to start without the API secret and says which variable to set", async () => {
    const result = await startAppExpectingFailure({ DATABASE_URL: database.url, SHOPIFY_APP_URL: TEST_APP_URL, SHOPIFY_API_KEY: "key", SHOPIFY_REQUEST_AUTH: "none" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SHOPIFY_API_SECRET");
  });
});
