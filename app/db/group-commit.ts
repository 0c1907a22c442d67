/** What became of one item of a batch: its value, or the error that rolled it back alone. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface GroupCommit<I, O> {
  /** Queues the item for the next batch; settles once the batch's transaction has committed. */
  write(item: I): Promise<O>;
}

/**
 * Group commit (decisions 0017, 0018): items written in the same turn of the event
 * loop go to `writeBatch` together, at most `maxBatch` at a time; while a batch is
 * being written, the items that arrive meanwhile wait and go together as the next
 * one (one batch in flight: the busier the writer, the larger its batches), and each caller is
 * answered once the batch's transaction has committed, so an answer promises
 * exactly what it promised when each item had a transaction of its own.
 * `writeBatch` settles each item on its own (a savepoint per item): one item's
 * failure rejects that item alone. If `writeBatch` itself throws, nothing of the
 * batch was kept and every item of it is rejected with that error.
 * Alone, an item waits one `setImmediate` (microseconds) for company.
 */
export function groupCommit<I, O>(writeBatch: (batch: I[]) => Promise<Settled<O>[]>, maxBatch: number): GroupCommit<I, O> {
  const queue: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;
  let writing = false;

  function schedule() {
    if (scheduled || writing) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    writing = true;
    let settled: Settled<O>[];
    try {
      settled = await writeBatch(batch.map(({ item }) => item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    } finally {
      writing = false;
      // What arrived meanwhile (or did not fit) goes next, after this batch's answers.
      if (queue.length > 0) schedule();
    }
    batch.forEach((waiting, i) => {
      const outcome = settled[i];
      if (!outcome) waiting.reject(new Error(`group commit: the batch settled ${settled.length} of ${batch.length} items`));
      else if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }

  return {
    write: (item) =>
      new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      }),
  };
}
