// `npm run dev`: the whole product on one machine. Migrates the embedded SQLite
// database, builds the app, installs a sandbox shop, and runs
//   - the app on http://localhost:3000, its session endpoints on https://localhost:3443
//     (mTLS, trusting the local Shopify-like CA in data/dev-pki/);
//   - the local Payments Apps API on http://127.0.0.1:3001 (outcomes go there);
//   - the Shopify sandbox on http://localhost:3002: a checkout that opens payment
//     sessions over mTLS, and order pages with the merchant's capture/refund/void;
//   - the local Stripe on http://127.0.0.1:3004 (STRIPE_SANDBOX_PORT; the app's
//     STRIPE_API_BASE points there), with a Stripe account for the dev shop.
// Ctrl-C stops everything. `-- --no-mtls` serves session endpoints on :3000 without
// client certificates instead (development only). `-- --provider stripe` connects
// the dev shop's test mode to the local Stripe (Settings › Stripe, the same
// connect function), so test payments go through Stripe.
import { spawn, spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { startPaymentsAppsSandbox } from "../sandbox/payments-apps/server";
import { createLocalPki } from "../sandbox/pki";
import { startShopifySandbox } from "../sandbox/shopify/server";
import { createShopifySimulator } from "../sandbox/shopify/simulator";
import { createWebhookSender } from "../sandbox/shopify/webhooks";
import { startStripeSandbox } from "../sandbox/stripe/server";
import { createPrismaClient } from "../app/db/prisma-client";
import { connectProviderAccount } from "../app/admin/provider-connections.server";
import { createProviderAccountStore } from "../app/providers/accounts/provider-account-store.server";
import { createStripeAccountLink } from "../app/providers/accounts/stripe-account-link.server";
import { piiKeyringFromEnv } from "../app/privacy/pii-crypto.server";
import { DEV_CARD_KEYS_DIR, DEV_PKI_DIR, DEV_SANDBOX_STATE, DEV_SHOP, devEnvironment, devStripeAccount } from "./dev-env";
import { createDevelopmentCardKey } from "../sandbox/card-keys";

const { values: options } = parseArgs({
  options: { "no-mtls": { type: "boolean", default: false }, provider: { type: "string", default: "sandbox" } },
});
if (options.provider !== "sandbox" && options.provider !== "stripe") {
  console.error(`--provider takes sandbox (the default) or stripe, not "${options.provider}".`);
  process.exit(2);
}
const mtls = !options["no-mtls"];
if (!existsSync(`${DEV_PKI_DIR}/shopify-ca.pem`)) await createLocalPki(DEV_PKI_DIR);
// The app's card-encryption key pair (onsite card payments): made once, kept under data/.
if (!existsSync(`${DEV_CARD_KEYS_DIR}/card-decryption-key.pem`)) await createDevelopmentCardKey(DEV_CARD_KEYS_DIR);
const env = devEnvironment({ mtls });

// Shopify's Payments Apps API, played locally: the app reports outcomes here.
const shopify = await startPaymentsAppsSandbox({ port: Number(env.PAYMENTS_APPS_PORT ?? 3001), host: "127.0.0.1", autoRegisterSessions: true, controlRoutes: true });
env.PAYMENTS_APPS_API_ORIGIN ??= shopify.url;
// The local Stripe, with the dev shop's account (the same keys every run).
const stripe = await startStripeSandbox({ port: Number(env.STRIPE_SANDBOX_PORT ?? 3004), host: "127.0.0.1", accounts: [devStripeAccount(env)] });
env.STRIPE_API_BASE = stripe.url;
// Shopify remembers the token it issued when the app was installed; so does the sandbox.
const remembered = existsSync(DEV_SANDBOX_STATE) ? (JSON.parse(readFileSync(DEV_SANDBOX_STATE, "utf8")) as { accessToken?: string }) : {};

function run(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

run("npx", ["prisma", "migrate", "deploy"]);
// A development build, in a directory of its own: build/ and public/build/ stay
// whatever `npm run build` made, so `npm start` never meets a development build
// (which it would refuse: app/server/build-mode.ts).
const DEV_BUILD_DIR = ".cache/dev";
run("npx", ["remix", "build"], { BUILD_DIR: DEV_BUILD_DIR });

const sessionsOrigin = mtls ? `https://localhost:${env.MTLS_PORT}` : `http://localhost:${env.PORT}`;
const simulator = createShopifySimulator({
  appOrigin: sessionsOrigin,
  shop: DEV_SHOP,
  clientCertFile: `${DEV_PKI_DIR}/shopify-client.pem`,
  clientKeyFile: `${DEV_PKI_DIR}/shopify-client-key.pem`,
  serverCaFile: `${DEV_PKI_DIR}/server-ca.pem`,
  paymentsApi: shopify,
  cardCertificatePem: readFileSync(`${DEV_CARD_KEYS_DIR}/card-encryption-certificate.pem`, "utf8"),
});
// Shopify answers the app's paymentSessionConfirm on its confirmation callback.
shopify.onConfirmation(({ gid }) => void simulator.sendConfirmation(gid));
const storefront = await startShopifySandbox({
  port: Number(env.SHOPIFY_SANDBOX_PORT ?? 3002),
  host: "127.0.0.1",
  shop: DEV_SHOP,
  simulator,
  paymentsApi: shopify,
  app: { url: env.SHOPIFY_APP_URL ?? "", apiKey: env.SHOPIFY_API_KEY ?? "", apiSecret: env.SHOPIFY_API_SECRET ?? "", scopes: env.SCOPES ?? "write_payment_gateways,write_payment_sessions" },
  accessToken: remembered.accessToken,
  onInstall: (accessToken) => writeFileSync(DEV_SANDBOX_STATE, JSON.stringify({ accessToken }), { mode: 0o600 }),
  webhooks: createWebhookSender({ appUrl: env.SHOPIFY_APP_URL ?? "", apiSecret: env.SHOPIFY_API_SECRET ?? "", shop: DEV_SHOP }),
});
shopify.setCheckoutOrigin(storefront.url.replace("127.0.0.1", "localhost"));

// The app runs as a child process; if it dies (say, kill -9 to try a crash in
// the middle of a delivery), it is started again, as a process manager would.
let stopping = false;
let app = startAppProcess();
function startAppProcess() {
  const child = spawn(process.execPath, [`${DEV_BUILD_DIR}/build/index.js`], { stdio: "inherit", env });
  child.on("exit", (code, signal) => {
    if (stopping) {
      simulator.close();
      void Promise.all([shopify.stop(), storefront.stop(), stripe.close()]).finally(() => process.exit(code ?? 0));
      return;
    }
    console.log(`\n  The app stopped (${signal ?? `exit ${code}`}); starting it again in 1 s.\n`);
    setTimeout(() => {
      app = startAppProcess();
    }, 1000);
  });
  return child;
}

// Installed as Shopify-managed installation does it: the app's first embedded
// load exchanges a session token for the shop's offline token (a no-op when
// this database already holds a valid one).
await waitForApp(`${env.SHOPIFY_APP_URL}/healthz`);
await storefront.admin?.install();

// `--provider stripe`: the dev shop's test mode connected to the local Stripe
// with its test secret key, through the function Settings › Stripe calls (the
// key is checked, the app's webhook endpoint registered). The local Stripe
// forgets its endpoints when it stops, so this runs on every start.
const stripeStatus = options.provider === "stripe" ? await connectDevShopToStripe() : "not connected (-- --provider stripe connects the dev shop's test mode)";

async function connectDevShopToStripe(): Promise<string> {
  const db = createPrismaClient(env.DATABASE_URL ?? "");
  try {
    const store = createProviderAccountStore(db, {
      keyring: piiKeyringFromEnv({ SHOPIFY_API_SECRET: env.SHOPIFY_API_SECRET ?? "", PII_ENCRYPTION_KEYS: env.PII_ENCRYPTION_KEYS, PII_LOOKUP_KEY: env.PII_LOOKUP_KEY }),
      appUrl: env.SHOPIFY_APP_URL ?? "",
      links: { stripe: createStripeAccountLink({ apiBase: stripe.url }) },
    });
    const apiKey = devStripeAccount(env).keys.testSecretKey;
    const result = await connectProviderAccount(db, store, { shop: DEV_SHOP, staffUserId: "npm run dev", staffName: "npm run dev", staffEmail: null }, { intent: "connect-provider", mode: "test", apiKey }, null);
    if (!result.ok) {
      console.error(`\n  Connecting the dev shop to the local Stripe failed: ${result.problems.map((p) => p.message).join(" ")}\n`);
      return "NOT connected (see above)";
    }
    return "dev shop's test mode connected";
  } finally {
    await db.$disconnect();
  }
}

async function waitForApp(url: string) {
  for (let tries = 0; tries < 300; tries++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The app did not answer ${url} within 30 s.`);
}

const sandboxOrigin = storefront.url.replace("127.0.0.1", "localhost");
console.log(`
  Payments app (development)
  Checkout:    ${sandboxOrigin}/checkout   ← start a payment here
  Admin:       ${sandboxOrigin}${storefront.admin?.path ?? ""}   ← the embedded app, as in the Shopify admin
  Webhooks:    ${sandboxOrigin}/webhooks   ← uninstall, customers/data_request, customers/redact, shop/redact
  App:         ${env.SHOPIFY_APP_URL}  (health: /healthz)
  Sessions:    ${sessionsOrigin}${mtls ? ` (mTLS; Shopify-like CA and client certificate in ${DEV_PKI_DIR}/)` : " (no client certificate: development only)"}
  Shopify API: ${shopify.url}  (what Shopify received: ${shopify.url}/_sandbox/calls)
  Stripe:      ${stripe.url}  (local Stripe: ${stripeStatus}; account ${devStripeAccount(env).id},
               test secret key ${devStripeAccount(env).keys.testSecretKey}; requests: ${stripe.url}/_sandbox/requests)
  Sandbox shop ${DEV_SHOP} is installed.   Stop: Ctrl-C
`);
const stop = () => {
  stopping = true;
  app.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
