// Runs the local Payments Apps API as its own process (benchmarks, manual tries):
//   tsx sandbox/payments-apps/main.ts --port 3001 --shop dev-shop.myshopify.com=shpat_dev_local [--unlimited]
// Prints one JSON line {"url": "..."} once listening; stops on SIGTERM/SIGINT.
import { parseArgs } from "node:util";
import { startPaymentsAppsSandbox } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    shop: { type: "string", multiple: true, default: [] },
    unlimited: { type: "boolean", default: false },
  },
});

const sandbox = await startPaymentsAppsSandbox({
  port: Number(values.port),
  autoRegisterSessions: true,
  controlRoutes: true,
  // Benchmarks measure the app, not Shopify's rate limit.
  ...(values.unlimited ? { rateLimit: { maximumAvailable: 1e12, restoreRate: 1e12 } } : {}),
});
for (const pair of values.shop) {
  const [shop, token] = pair.split("=");
  if (!shop || !token) throw new Error(`--shop takes shop=token, got "${pair}"`);
  sandbox.registerShop(shop, token);
}
console.log(JSON.stringify({ url: sandbox.url }));

const stop = () => void sandbox.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
