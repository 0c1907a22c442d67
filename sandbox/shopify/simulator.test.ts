import { readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../payments-apps/server";
import { createLocalPki, type LocalPki } from "../pki";
import { createShopifySimulator } from "./simulator";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  authorized: boolean;
}

let pki: LocalPki;
let paymentsApi: PaymentsAppsSandbox;
let server: https.Server;
let origin: string;
const received: Received[] = [];
// The answers the fake app gives, in order; 201 once they run out.
let script: number[] = [];

beforeAll(async () => {
  pki = await createLocalPki();
  paymentsApi = await startPaymentsAppsSandbox();
  paymentsApi.registerShop("sim.myshopify.com", "shpat_sim");
  server = https.createServer(
    { cert: readFileSync(pki.files.serverCert), key: readFileSync(pki.files.serverKey), ca: readFileSync(pki.files.ca), requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({ headers: req.headers, body, authorized: (req.socket as TLSSocket).authorized });
        const status = script.shift() ?? 201;
        res.writeHead(status, { "Content-Type": "application/json" }).end(status === 201 ? '{"redirect_url":"https://app.test/pay/x"}' : "{}");
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await paymentsApi.stop();
  rmSync(pki.dir, { recursive: true, force: true });
});

const simulator = () =>
  createShopifySimulator({
    appOrigin: origin,
    shop: "sim.myshopify.com",
    clientCertFile: pki.files.shopifyCert,
    clientKeyFile: pki.files.shopifyKey,
    serverCaFile: pki.files.serverCa,
    paymentsApi,
    attempts: 3,
    retryDelayMs: 10,
  });

describe("the Shopify simulator", () => {
  it("presents a client certificate the app's CA verifies, with Shopify's three headers", async () => {
    received.length = 0;
    const sim = simulator();
    const payment = await sim.startPayment({ currency: "KWD", amount: "1.500" });
    sim.close();
    expect(payment.response).toMatchObject({ status: 201, attempts: 1 });
    expect(payment.redirectUrl).toBe("https://app.test/pay/x");
    expect(received[0]?.authorized).toBe(true);
    expect(received[0]?.headers).toMatchObject({ "shopify-shop-domain": "sim.myshopify.com", "shopify-api-version": "2026-04" });
    expect(paymentsApi.sessions.get(payment.gid)).toMatchObject({ kind: "payment", shop: "sim.myshopify.com" });
  });

  it("retries a non-2xx answer with the same body and a new request id, as Shopify does", async () => {
    received.length = 0;
    script = [503, 500];
    const sim = simulator();
    const payment = await sim.startPayment();
    sim.close();
    expect(payment.response).toMatchObject({ status: 201, attempts: 3 });
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers["shopify-request-id"])).size).toBe(3);
  });

  it("gives up after its attempts and does not retry a refusal that cannot change", async () => {
    received.length = 0;
    script = [503, 503, 503];
    const sim = simulator();
    expect((await sim.startPayment()).response).toMatchObject({ status: 503, attempts: 3 });
    script = [422];
    expect((await sim.startPayment()).response).toMatchObject({ status: 422, attempts: 1 });
    sim.close();
  });
});
