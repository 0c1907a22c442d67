// Benchmark (not a test): the CPU cost of the parts of a payment session request,
// each alone, in this process: validation (JSON + zod), the customer's encryption,
// the whole domain step without a database, and the SQLite receipt write (10k
// payments stored). Median of ROUNDS rounds of ITERATIONS each, in µs of CPU
// (user + system) per operation: figures that hold on a machine shared with other work.
// Usage: npm run bench:inbound-parts [-- --iterations 2000 --rounds 7]
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readJsonBody } from "../app/http/json-body.server";
import { createPaymentReceiptStore, type PaymentReceiptStore, type StoredPayment } from "../app/payments/receipt/payment-receipt-store.server";
import { receivePaymentSession } from "../app/payments/receipt/payment-sessions.server";
import { paymentSessionRequestSchema, type PaymentSessionRequest } from "../app/payments/receipt/session-request-schemas";
import { startSqliteCheckpointer } from "../app/db/sqlite-checkpointer";
import { encryptPii, piiKeyringFromEnv } from "../app/privacy/pii-crypto.server";
import { paymentBody } from "./support/payment-body";
import { seededTemplateName, seedPayments } from "./support/seed-payments";

const { values } = parseArgs({ options: { iterations: { type: "string", default: "2000" }, rounds: { type: "string", default: "7" } } });
const ITERATIONS = Number(values.iterations);
const ROUNDS = Number(values.rounds);
const DIR = path.resolve(".cache", "bench-inbound-parts");

const keyring = piiKeyringFromEnv({ PII_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`, PII_LOOKUP_KEY: Buffer.alloc(32, 9).toString("base64"), SHOPIFY_API_SECRET: "bench" });
const meta = () => ({ shop: "bench-1.myshopify.com", requestId: randomBytes(16).toString("hex"), apiVersion: "2026-04" });
const jsonRequest = (text: string) => {
  const body = new TextEncoder().encode(text);
  return { header: (name: string) => (name === "content-type" ? "application/json" : name === "content-length" ? String(body.byteLength) : null), body };
};

/** Median µs of CPU per operation; `prepare` runs outside the measured span. */
async function cpuPerOp<T>(prepare: (i: number) => T, op: (input: T) => unknown): Promise<number> {
  const perRound: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    const inputs = Array.from({ length: ITERATIONS }, (_, i) => prepare(i));
    const before = process.cpuUsage();
    for (const input of inputs) await op(input);
    const used = process.cpuUsage(before);
    if (round > 0) perRound.push((used.user + used.system) / ITERATIONS); // round 0 warms up
  }
  return perRound.sort((a, b) => a - b)[Math.floor(perRound.length / 2)] ?? NaN;
}

/** A store that writes nothing: the domain step's own cost. */
const nullStore: PaymentReceiptStore = {
  find: () => Promise.resolve(null),
  insert: (session): Promise<StoredPayment> => Promise.resolve({ id: "c1", shopifyId: session.shopifyId, receivedAt: new Date(), requestHash: session.requestHash }),
  recordReplay: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

function freshSqlite(): string {
  const template = path.join(DIR, seededTemplateName(10_000));
  if (!existsSync(template)) seedPayments(template, { rows: 10_000, shops: 100, extras: false });
  const file = path.join(DIR, "run.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  copyFileSync(template, file);
  return `file:${file}`;
}

async function main() {
  mkdirSync(DIR, { recursive: true });
  const parsed = (): PaymentSessionRequest => readJsonBody(jsonRequest(paymentBody()), paymentSessionRequestSchema);
  const figures: [string, number][] = [];
  figures.push(["validation: JSON.parse + zod", await cpuPerOp(() => jsonRequest(paymentBody()), (request) => readJsonBody(request, paymentSessionRequestSchema))]);
  figures.push(["one AES-256-GCM field", await cpuPerOp(() => "buyer@example.com", (value) => encryptPii(keyring, "PaymentSession.customerEmail", value))]);
  figures.push(["domain step (fingerprint, encryption), no database", await cpuPerOp(() => parsed(), (body) => receivePaymentSession(nullStore, keyring, meta(), body))]);
  const parsedSpec = (): PaymentSessionRequest => readJsonBody(jsonRequest(paymentBody("spec")), paymentSessionRequestSchema);
  figures.push(["domain step, the spec's example customer (two full addresses)", await cpuPerOp(() => parsedSpec(), (body) => receivePaymentSession(nullStore, keyring, meta(), body))]);
  const url = freshSqlite();
  const store = createPaymentReceiptStore(url, { backgroundCheckpoints: true });
  // Checkpoints on their own thread, as in the app (app/db.server.ts), counted in the CPU
  // figures (process.cpuUsage covers every thread); without them the WAL grows without end.
  const checkpointer = startSqliteCheckpointer({ file: url.slice("file:".length), intervalMs: 50 });
  figures.push(["receipt on SQLite: domain step + look-up + write, one at a time", await cpuPerOp(() => parsed(), (body) => receivePaymentSession(store, keyring, meta(), body))]);
  figures.push([
    "receipt on SQLite, 10 concurrent",
    await cpuPerOp(() => Array.from({ length: 10 }, parsed), (bodies) => Promise.all(bodies.map((body) => receivePaymentSession(store, keyring, meta(), body)))) / 10,
  ]);
  figures.push([
    "receipt on SQLite, 50 concurrent",
    await cpuPerOp(() => Array.from({ length: 50 }, parsed), (bodies) => Promise.all(bodies.map((body) => receivePaymentSession(store, keyring, meta(), body)))) / 50,
  ]);
  await store.close();
  console.log(`Parts of POST /sessions/payment: µs of CPU per operation, median of ${ROUNDS} rounds of ${ITERATIONS}\n`);
  for (const [label, us] of figures) console.log(`  ${label.padEnd(66)}${us.toFixed(1).padStart(8)}`);
  // The checkpointer's thread is unref'd: its stop would wait for an exit nothing keeps the process alive for.
  void checkpointer.stop();
}

await main();
