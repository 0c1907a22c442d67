import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SQLITE_SETTINGS } from "./adapter";
import { startSqliteWriteThread, SqliteWriteError, type SqliteWriteThread } from "./sqlite-write-thread";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const STATEMENTS = [
  "INSERT INTO parent (id) VALUES (?) ON CONFLICT (id) DO NOTHING",
  "INSERT INTO child (parentId, name) VALUES (?, ?)",
];
const parent = (id: string, endUnlessChanged = true) => ({ statement: 0, params: [id], endUnlessChanged });
const child = (parentId: string, name: string | null) => ({ statement: 1, params: [parentId, name] });

function openDatabase(lockWaitMs = 5_000): { file: string; db: Database.Database; thread: SqliteWriteThread } {
  const dir = mkdtempSync(path.join(tmpdir(), "write-thread-"));
  const file = path.join(dir, "db.sqlite");
  const db = new Database(file);
  db.exec(SQLITE_SETTINGS);
  db.exec("CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (parentId TEXT NOT NULL REFERENCES parent (id), name TEXT NOT NULL)");
  const thread = startSqliteWriteThread({ file, settings: SQLITE_SETTINGS, statements: STATEMENTS, lockWaitMs });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => void db.close(), () => thread.close());
  return { file, db, thread };
}

const children = (db: Database.Database) => db.prepare("SELECT parentId, name FROM child ORDER BY parentId, name").all();

describe("the SQLite write thread", () => {
  it("writes a batch in one transaction, each item whole or not at all, and says which items ended early", async () => {
    const { db, thread } = openDatabase();
    db.prepare("INSERT INTO parent (id) VALUES ('stored')").run();
    const outcomes = await thread.write([
      [parent("a"), child("a", "a1"), child("a", "a2")],
      // Its parent row is written before its second child fails: it goes with it.
      [parent("b"), child("b", "b1"), child("b", null)],
      // The parent exists: the item ends there, and its child is not written.
      [parent("stored"), child("stored", "never")],
      [parent("c"), child("c", "c1")],
    ]);
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : "refused"))).toEqual([true, "refused", false, true]);
    const refused = outcomes[1];
    expect(refused?.ok === false && refused.error).toBeInstanceOf(SqliteWriteError);
    expect(refused?.ok === false && (refused.error as SqliteWriteError).code).toBe("SQLITE_CONSTRAINT_NOTNULL");
    expect(db.prepare("SELECT id FROM parent ORDER BY id").pluck().all()).toEqual(["a", "c", "stored"]);
    expect(children(db)).toEqual([
      { parentId: "a", name: "a1" },
      { parentId: "a", name: "a2" },
      { parentId: "c", name: "c1" },
    ]);
  });

  it("waits for a write lock held by another connection, without stopping the event loop, and writes once it is free", async () => {
    const { file, thread } = openDatabase();
    const holder = new Database(file);
    cleanups.push(() => void holder.close());
    holder.exec("BEGIN IMMEDIATE; INSERT INTO parent (id) VALUES ('holder')");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const written = thread.write([[parent("waiting")]]);
    // The event loop runs on while the thread waits (it would not, were the wait on this thread).
    await new Promise<void>((resolve) => {
      const check = setInterval(() => ticks >= 10 && (clearInterval(check), resolve()), 5);
    });
    holder.exec("COMMIT");
    expect(await written).toEqual([{ ok: true, value: true }]);
    clearInterval(ticker);
    expect(holder.prepare("SELECT id FROM parent ORDER BY id").pluck().all()).toEqual(["holder", "waiting"]);
  });

  it("refuses the whole batch, writing none of it, when the lock stays held past the wait", async () => {
    const { file, thread } = openDatabase(50);
    const holder = new Database(file);
    cleanups.push(() => void holder.close());
    holder.exec("BEGIN IMMEDIATE");
    const refused = await thread.write([[parent("late")]]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SqliteWriteError);
    expect((refused as SqliteWriteError).code).toBe("SQLITE_BUSY");
    holder.exec("COMMIT");
    // And the next batch is written.
    expect(await thread.write([[parent("next")]])).toEqual([{ ok: true, value: true }]);
    expect(holder.prepare("SELECT id FROM parent").pluck().all()).toEqual(["next"]);
  });

  it("keeps a script alive until it has closed, when the script has nothing else to wait for", () => {
    const { file } = openDatabase();
    const script = path.join(path.dirname(file), "close.mts");
    const module = fileURLToPath(new URL("./sqlite-write-thread.ts", import.meta.url));
    writeFileSync(
      script,
      `import { startSqliteWriteThread } from ${JSON.stringify(module)};
const thread = startSqliteWriteThread({ file: ${JSON.stringify(file)}, settings: "", statements: ${JSON.stringify(STATEMENTS)}, lockWaitMs: 1000 });
await thread.write([[{ statement: 0, params: ["from-a-script"] }]]);
await thread.close();
console.log("closed");
`,
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: "closed" });
  });

  it("refuses writes with the cause when its database cannot be opened", async () => {
    const thread = startSqliteWriteThread({ file: path.join(tmpdir(), "no-such-dir-for-the-write-thread", "db.sqlite"), settings: "", statements: STATEMENTS, lockWaitMs: 50 });
    cleanups.push(() => thread.close());
    const refused = await thread.write([[parent("x")]]).catch((error: unknown) => error);
    expect(String(refused)).toMatch(/unable to open|directory does not exist|cannot open/i);
  });
});
