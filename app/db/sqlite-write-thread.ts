import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Settled } from "./group-commit";

/**
 * A SQLite connection on a thread of its own, for writes that the request thread
 * must not wait on with its event loop (decision 0018). A batch of items is one
 * `BEGIN IMMEDIATE` transaction; each item runs in a savepoint of its own, so an
 * item that fails rolls back alone and the batch's others are kept. The thread
 * waits for the write lock itself, blocking only itself, never the event loop
 * that a Prisma transaction holding the lock needs in order to finish; it polls
 * every 0.25 to 4 ms (SQLite's own busy handler sleeps up to 100 ms at a time,
 * which a checkpoint's few milliseconds would turn into the requests' p99).
 *
 * The thread knows nothing of the app's tables: it is given SQL statements once,
 * and then items made of steps (a statement's index and its parameters, already
 * in SQLite's storage types).
 */
export type SqliteParam = string | number | bigint | null;

export interface WriteStep {
  statement: number;
  params: SqliteParam[];
  /** When this step changes no row (an INSERT … ON CONFLICT DO NOTHING that met its row), the item ends here, kept as written so far. */
  endUnlessChanged?: boolean;
}

/** Per item: true when every step ran, false when a step with endUnlessChanged changed nothing. */
export type ItemOutcome = Settled<boolean>;

export interface SqliteWriteThread {
  write(items: WriteStep[][]): Promise<ItemOutcome[]>;
  /** Finishes the batches sent, closes the connection and ends the thread. */
  close(): Promise<void>;
}

/** A driver error as it crosses the thread: its name, SQLite's code and message (which name columns, never values). */
export class SqliteWriteError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "SqliteError";
  }
}

// CommonJS for the worker's eval; the driver is resolved by the main thread and passed in.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.exec(workerData.settings);
db.pragma("busy_timeout = 0");
const statements = workerData.statements.map((sql) => db.prepare(sql));
const describe = (error) => ({ code: error && error.code, message: String((error && error.message) || error) });
const item = db.transaction((steps) => {
  for (const step of steps) {
    const { changes } = statements[step.statement].run(...step.params);
    if (step.endUnlessChanged && changes === 0) return false;
  }
  return true;
});
const batch = db.transaction((items) =>
  items.map((steps) => {
    try {
      return { ok: true, value: item(steps) };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  }),
);
const pause = new Int32Array(new SharedArrayBuffer(4));
const whenUnlocked = (items) => {
  const deadline = Date.now() + workerData.lockWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return batch.immediate(items);
    } catch (error) {
      const busy = error && typeof error.code === "string" && error.code.startsWith("SQLITE_BUSY");
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(4, 0.25 * 2 ** attempt));
    }
  }
};
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, outcomes: whenUnlocked(message.items) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: describe(error) });
  }
});
`;

type Described = { code?: string; message: string };
type Reply = { id: number; outcomes: ({ ok: true; value: boolean } | { ok: false; error: Described })[] } | { id: number; error: Described };

export function startSqliteWriteThread(options: {
  file: string;
  /** PRAGMAs run once on the thread's connection. */
  settings: string;
  /** How long a batch waits for the write lock before it is refused (SQLITE_BUSY). */
  lockWaitMs: number;
  statements: readonly string[];
}): SqliteWriteThread {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const pending = new Map<number, { resolve: (outcomes: ItemOutcome[]) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();

  // Started at the first write, and again after a thread that stopped (its batches were refused).
  function running(): Worker {
    if (worker) return worker;
    const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...options, driver } });
    started.on("message", (reply: Reply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if ("error" in reply) waiting.reject(new SqliteWriteError(reply.error.code, reply.error.message));
      else waiting.resolve(reply.outcomes.map((outcome) => (outcome.ok ? outcome : { ok: false, error: new SqliteWriteError(outcome.error.code, outcome.error.message) })));
    });
    // A thread that fails (its database cannot be opened, say) exits after this: its batches are refused with the cause.
    let failure: unknown = null;
    started.on("error", (error) => (failure = error));
    exited = new Promise<void>((resolve) =>
      started.once("exit", () => {
        worker = null;
        const refused = [...pending.values()];
        pending.clear();
        for (const waiting of refused) waiting.reject(failure ?? new Error("the SQLite write thread stopped before answering"));
        resolve();
      }),
    );
    worker = started;
    return started;
  }

  return {
    write(items) {
      const thread = running();
      const id = nextId++;
      // Referenced while it owes answers: a script's last writes are not cut off by its exit.
      if (pending.size === 0) thread.ref();
      return new Promise<ItemOutcome[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        thread.postMessage({ id, items });
      });
    },
    async close() {
      if (!worker) return;
      // Referenced until it exits: a script awaiting close() with nothing else to do would otherwise end first.
      worker.ref();
      worker.postMessage("close");
      await exited;
    },
  };
}
