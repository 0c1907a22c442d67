// The inbound benchmark's baseline: the least a server can do with a payment
// session request — node:http, JSON.parse, one INSERT (better-sqlite3 in WAL
// mode, or one pg pool query), a 201 — so the app's figure can be read as a
// share of what this machine and database allow. Prints {"url"} once listening.
// Usage: tsx bench/support/baseline-server.ts <file:path | postgresql://…>
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import pg from "pg";

const target = process.argv[2] ?? "";
const DDL = `CREATE TABLE IF NOT EXISTS baseline_payment (id TEXT PRIMARY KEY, shop TEXT NOT NULL, gid TEXT NOT NULL, amount TEXT NOT NULL, currency TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL)`;

type Insert = (row: string[]) => Promise<void>;

async function openInsert(): Promise<Insert> {
  if (target.startsWith("file:")) {
    const db = new Database(target.slice("file:".length));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(DDL);
    const insert = db.prepare("INSERT INTO baseline_payment VALUES (?, ?, ?, ?, ?, ?, ?)");
    return (row) => {
      insert.run(...row);
      return Promise.resolve();
    };
  }
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  await pool.query(DDL);
  return async (row) => {
    await pool.query("INSERT INTO baseline_payment VALUES ($1, $2, $3, $4, $5, $6, $7)", row);
  };
}

const insert = await openInsert();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    let body: { id?: string; gid?: string; amount?: string; currency?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      res.writeHead(400).end();
      return;
    }
    insert([body.id ?? "", String(req.headers["shopify-shop-domain"] ?? ""), body.gid ?? "", body.amount ?? "", body.currency ?? "", text, new Date().toISOString()])
      .then(() => res.writeHead(201, { "Content-Type": "application/json" }).end(`{"redirect_url":"https://payments.example/pay/${body.id}"}`))
      .catch(() => res.writeHead(500).end());
  });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
