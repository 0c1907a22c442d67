import { describe, expect, it, vi } from "vitest";
import { groupCommit, type Settled } from "./group-commit";

/** A writer that records the batches it was given and settles each item as `settle` says. */
function recordingWriter(settle: (item: number) => Settled<string> = (item) => ({ ok: true, value: `stored ${item}` })) {
  const batches: number[][] = [];
  const write = (batch: number[]) => {
    batches.push(batch);
    return Promise.resolve(batch.map(settle));
  };
  return { batches, write };
}

describe("group commit", () => {
  it("writes the items of one turn of the event loop as one batch and answers each with its own value", async () => {
    const writer = recordingWriter();
    const commits = groupCommit(writer.write, 64);
    const answers = await Promise.all([1, 2, 3].map((item) => commits.write(item)));
    expect(answers).toEqual(["stored 1", "stored 2", "stored 3"]);
    expect(writer.batches).toEqual([[1, 2, 3]]);
  });

  it("answers nobody before the batch is written", async () => {
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));
    const commits = groupCommit(async (batch: number[]) => {
      await committed;
      return batch.map((item): Settled<number> => ({ ok: true, value: item }));
    }, 64);
    let answered = false;
    const answer = commits.write(1).then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    release();
    await answer;
    expect(answered).toBe(true);
  });

  it("writes one turn's items in batches of at most the cap, in the order they came", async () => {
    const writer = recordingWriter();
    const commits = groupCommit(writer.write, 4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => commits.write(i)));
    expect(writer.batches).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it("writes items of later turns in later batches", async () => {
    const writer = recordingWriter();
    const commits = groupCommit(writer.write, 64);
    await commits.write(1);
    await Promise.all([commits.write(2), commits.write(3)]);
    expect(writer.batches).toEqual([[1], [2, 3]]);
  });

  it("while a batch is being written, holds the items that arrive and writes them together as the next batch", async () => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    const commits = groupCommit((batch: number[]) => {
      batches.push(batch);
      return new Promise<Settled<number>[]>((resolve) => releases.push(() => resolve(batch.map((item) => ({ ok: true, value: item })))));
    }, 64);
    const first = commits.write(1);
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    // Three more, over several turns of the event loop, while batch [1] is unanswered.
    const later = [commits.write(2)];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(commits.write(3));
    await new Promise((resolve) => setTimeout(resolve, 5));
    later.push(commits.write(4));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([[1]]);
    releases[0]?.();
    expect(await first).toBe(1);
    await vi.waitFor(() => expect(batches).toEqual([[1], [2, 3, 4]]));
    releases[1]?.();
    expect(await Promise.all(later)).toEqual([2, 3, 4]);
  });

  it("rejects an item that failed alone and answers the others of its batch", async () => {
    const writer = recordingWriter((item) => (item === 2 ? { ok: false, error: new Error("item 2 refused") } : { ok: true, value: `stored ${item}` }));
    const commits = groupCommit(writer.write, 64);
    const answers = await Promise.allSettled([1, 2, 3].map((item) => commits.write(item)));
    expect(answers).toEqual([
      { status: "fulfilled", value: "stored 1" },
      { status: "rejected", reason: new Error("item 2 refused") },
      { status: "fulfilled", value: "stored 3" },
    ]);
  });

  it("rejects every item of a batch whose transaction failed, and goes on with the next batch", async () => {
    let fail = true;
    const commits = groupCommit((batch: number[]) => {
      if (fail) return Promise.reject(new Error("disk full"));
      return Promise.resolve(batch.map((item): Settled<number> => ({ ok: true, value: item })));
    }, 64);
    const failed = await Promise.allSettled([commits.write(1), commits.write(2)]);
    expect(failed.map((answer) => answer.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await commits.write(3)).toBe(3);
  });

  it("rejects an item the writer did not settle rather than leaving it waiting", async () => {
    const commits = groupCommit((batch: number[]) => Promise.resolve(batch.slice(0, 1).map((item): Settled<number> => ({ ok: true, value: item }))), 64);
    const answers = await Promise.allSettled([commits.write(1), commits.write(2)]);
    expect(answers[0]).toEqual({ status: "fulfilled", value: 1 });
    expect(answers[1]?.status).toBe("rejected");
  });
});
