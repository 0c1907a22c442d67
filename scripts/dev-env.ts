import { randomBytes } from "node:crypto";
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
