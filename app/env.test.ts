import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

/** The smallest environment the app starts with (no Shopify request authentication, outside production). */
const MINIMAL = {
  SHOPIFY_APP_URL: "https://payments.example.com",
  SHOPIFY_API_KEY: "client-id",
  SHOPIFY_API_SECRET: "0123456789abcdef",
  SHOPIFY_REQUEST_AUTH: "none",
} as const;

/** The EnvError parseEnv throws for `source`, so that its message can be checked. */
function envErrorFor(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("parseEnv accepted the environment");
}

/** Customer-data keys, required in production (decision 0006). */
const PII_KEYS = {
  PII_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}`,
  PII_LOOKUP_KEY: Buffer.alloc(32, 2).toString("base64"),
} as const;

let tlsDir: string;
let certFile: string;
let keyFile: string;

beforeAll(() => {
  tlsDir = mkdtempSync(path.join(tmpdir(), "env-test-"));
  certFile = path.join(tlsDir, "cert.pem");
  keyFile = path.join(tlsDir, "key.pem");
  writeFileSync(certFile, "not checked beyond existing\n");
  writeFileSync(keyFile, "not checked beyond existing\n");
});

afterAll(() => {
  rmSync(tlsDir, { recursive: true, force: true });
});

describe("parseEnv", () => {
  it("fills in defaults for a minimal environment", () => {
    expect(parseEnv({ ...MINIMAL })).toEqual({
      NODE_ENV: "development",
      PORT: 3000,
      LOG_LEVEL: "info",
      DATABASE_URL: "file:./data/app.sqlite",
      SHOPIFY_APP_URL: "https://payments.example.com",
      SHOPIFY_API_KEY: "client-id",
      SHOPIFY_API_SECRET: "0123456789abcdef",
      SCOPES: "write_payment_gateways,write_payment_sessions",
      SHOPIFY_REQUEST_AUTH: "none",
      MTLS_PORT: 3443,
      MTLS_CA_FILE: "app/shopify/certs/shopify-payments-platform-ca.pem",
      PAYMENT_LINK_TTL_HOURS: 72,
      PAYMENTS_APPS_API_VERSION: "2026-04",
      PAYMENTS_APPS_TIMEOUT_MS: 10_000,
      DELIVERY_RETRY_JITTER: 0.2,
      DELIVERY_LEASE_SECONDS: 60,
      WORKER_ENABLED: true,
      WORKER_POLL_MS: 250,
      WORKER_BATCH_SIZE: 500,
      WORKER_CONCURRENCY: 32,
      PROVIDER_TIMEOUT_MS: 15_000,
      PROVIDER_RECHECK_SECONDS: 30,
      AUTHORIZATION_VALIDITY_DAYS: 7,
      PENDING_EXPIRY_HOURS: 72,
      SANDBOX_PENDING_SECONDS: 30,
      UNINSTALLED_DATA_RETENTION_DAYS: 30,
      PRIVACY_MAINTENANCE_INTERVAL_SECONDS: 3600,
      RATE_LIMIT_SESSIONS_BURST: 1000,
      RATE_LIMIT_SESSIONS_PER_SECOND: 50,
      RATE_LIMIT_BUYER_BURST: 300,
      RATE_LIMIT_BUYER_PER_SECOND: 10,
      TRUSTED_PROXY_HOPS: 0,
      METRICS_CACHE_SECONDS: 5,
    });
  });

  it("refuses a metrics token too short to guess at, or with spaces", () => {
    expect(envErrorFor({ ...MINIMAL, METRICS_TOKEN: "short" }).message).toContain("METRICS_TOKEN: must be at least 16 characters");
    expect(envErrorFor({ ...MINIMAL, METRICS_TOKEN: "a token with spaces in it" }).message).toContain("METRICS_TOKEN: must not contain spaces");
  });

  it("refuses a delivery lease shorter than two Payments Apps timeouts", () => {
    expect(envErrorFor({ ...MINIMAL, DELIVERY_LEASE_SECONDS: "5", PAYMENTS_APPS_TIMEOUT_MS: "3000" }).message).toContain("DELIVERY_LEASE_SECONDS: must be at least twice");
  });

  it("refuses a retry schedule that is not a list of seconds, and a pending expiry beyond 3 days", () => {
    expect(envErrorFor({ ...MINIMAL, DELIVERY_RETRY_SCHEDULE: "5s,10s" }).message).toContain("DELIVERY_RETRY_SCHEDULE");
    expect(envErrorFor({ ...MINIMAL, PENDING_EXPIRY_HOURS: "73" }).message).toContain("PENDING_EXPIRY_HOURS");
    expect(parseEnv({ ...MINIMAL, DELIVERY_RETRY_SCHEDULE: "0, 5,10.5" }).DELIVERY_RETRY_SCHEDULE).toBe("0, 5,10.5");
  });

  it("reads numbers from their strings", () => {
    const env = parseEnv({ ...MINIMAL, PORT: "8080", MTLS_PORT: "8443", PAYMENT_LINK_TTL_HOURS: "24" });
    expect(env.PORT).toBe(8080);
    expect(env.MTLS_PORT).toBe(8443);
    expect(env.PAYMENT_LINK_TTL_HOURS).toBe(24);
  });

  it("refuses a missing SHOPIFY_API_SECRET, saying where to find it", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_API_SECRET: undefined });
    expect(error.message).toContain("SHOPIFY_API_SECRET: is required: the app's client secret from the Partner Dashboard");
    expect(error.message).not.toContain("SHOPIFY_API_KEY");
  });

  it("treats an empty variable as unset, so PORT= means the default and not port 0", () => {
    expect(parseEnv({ ...MINIMAL, PORT: "" }).PORT).toBe(3000);
    expect(envErrorFor({ ...MINIMAL, SHOPIFY_API_SECRET: "" }).message).toContain("SHOPIFY_API_SECRET: is required");
  });

  it("refuses a SHOPIFY_API_SECRET shorter than 16 characters, saying what it must be", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_API_SECRET: "0123456789abcde" });
    expect(error.message).toContain(
      "SHOPIFY_API_SECRET: must be the app's client secret (at least 16 characters)",
    );
  });

  it("refuses an empty SHOPIFY_API_KEY, naming it", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_API_KEY: "" });
    expect(error.message).toContain("SHOPIFY_API_KEY: is required");
  });

  it("refuses SHOPIFY_REQUEST_AUTH=none in production, naming SHOPIFY_REQUEST_AUTH", () => {
    const error = envErrorFor({ ...MINIMAL, NODE_ENV: "production" });
    expect(error.message).toContain('SHOPIFY_REQUEST_AUTH: cannot be "none" when NODE_ENV=production');
  });

  it.each(["SHOPIFY_SANDBOX_ORIGIN", "APP_BRIDGE_URL", "STRIPE_API_BASE"])("refuses %s in production: a sandbox is never reachable there", (key) => {
    const error = envErrorFor({ ...MINIMAL, NODE_ENV: "production", SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: "x".repeat(32), [key]: "http://localhost:3002" });
    expect(error.message).toContain(`${key}: cannot be set when NODE_ENV=production`);
  });

  it.each(["PII_ENCRYPTION_KEYS", "PII_LOOKUP_KEY"])("requires %s in production, naming it", (key) => {
    const error = envErrorFor({ ...MINIMAL, NODE_ENV: "production", SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: "x".repeat(32), ...PII_KEYS, [key]: undefined });
    expect(error.message).toContain(`${key}: is required when NODE_ENV=production`);
  });

  it("refuses PII_ENCRYPTION_KEYS that are not id:base64key pairs", () => {
    const error = envErrorFor({ ...MINIMAL, PII_ENCRYPTION_KEYS: "just-a-password" });
    expect(error.message).toContain('PII_ENCRYPTION_KEYS: must be "id:base64key" pairs');
  });

  it("accepts the sandbox origin outside production, without a trailing slash", () => {
    const env = parseEnv({ ...MINIMAL, SHOPIFY_SANDBOX_ORIGIN: "http://localhost:3002/", APP_BRIDGE_URL: "http://localhost:3002/app-bridge.js" });
    expect(env.SHOPIFY_SANDBOX_ORIGIN).toBe("http://localhost:3002");
    expect(env.APP_BRIDGE_URL).toBe("http://localhost:3002/app-bridge.js");
    expect(parseEnv({ ...MINIMAL, STRIPE_API_BASE: "http://127.0.0.1:3004/" }).STRIPE_API_BASE).toBe("http://127.0.0.1:3004");
  });

  it("refuses mtls (the default) without a TLS certificate and key, naming both", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: undefined });
    expect(error.message).toContain("TLS_CERT_FILE: is required when SHOPIFY_REQUEST_AUTH=mtls");
    expect(error.message).toContain("TLS_KEY_FILE: is required when SHOPIFY_REQUEST_AUTH=mtls");
  });

  it("refuses mtls with a certificate but no key, naming only the key", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: "mtls", TLS_CERT_FILE: certFile });
    expect(error.message).toContain("TLS_KEY_FILE");
    expect(error.message).not.toContain("TLS_CERT_FILE");
  });

  it("accepts mtls with an existing certificate and key, using the bundled Shopify CA", () => {
    const env = parseEnv({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: "mtls", TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    expect(env.SHOPIFY_REQUEST_AUTH).toBe("mtls");
    expect(env.TLS_CERT_FILE).toBe(certFile);
    expect(env.TLS_KEY_FILE).toBe(keyFile);
    expect(env.MTLS_CA_FILE).toBe("app/shopify/certs/shopify-payments-platform-ca.pem");
  });

  it("refuses a TLS certificate file that does not exist", () => {
    const error = envErrorFor({
      ...MINIMAL,
      SHOPIFY_REQUEST_AUTH: "mtls",
      TLS_CERT_FILE: path.join(tlsDir, "missing.pem"),
      TLS_KEY_FILE: keyFile,
    });
    expect(error.message).toContain("TLS_CERT_FILE: file does not exist");
  });

  it("refuses an MTLS_CA_FILE that does not exist", () => {
    const error = envErrorFor({ ...MINIMAL, MTLS_CA_FILE: path.join(tlsDir, "missing-ca.pem") });
    expect(error.message).toContain("MTLS_CA_FILE: file does not exist");
  });

  it("refuses proxy without PROXY_SHARED_SECRET, naming it", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: "proxy" });
    expect(error.message).toContain("PROXY_SHARED_SECRET: is required when SHOPIFY_REQUEST_AUTH=proxy");
  });

  it("refuses a PROXY_SHARED_SECRET shorter than 32 characters", () => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: "x".repeat(31) });
    expect(error.message).toContain("PROXY_SHARED_SECRET: must be at least 32 characters");
  });

  it("accepts proxy with a PROXY_SHARED_SECRET of 32 characters, in production", () => {
    const env = parseEnv({
      ...MINIMAL,
      NODE_ENV: "production",
      SHOPIFY_REQUEST_AUTH: "proxy",
      PROXY_SHARED_SECRET: "x".repeat(32),
      ...PII_KEYS,
    });
    expect(env.SHOPIFY_REQUEST_AUTH).toBe("proxy");
    expect(env.PROXY_SHARED_SECRET).toBe("x".repeat(32));
  });

  it.each([
    ["not a URL", "payments.example.com"],
    ["a word", "localhost"],
    ["not http(s)", "ftp://payments.example.com"],
    ["empty", ""],
  ])("refuses a SHOPIFY_APP_URL that is %s", (_, url) => {
    const error = envErrorFor({ ...MINIMAL, SHOPIFY_APP_URL: url });
    expect(error.message).toContain("SHOPIFY_APP_URL");
  });

  it("removes the trailing slash of SHOPIFY_APP_URL", () => {
    expect(parseEnv({ ...MINIMAL, SHOPIFY_APP_URL: "https://payments.example.com/" }).SHOPIFY_APP_URL).toBe(
      "https://payments.example.com",
    );
  });

  it("removes every trailing slash of a SHOPIFY_APP_URL with a path", () => {
    expect(parseEnv({ ...MINIMAL, SHOPIFY_APP_URL: "http://localhost:3000/app//" }).SHOPIFY_APP_URL).toBe(
      "http://localhost:3000/app",
    );
  });

  it.each([["mysql://user@db/app"], ["./data/app.sqlite"], ["postgresql:app"]])("refuses a DATABASE_URL that is neither SQLite nor PostgreSQL (%s)", (url) => {
    const error = envErrorFor({ ...MINIMAL, DATABASE_URL: url });
    expect(error.message).toContain(
      'DATABASE_URL: must be "file:./data/app.sqlite" (SQLite) or "postgresql://user:password@host:5432/database" (PostgreSQL)',
    );
  });

  it.each([["postgresql://app:secret@db.internal:5432/payments"], ["postgres://app@localhost/payments?sslmode=require"]])(
    "accepts a PostgreSQL DATABASE_URL (%s)",
    (url) => {
      expect(parseEnv({ ...MINIMAL, DATABASE_URL: url }).DATABASE_URL).toBe(url);
    },
  );

  it("accepts another SQLite DATABASE_URL", () => {
    expect(parseEnv({ ...MINIMAL, DATABASE_URL: "file:/var/lib/app/app.sqlite" }).DATABASE_URL).toBe(
      "file:/var/lib/app/app.sqlite",
    );
  });

  it.each([
    ["above 65535", "65536"],
    ["negative", "-1"],
    ["not a number", "http"],
    ["fractional", "80.5"],
  ])("refuses a PORT that is %s", (_, port) => {
    const error = envErrorFor({ ...MINIMAL, PORT: port });
    expect(error.message).toContain("PORT");
  });

  it("lists every problem at once", () => {
    const error = envErrorFor({ SHOPIFY_REQUEST_AUTH: "none" });
    expect(error.message).toContain("SHOPIFY_APP_URL");
    expect(error.message).toContain("SHOPIFY_API_KEY");
    expect(error.message).toContain("SHOPIFY_API_SECRET");
  });

  it("trusts no proxy by default (the socket's address is the client's), one in proxy mode, and what TRUSTED_PROXY_HOPS says", () => {
    expect(parseEnv(MINIMAL).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: "x".repeat(32) }).TRUSTED_PROXY_HOPS).toBe(1);
    expect(parseEnv({ ...MINIMAL, SHOPIFY_REQUEST_AUTH: "proxy", PROXY_SHARED_SECRET: "x".repeat(32), TRUSTED_PROXY_HOPS: "0" }).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ ...MINIMAL, TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(parseEnv({ ...MINIMAL, TRUSTED_PROXY_HOPS: "10" }).TRUSTED_PROXY_HOPS).toBe(10);
  });

  it.each([["above 10", "11"], ["negative", "-1"], ["fractional", "1.5"], ["not a number", "one"], ["a list", "1,2"]])(
    "refuses a TRUSTED_PROXY_HOPS that is %s, saying what it counts",
    (_, hops) => {
      const error = envErrorFor({ ...MINIMAL, TRUSTED_PROXY_HOPS: hops });
      expect(error.message).toContain("TRUSTED_PROXY_HOPS: must be a whole number from 0 to 10: how many proxies or load balancers");
    },
  );
});
