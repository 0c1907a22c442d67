import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Moves SQLite's WAL checkpoints off the request thread. By default the
 * connection whose commit takes the WAL past 1,000 pages copies them into the
 * database file and fsyncs it, inside that commit: measured here, more than half
 * the time of a payment receipt went to checkpoints (docs/benchmarks.md). The
 * app's connections therefore run with `wal_autocheckpoint = 0`
 * (SQLITE_BACKGROUND_CHECKPOINTS in adapter.ts) and this worker thread, on a
 * connection of its own, checkpoints every `intervalMs` instead. PASSIVE never
 * blocks a writer or a reader; a writer starts the WAL over when it finds it
 * entirely copied, and past `restartAbovePages` a RESTART checkpoint makes it.
 *
 * If the thread ever stops, `onStopped` runs, so that the caller can turn the
 * connections' own checkpoints back on rather than let the WAL grow.
 */
export interface SqliteCheckpointer {
  stop(): Promise<void>;
}

// CommonJS for the worker's eval; the driver is resolved by the main thread and passed in.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
const tick = () => {
  try {
    let [result] = db.pragma("wal_checkpoint(PASSIVE)");
    // Under steady writes, writers never find the WAL entirely copied (they start
    // it over only then), so it grows. Past the threshold, a RESTART checkpoint
    // copies the rest and makes the next writer start the WAL over; it holds
    // writers off while it runs, so it runs right after the passive pass, when the
    // only frames left are those committed since. (TRUNCATE did the same and cut
    // the file to nothing, so that writers grew it again: measured under load,
    // its stalls doubled the app's p99; journal_size_limit, adapter.ts, bounds the file.)
    if (result.log > workerData.restartAbovePages) [result] = db.pragma("wal_checkpoint(RESTART)");
    parentPort.postMessage({ type: "checkpoint", ...result });
  } catch (error) {
    parentPort.postMessage({ type: "error", code: String(error.code || error.name) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  tick();
  db.close();
  parentPort.close();
});
`;

export interface CheckpointResult {
  /** Pages in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export function startSqliteCheckpointer(options: {
  file: string;
  intervalMs: number;
  /** Default 10,000 pages (40 MB with 4 KB pages): under sustained writes, about once a second. */
  restartAbovePages?: number;
  onCheckpoint?: (result: CheckpointResult) => void;
  onError?: (code: string) => void;
  onStopped?: () => void;
}): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: options.file, intervalMs: options.intervalMs, restartAbovePages: options.restartAbovePages ?? 10_000, driver },
  });
  let stopping = false;
  worker.on("message", (message: { type: string; code?: string } & CheckpointResult) => {
    if (message.type === "checkpoint") options.onCheckpoint?.({ log: message.log, checkpointed: message.checkpointed });
    else options.onError?.(message.code ?? "unknown");
  });
  worker.on("error", (error) => options.onError?.(error.name));
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      if (!stopping) options.onStopped?.();
      resolve();
    }),
  );
  // The checkpointer alone must not keep a finished process alive.
  worker.unref();
  return {
    async stop() {
      stopping = true;
      worker.postMessage("stop");
      await exited;
    },
  };
}
