import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "./pooled-random";

describe("pooledRandomBytes", () => {
  it("never hands out the same bytes twice, across refills of its block", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const bytes = pooledRandomBytes(12);
      expect(bytes).toHaveLength(12);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(5_000);
  });

  it("returns buffers of their own that later calls do not change", () => {
    const first = pooledRandomBytes(16);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1_000; i++) pooledRandomBytes(16);
    expect(first.equals(copy)).toBe(true);
  });

  it("looks uniformly random: every byte value turns up, none dominates", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4_000; i++) for (const byte of pooledRandomBytes(16)) counts[byte] = (counts[byte] ?? 0) + 1;
    // 64,000 bytes: 250 of each value expected; the bounds are > 8 standard deviations away.
    expect(Math.min(...counts)).toBeGreaterThan(120);
    expect(Math.max(...counts)).toBeLessThan(380);
  });

  it("serves large requests directly", () => {
    expect(pooledRandomBytes(5_000)).toHaveLength(5_000);
  });
});
