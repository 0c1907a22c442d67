// `npm run dev`: migrate the embedded SQLite database, build, install a dev shop,
// and run the app on http://localhost:3000 until Ctrl-C.
// `npm run dev -- --mtls`: the same, with session endpoints only on an mTLS
// listener (https://localhost:3443) that trusts a local Shopify-like CA.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { PrismaClient } from "@prisma/client";
import { createDriverAdapter } from "../app/db/adapter";
import { startPaymentsAppsSandbox } from "../sandbox/payments-apps/server";
import { createLocalPki } from "../sandbox/pki";
import { DEV_ACCESS_TOKEN, DEV_PKI_DIR, DEV_SHOP, devEnvironment } from "./dev-env";

const mtls = process.argv.includes("--mtls");
if (mtls && !existsSync(`${DEV_PKI_DIR}/shopify-ca.pem`)) await createLocalPki(DEV_PKI_DIR);
const env = devEnvironment({ mtls });

// Shopify's Payments Apps API, played locally: the app reports outcomes here.
const shopify = await startPaymentsAppsSandbox({
  port: Number(env.PAYMENTS_APPS_PORT ?? 3001),
  host: "127.0.0.1",
  autoRegisterSessions: true,
  controlRoutes: true,
});
shopify.registerShop(DEV_SHOP, DEV_ACCESS_TOKEN);
env.PAYMENTS_APPS_API_ORIGIN ??= shopify.url;

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

run("npx", ["prisma", "migrate", "deploy"]);
run("npx", ["remix", "build"]);

// Installed, as after OAuth: the shop's offline session is in session storage.
const db = new PrismaClient({ adapter: createDriverAdapter(env.DATABASE_URL ?? "") });
await db.session.upsert({
  where: { id: `offline_${DEV_SHOP}` },
  create: { id: `offline_${DEV_SHOP}`, shop: DEV_SHOP, state: "dev-install", isOnline: false, scope: env.SCOPES ?? "write_payment_gateways,write_payment_sessions", accessToken: DEV_ACCESS_TOKEN },
  update: { accessToken: DEV_ACCESS_TOKEN },
});
await db.$disconnect();

// The app runs as a child process; if it dies (say, kill -9 to try a crash in
// the middle of a delivery), it is started again, as a process manager would.
let stopping = false;
let app = startAppProcess();
function startAppProcess() {
  const child = spawn(process.execPath, ["build/index.js"], { stdio: "inherit", env });
  child.on("exit", (code, signal) => {
    if (stopping) {
      void shopify.stop().finally(() => process.exit(code ?? 0));
      return;
    }
    console.log(`\n  The app stopped (${signal ?? `exit ${code}`}); starting it again in 1 s.\n`);
    setTimeout(() => {
      app = startAppProcess();
    }, 1000);
  });
  return child;
}
console.log(`
  Payments app (development)
  App:         ${env.SHOPIFY_APP_URL}
  Health:      ${env.SHOPIFY_APP_URL}/healthz
  Sessions:    ${mtls ? `https://localhost:${env.MTLS_PORT} (mTLS; client certificate in ${DEV_PKI_DIR}/)` : `${env.SHOPIFY_APP_URL} (no client certificate needed in development)`}
  Dev shop:    ${DEV_SHOP} (installed)
  Shopify API: ${shopify.url} (local Payments Apps API; calls: ${shopify.url}/_sandbox/calls)
  Try it:      README.md, "Send a session request by hand"
  Stop:        Ctrl-C
`);
const stop = () => {
  stopping = true;
  app.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
