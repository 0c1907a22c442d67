import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

/**
 * The local development configuration: embedded SQLite under data/, the app on
 * http://localhost:3000, and a secret generated on first run and kept in
 * data/dev-secret (never committed). Variables already set in the shell win.
 */
export const DEV_SHOP = "dev-shop.myshopify.com";
export const DEV_PKI_DIR = "data/dev-pki";
/** The development card-encryption key and certificate (sandbox/card-keys.ts). */
export const DEV_CARD_KEYS_DIR = "data/dev-card-keys";
/** What the sandbox remembers across runs, as Shopify would: the token it issued at install. */
export const DEV_SANDBOX_STATE = "data/dev-sandbox.json";

export function devEnvironment({ mtls = false } = {}): NodeJS.ProcessEnv {
  mkdirSync("data", { recursive: true });
  const secretFile = "data/dev-secret";
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
  const port = process.env.PORT ?? "3000";
  const sandboxOrigin = `http://localhost:${process.env.SHOPIFY_SANDBOX_PORT ?? "3002"}`;
  const stripePort = process.env.STRIPE_SANDBOX_PORT ?? "3004";
  const defaults: Record<string, string> = {
    NODE_ENV: "development",
    PORT: port,
    DATABASE_URL: "file:./data/dev.sqlite",
    SHOPIFY_APP_URL: `http://localhost:${port}`,
    SHOPIFY_API_KEY: "dev-api-key",
    SHOPIFY_API_SECRET: readFileSync(secretFile, "utf8").trim(),
    // The local Shopify sandbox plays the admin: token exchange at install, the
    // admin frame, and App Bridge (development only; refused in production).
    SHOPIFY_SANDBOX_ORIGIN: sandboxOrigin,
    APP_BRIDGE_URL: `${sandboxOrigin}/app-bridge.js`,
    // The local Stripe (sandbox/stripe), started by npm run dev: the app's Stripe
    // client talks to it instead of Stripe (development only; refused in production).
    STRIPE_SANDBOX_PORT: stripePort,
    STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
    // Onsite card payments: the key Shopify (the sandbox) encrypts cards for, once
    // `npm run dev` made it (the app refuses a key file that does not exist).
    ...(existsSync(`${DEV_CARD_KEYS_DIR}/card-decryption-key.pem`) ? { CARD_DECRYPTION_KEY_FILE: `${DEV_CARD_KEYS_DIR}/card-decryption-key.pem` } : {}),
    // Session endpoints are served on MTLS_PORT to clients of the local
    // Shopify-like CA; with --no-mtls on PORT without client certificates
    // (development only; refused in production).
    ...(mtls
      ? {
          SHOPIFY_REQUEST_AUTH: "mtls",
          MTLS_PORT: "3443",
          MTLS_CA_FILE: `${DEV_PKI_DIR}/shopify-ca.pem`,
          TLS_CERT_FILE: `${DEV_PKI_DIR}/server.pem`,
          TLS_KEY_FILE: `${DEV_PKI_DIR}/server-key.pem`,
        }
      : { SHOPIFY_REQUEST_AUTH: "none" }),
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(defaults)) env[key] ??= value;
  return env;
}

/**
 * The dev shop's account at the local Stripe, with the same keys every run
 * (derived from data/dev-secret): the key the app stored on an earlier run keeps
 * working after the local Stripe, which forgets everything, starts again.
 */
export function devStripeAccount(env: NodeJS.ProcessEnv) {
  const derive = (label: string) => createHmac("sha256", env.SHOPIFY_API_SECRET ?? "dev").update(`local-stripe:${label}`).digest("hex").slice(0, 32);
  return {
    id: `acct_dev${derive("account").slice(0, 16)}`,
    businessName: "Dev shop (local Stripe)",
    keys: {
      testSecretKey: `sk_test_${derive("sk_test")}`,
      testRestrictedKey: `rk_test_${derive("rk_test")}`,
      testPublishableKey: `pk_test_${derive("pk_test")}`,
      liveSecretKey: `sk_live_${derive("sk_live")}`,
      liveRestrictedKey: `rk_live_${derive("rk_live")}`,
      livePublishableKey: `pk_live_${derive("pk_live")}`,
    },
  };
}
