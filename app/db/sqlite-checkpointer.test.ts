import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NO_AUTOCHECKPOINT, SQLITE_SETTINGS } from "./adapter";
import { startSqliteCheckpointer, type CheckpointResult } from "./sqlite-checkpointer";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database whose connection never checkpoints on commit, as the server's are. */
function openDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), "checkpointer-"));
  dirs.push(dir);
  const file = path.join(dir, "db.sqlite");
  const db = new Database(file);
  db.exec(`${SQLITE_SETTINGS} ${NO_AUTOCHECKPOINT}`);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  return { db, file };
}

/** `count` commits of one 2 KB row each, yielding to the event loop now and then. */
async function writeRows(db: Database.Database, count = 2_000) {
  const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
  for (let i = 0; i < count; i++) {
    insert.run("x".repeat(2_000));
    if (i % 50 === 0) await sleep(5);
  }
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;

/**
 * The checkpoints run on their own thread, at its own pace: a busy machine may
 * run few of them during a given number of writes. The tests wait for what they
 * look for (writing on, if it takes writes), with deadlines far beyond a slow machine's.
 */
const DEADLINE = { timeout: 60_000, interval: 20 };

describe("the SQLite checkpointer", () => {
  it("copies the WAL into the database file for connections that do not checkpoint themselves, and the WAL starts over", async () => {
    const { db, file } = openDatabase();
    const results: CheckpointResult[] = [];
    const checkpointer = startSqliteCheckpointer({ file, intervalMs: 10, onCheckpoint: (result) => results.push(result) });
    // Started over at least once: a later checkpoint found a shorter WAL than an earlier
    // one (a writer restarts the WAL once a checkpoint copied all of it).
    const copied = () => results.some((result) => result.checkpointed > 0);
    const startedOver = () => results.some((result, i) => i > 0 && result.log < (results[i - 1]?.log ?? 0));
    let rows = 0;
    await vi.waitFor(async () => {
      await writeRows(db, 100);
      rows += 100;
      expect(copied() && startedOver()).toBe(true);
    }, DEADLINE);
    await checkpointer.stop();

    // The last checkpoint (at stop) copied everything: the rows are in the database file.
    expect(results.at(-1)).toMatchObject({ log: results.at(-1)?.checkpointed });
    db.close();
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: rows });
    reopened.close();
  }, 120_000);

  it("copies all of a WAL that grew past its limit, after which writers start it over and cut its file back to the size limit", async () => {
    const { db, file } = openDatabase();
    // The app's limit is 128 MB; a small one here, to see the cut.
    db.pragma("journal_size_limit = 1000000");
    const results: CheckpointResult[] = [];
    const checkpointer = startSqliteCheckpointer({ file, intervalMs: 10, restartAbovePages: 200, onCheckpoint: (result) => results.push(result) });
    // One commit of about 1,000 pages: whatever the checkpoints' pace, the WAL
    // passes the limit (many small commits may not: a quick checkpointer copies
    // them and the writers restart the WAL before it gets there).
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run("x".repeat(2_000));
    })();
    expect(walBytes(file)).toBeGreaterThan(4_000_000);
    // A checkpoint copied it all; the next write starts the WAL over, and cuts the file.
    await vi.waitFor(() => {
      expect(results.some((result) => result.log > 200 && result.checkpointed === result.log)).toBe(true);
    }, DEADLINE);
    await vi.waitFor(() => {
      insert.run("y");
      expect(walBytes(file)).toBeLessThanOrEqual(1_000_000);
    }, DEADLINE);
    // And what was written is all there.
    expect(db.prepare("SELECT count(*) AS n FROM t WHERE length(body) = 2000").get()).toEqual({ n: 2_000 });
    await checkpointer.stop();
    db.close();
  }, 120_000);

  it("is what bounds the WAL: without it, the same writes leave it growing", async () => {
    const { db, file } = openDatabase();
    await writeRows(db);
    expect(walBytes(file)).toBeGreaterThan(4_000_000);
    db.close();
  });

  it("reports a thread that stopped on its own, so that the server can start another", async () => {
    const { db, file } = openDatabase();
    db.close();
    rmSync(path.dirname(file), { recursive: true, force: true });
    let stopped = false;
    const errors: string[] = [];
    // The database's folder is gone: the thread cannot open it and ends.
    startSqliteCheckpointer({ file, intervalMs: 10, onError: (code) => errors.push(code), onStopped: () => (stopped = true) });
    await vi.waitFor(() => expect(stopped).toBe(true), DEADLINE);
    expect(errors.length).toBeGreaterThan(0);
  }, 120_000);
});
