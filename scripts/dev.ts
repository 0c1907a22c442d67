// `npm run dev`: migrate the embedded SQLite database, build, install a dev shop,
// and run the app on http://localhost:3000 until Ctrl-C.
// `npm run dev -- --mtls`: the same, with session endpoints only on an mTLS
// listener (https://localhost:3443) that trusts a local Shopify-like CA.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { PrismaClient } from "@prisma/client";
import { createDriverAdapter } from "../app/db/adapter";
import { createLocalPki } from "../sandbox/pki";
import { DEV_PKI_DIR, DEV_SHOP, devEnvironment } from "./dev-env";

const mtls = process.argv.includes("--mtls");
if (mtls && !existsSync(`${DEV_PKI_DIR}/shopify-ca.pem`)) await createLocalPki(DEV_PKI_DIR);
const env = devEnvironment({ mtls });

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
  create: { id: `offline_${DEV_SHOP}`, shop: DEV_SHOP, state: "dev-install", isOnline: false, scope: env.SCOPES ?? "write_payment_gateways,write_payment_sessions", accessToken: "shpat_dev_local" },
  update: {},
});
await db.$disconnect();

const app = spawn(process.execPath, ["build/index.js"], { stdio: "inherit", env });
console.log(`
  Payments app (development)
  App:         ${env.SHOPIFY_APP_URL}
  Health:      ${env.SHOPIFY_APP_URL}/healthz
  Sessions:    ${mtls ? `https://localhost:${env.MTLS_PORT} (mTLS; client certificate in ${DEV_PKI_DIR}/)` : `${env.SHOPIFY_APP_URL} (no client certificate needed in development)`}
  Dev shop:    ${DEV_SHOP} (installed)
  Try it:      README.md, "Send a session request by hand"
  Stop:        Ctrl-C
`);
const stop = () => app.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
app.on("exit", (code) => process.exit(code ?? 0));
