import { describe, expect, it } from "vitest";
import { newRowId } from "./row-id";

describe("newRowId", () => {
  it("makes 25-character ids of lowercase base 36 after a c, like Prisma's cuid, that a buyer link can carry", () => {
    for (let i = 0; i < 100; i++) expect(newRowId()).toMatch(/^c[0-9a-z]{24}$/);
  });

  it("never repeats, even within one millisecond", () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 20_000 }, () => newRowId(now)));
    expect(ids.size).toBe(20_000);
  });

  it("orders by time first", () => {
    expect(newRowId(Date.UTC(2026, 0, 1)) < newRowId(Date.UTC(2026, 0, 2))).toBe(true);
  });
});
