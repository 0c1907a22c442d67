import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** The shop of the n-th seeded payment. */
export const shopOf = (n: number, shops: number) => `bench-${n % shops}.myshopify.com`;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

export interface SeedOptions {
  rows: number;
  shops: number;
  /**
   * Refunds (1 in 10 resolved), failing deliveries (1 in 2,000) and, as in real
   * life (the app keeps them), the succeeded delivery of every other resolved or
   * rejected payment: the admin list and the overview need them.
   */
  extras: boolean;
  progress?: boolean;
}

/**
 * A migrated SQLite file at `file` holding `rows` payment sessions over `shops`
 * shops (all installed), spread over the last 90 days, with realistic shares of
 * statuses, kinds, test mode and currencies taken over each shop's own rows.
 * Written with better-sqlite3 directly: a million rows take about a minute.
 */
export function seedPayments(file: string, { rows: ROWS, shops: SHOPS, extras, progress = false }: SeedOptions): void {
  rmSync(file, { force: true });
  mkdirSync(path.dirname(file), { recursive: true });
  const migrate = spawnSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: `file:${file}` }, stdio: ["ignore", "ignore", "inherit"] });
  if (migrate.status !== 0) throw new Error("prisma migrate deploy failed");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = Date.now();
  const shops = Array.from({ length: SHOPS }, (_, i) => shopOf(i, SHOPS));
  db.transaction(() => {
    const shop = db.prepare(`INSERT INTO "Shop" ("domain", "createdAt", "ready") VALUES (?, ?, 1)`);
    const session = db.prepare(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "accessToken") VALUES (?, ?, 'bench', 0, 'write_payment_gateways,write_payment_sessions', ?)`);
    // The embedded admin works on online tokens (staff by name): staff member 1 of each shop has one.
    const online = db.prepare(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "expires", "accessToken", "userId", "firstName", "lastName", "email") VALUES (?, ?, 'bench', 1, 'write_payment_gateways,write_payment_sessions', ?, ?, 1, 'Bench', 'Staff', 'staff@example.com')`);
    for (const domain of shops) {
      shop.run(domain, iso(now));
      session.run(`offline_${domain}`, domain, `shpat_bench_${domain}`);
      online.run(`${domain}_1`, domain, iso(now + 365 * 86_400_000), `shpua_bench_${domain}`);
    }
  })();

  const payment = db.prepare(`INSERT INTO "PaymentSession" ("id", "shop", "shopifyId", "gid", "group", "amountMinor", "amount", "currency", "test", "merchantLocale", "kind", "paymentMethodType", "cancelUrl", "proposedAt", "customerEmail", "shopifyApiVersion", "shopifyRequestId", "requestHash", "status", "receivedAt", "resolvedAt", "rejectedAt", "pendingAt", "pendingExpiresAt", "authorizationExpiresAt", "rejectionCode", "ledgerVersion", "updatedAt")
    VALUES (@id, @shop, @shopifyId, @gid, @group, @amountMinor, @amount, @currency, @test, 'en', @kind, 'offsite', 'https://example.myshopify.com/cancel', @at, @email, '2026-04', @requestId, @requestId, @status, @at, @resolvedAt, @rejectedAt, @pendingAt, @pendingExpiresAt, @authorizationExpiresAt, @rejectionCode, 0, @at)`);
  const refund = db.prepare(`INSERT INTO "RefundSession" ("id", "shop", "shopifyId", "gid", "paymentSessionId", "amountMinor", "amount", "currency", "test", "merchantLocale", "proposedAt", "shopifyApiVersion", "shopifyRequestId", "requestHash", "status", "receivedAt", "resolvedAt", "processAfter", "updatedAt")
    VALUES (?, ?, ?, ?, ?, 500, '5.00', ?, ?, 'en', ?, '2026-04', ?, ?, 'RESOLVED', ?, ?, ?, ?)`);
  const delivery = db.prepare(`INSERT INTO "Delivery" ("id", "shop", "operation", "sessionGid", "paymentSessionId", "status", "attempts", "nextAttemptAt", "lastError", "createdAt", "updatedAt")
    VALUES (?, ?, 'PAYMENT_RESOLVE', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const delivered = db.prepare(`INSERT INTO "Delivery" ("id", "shop", "operation", "sessionGid", "paymentSessionId", "status", "attempts", "nextAttemptAt", "resultStateCode", "createdAt", "updatedAt", "succeededAt")
    VALUES (?, ?, ?, ?, ?, 'SUCCEEDED', 1, ?, ?, ?, ?, ?)`);
  const currencies = ["USD", "USD", "USD", "EUR", "CAD", "JPY", "KWD"];
  const span = 90 * 86_400_000;
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      // Shares are taken over each shop's own rows (k), not over n, which picks the shop.
      const k = Math.floor(n / SHOPS);
      const id = `c${n.toString(36).padStart(9, "0")}bench`;
      const shopifyId = `pay_${n.toString(36)}`;
      const at = iso(now - span + Math.floor((n / ROWS) * span));
      // 85 % resolved, 8 % rejected, 5 % open, 2 % pending; 30 % test; 25 % authorizations.
      const roll = k % 100;
      const status = roll < 85 ? "RESOLVED" : roll < 93 ? "REJECTED" : roll < 98 ? "OPEN" : "PENDING";
      const currency = currencies[k % currencies.length] ?? "USD";
      const kind = k % 4 === 0 ? "AUTHORIZATION" : "SALE";
      payment.run({
        id,
        shop: shopOf(n, SHOPS),
        shopifyId,
        gid: `gid://shopify/PaymentSession/${shopifyId}`,
        group: `grp_${n.toString(36)}`,
        amountMinor: currency === "JPY" ? 4999 : currency === "KWD" ? 49_999 : 4999,
        amount: currency === "JPY" ? "4999" : currency === "KWD" ? "49.999" : "49.99",
        currency,
        test: k % 10 < 3 ? 1 : 0,
        kind,
        at,
        email: `buyer${n}@example.com`,
        requestId: `req_${n.toString(36)}`,
        status,
        resolvedAt: status === "RESOLVED" ? at : null,
        rejectedAt: status === "REJECTED" ? at : null,
        rejectionCode: status === "REJECTED" ? "CARD_DECLINED" : null,
        pendingAt: status === "PENDING" ? at : null,
        pendingExpiresAt: status === "PENDING" ? iso(now + 86_400_000) : null,
        authorizationExpiresAt: status === "RESOLVED" && kind === "AUTHORIZATION" ? iso(Date.parse(at) + 7 * 86_400_000) : null,
      });
      // One in ten resolved payments has a refund; one in 2,000 a failing delivery.
      if (extras && status === "RESOLVED" && k % 10 === 1) refund.run(`r${id}`, shopOf(n, SHOPS), `ref_${n.toString(36)}`, `gid://shopify/RefundSession/ref_${n.toString(36)}`, id, currency, k % 10 < 3 ? 1 : 0, at, `rreq_${n.toString(36)}`, `rreq_${n.toString(36)}`, at, at, at, at);
      if (extras && status === "RESOLVED" && k % 2000 === 5) delivery.run(`d${id}`, shopOf(n, SHOPS), `gid://shopify/PaymentSession/${shopifyId}`, id, k % 4000 === 5 ? "DEAD" : "PENDING", 3, at, "HTTP 503", at, at);
      else if (extras && (status === "RESOLVED" || status === "REJECTED")) {
        // Shopify has the outcome 0.3 to 5.2 s after the payment arrived.
        const succeededAt = iso(Date.parse(at) + 300 + (k % 50) * 100);
        delivered.run(`d${id}`, shopOf(n, SHOPS), status === "RESOLVED" ? "PAYMENT_RESOLVE" : "PAYMENT_REJECT", `gid://shopify/PaymentSession/${shopifyId}`, id, at, status, at, succeededAt, succeededAt);
      }
    }
  });
  for (let from = 0; from < ROWS; from += 50_000) {
    batch(from, Math.min(ROWS, from + 50_000));
    if (progress) process.stdout.write(`\r  seeding ${Math.min(ROWS, from + 50_000).toLocaleString("en")} / ${ROWS.toLocaleString("en")}`);
  }
  db.exec("ANALYZE");
  db.close();
}

/**
 * The file name of a seeded template of `rows` payments, named after the newest
 * migration: a template kept in .cache from an older schema (an index since
 * dropped, say) would measure that schema, so a new migration seeds a new one.
 */
export function seededTemplateName(rows: number): string {
  const migrations = readdirSync(path.resolve("prisma", "migrations"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const newest = migrations.map((entry) => entry.name).sort().at(-1) ?? "none";
  return `template-${rows}-${newest}.sqlite`;
}
