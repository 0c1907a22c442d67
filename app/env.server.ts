import { existsSync } from "node:fs";
import { z } from "zod";
import { DATABASE_URL_FORMS, databaseProviderOf, DEFAULT_DATABASE_URL } from "./db/adapter";
import { MAX_TRUSTED_PROXY_HOPS } from "./http/client-address";

/**
 * The whole configuration of the app, validated once. A missing secret is an
 * error with a message that says what to set; nothing falls back to "".
 */
const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

const TRUSTED_PROXY_HOPS_RULE = `must be a whole number from 0 to ${MAX_TRUSTED_PROXY_HOPS}: how many proxies or load balancers in front of the app append the client's address to X-Forwarded-For (0: none, the connection's own address is the client's)`;

const existingFile = z
  .string()
  .min(1)
  .refine((file) => existsSync(file), { message: "file does not exist" });

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).optional(),
    PORT: port(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATABASE_URL: z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((url) => databaseProviderOf(url) !== null, { message: `must be ${DATABASE_URL_FORMS}` }),
    SHOPIFY_APP_URL: z
      .url({ protocol: /^https?$/, error: "is required: the app's absolute http(s) URL, e.g. https://payments.example.com" })
      .transform((url) => url.replace(/\/+$/, "")),
    SHOPIFY_API_KEY: z.string({ error: "is required: the app's client id from the Partner Dashboard" }).min(1),
    SHOPIFY_API_SECRET: z
      .string({ error: "is required: the app's client secret from the Partner Dashboard" })
      .min(16, "must be the app's client secret (at least 16 characters)"),
    SCOPES: z.string().min(1).default("write_payment_gateways,write_payment_sessions"),
    SHOPIFY_REQUEST_AUTH: z.enum(["mtls", "proxy", "none"]).default("mtls"),
    MTLS_PORT: port(3443),
    TLS_CERT_FILE: existingFile.optional(),
    TLS_KEY_FILE: existingFile.optional(),
    // Onsite card payments: the PEM with the private key(s) and certificate(s) whose
    // public key Shopify encrypts cards for (docs/security.md). Unset: cards are rejected.
    CARD_DECRYPTION_KEY_FILE: existingFile.optional(),
    MTLS_CA_FILE: existingFile.default("app/shopify/certs/shopify-payments-platform-ca.pem"),
    PROXY_SHARED_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    // Development and tests only: the local Shopify sandbox (sandbox/shopify) plays
    // Shopify's admin. Token exchange goes to it instead of https://{shop}, and its
    // admin frame may embed the app. APP_BRIDGE_URL (read by @shopify/shopify-app-remix
    // too) points at the sandbox's App Bridge stand-in. Both refused in production.
    SHOPIFY_SANDBOX_ORIGIN: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, "")).optional(),
    APP_BRIDGE_URL: z.url({ protocol: /^https?$/ }).optional(),
    // Development and tests only: the local Stripe (sandbox/stripe) instead of Stripe's API.
    STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, "")).optional(),
    PAYMENT_LINK_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),

    // Reporting outcomes to Shopify (spec §5, §6).
    PAYMENTS_APPS_API_ORIGIN: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, "")).optional(),
    PAYMENTS_APPS_API_VERSION: z.string().regex(/^(\d{4}-\d{2}|unstable)$/, "must be a version such as 2026-04").default("2026-04"),
    PAYMENTS_APPS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    DELIVERY_RETRY_SCHEDULE: z
      .string()
      .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, "must be comma-separated seconds, e.g. 0,5,10,30")
      .optional(),
    DELIVERY_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.2),
    DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    WORKER_ENABLED: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
    WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    // Measured on 2 cores (bench/delivery-drain.ts): batches of 500 with 32 sends in
    // flight drain ~500 deliveries/s on SQLite; smaller batches spend more time in
    // per-batch queries.
    WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),

    // Moving money (the provider seam and the built-in sandbox provider).
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    PROVIDER_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    AUTHORIZATION_VALIDITY_DAYS: z.coerce.number().min(0.001).max(30).default(7),
    PENDING_EXPIRY_HOURS: z.coerce.number().min(0.01).max(72).default(72),
    SANDBOX_PENDING_SECONDS: z.coerce.number().min(0).max(86_400).default(30),

    // Customer personal data (decision 0006). Keys are base64 of 32 random bytes;
    // PII_ENCRYPTION_KEYS lists "id:key" pairs, the first encrypts, all decrypt
    // (rotation). Required in production; elsewhere derived from the app secret.
    PII_ENCRYPTION_KEYS: z
      .string()
      .regex(/^\s*[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/=]{40,}\s*(,\s*[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/=]{40,}\s*)*$/, 'must be "id:base64key" pairs separated by commas, e.g. "2026a:<base64 of 32 bytes>"')
      .optional(),
    PII_LOOKUP_KEY: z.string().regex(/^[A-Za-z0-9+/=]{40,}$/, "must be base64 of at least 32 random bytes").optional(),
    // How long an uninstalled shop's payment records are kept before they are
    // deleted (unless it reinstalls, or Shopify's shop/redact comes first).
    UNINSTALLED_DATA_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
    PRIVACY_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(86_400).default(3600),

    // Rate limits (token buckets, per process): the session endpoints per shop,
    // the buyer pages per client IP. Generous: Shopify's retries never come near.
    RATE_LIMIT_SESSIONS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    RATE_LIMIT_SESSIONS_PER_SECOND: z.coerce.number().min(0.001).max(100_000).default(50),
    RATE_LIMIT_BUYER_BURST: z.coerce.number().int().min(1).max(1_000_000).default(300),
    RATE_LIMIT_BUYER_PER_SECOND: z.coerce.number().min(0.001).max(100_000).default(10),
    // How many proxies in front of the app append to X-Forwarded-For (the client is
    // the entry this many from the right; app/http/client-address.ts). Unset: 1 with
    // SHOPIFY_REQUEST_AUTH=proxy, whose proxy is by definition the only one to reach
    // the app, else 0 (the socket's address).
    TRUSTED_PROXY_HOPS: z
      .string()
      .regex(/^\d{1,2}$/, TRUSTED_PROXY_HOPS_RULE)
      .transform(Number)
      .pipe(z.number().max(MAX_TRUSTED_PROXY_HOPS, TRUSTED_PROXY_HOPS_RULE))
      .optional(),

    // Operations. /metrics reveals volumes: served only when a token is set, to
    // requests bearing it. Its database gauges are read at most every
    // METRICS_CACHE_SECONDS, however many scrapers there are.
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (generate with: openssl rand -hex 32)").regex(/^\S+$/, "must not contain spaces").optional(),
    METRICS_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
    // Where /readyz finds the migrations that must have been applied; by default
    // prisma/migrations for SQLite, prisma/postgresql/migrations for PostgreSQL.
    MIGRATIONS_DIR: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SHOPIFY_REQUEST_AUTH === "mtls") {
      for (const key of ["TLS_CERT_FILE", "TLS_KEY_FILE"] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "is required when SHOPIFY_REQUEST_AUTH=mtls (the HTTPS listener's certificate and key)",
          });
        }
      }
    }
    if (env.SHOPIFY_REQUEST_AUTH === "proxy" && !env.PROXY_SHARED_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["PROXY_SHARED_SECRET"],
        message: "is required when SHOPIFY_REQUEST_AUTH=proxy (the secret your TLS proxy sends)",
      });
    }
    if (env.DELIVERY_LEASE_SECONDS * 1000 < 2 * env.PAYMENTS_APPS_TIMEOUT_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["DELIVERY_LEASE_SECONDS"],
        message: "must be at least twice PAYMENTS_APPS_TIMEOUT_MS, or another worker may take a delivery over while it is still being sent",
      });
    }
    if (env.SHOPIFY_REQUEST_AUTH === "none" && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["SHOPIFY_REQUEST_AUTH"],
        message: "cannot be \"none\" when NODE_ENV=production: session requests must prove they come from Shopify (use mtls or proxy)",
      });
    }
    if (env.NODE_ENV === "production") {
      for (const key of ["PII_ENCRYPTION_KEYS", "PII_LOOKUP_KEY"] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "is required when NODE_ENV=production: customer data is encrypted at rest (docs/decisions/0006-personal-data.md; generate with: openssl rand -base64 32)",
          });
        }
      }
      for (const key of ["SHOPIFY_SANDBOX_ORIGIN", "APP_BRIDGE_URL", "STRIPE_API_BASE"] as const) {
        if (env[key]) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "cannot be set when NODE_ENV=production: it points the app at a local sandbox",
          });
        }
      }
    }
  });

/** Defaults that depend on other variables. */
const resolvedEnvSchema = envSchema.transform((env) => ({
  ...env,
  TRUSTED_PROXY_HOPS: env.TRUSTED_PROXY_HOPS ?? (env.SHOPIFY_REQUEST_AUTH === "proxy" ? 1 : 0),
}));

export type Env = z.infer<typeof resolvedEnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // `PORT=` in a .env file means "not set", not "port 0" or "an empty secret".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = resolvedEnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(environment)"}: ${issue.message}`);
    throw new EnvError(`Invalid environment; fix these variables and start again:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment of this process (parsed on first use). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
