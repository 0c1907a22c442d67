import { describe, expect, it } from "vitest";
import { cachedStats } from "./database-stats.server";
import { migrationsDirFor } from "./readiness.server";
import { requestIdFrom } from "./request-context.server";

describe("cachedStats", () => {
  it("reads once per period, and shares a read in flight between concurrent scrapes", async () => {
    let now = 0;
    let reads = 0;
    const stats = cachedStats(() => Promise.resolve(++reads), 5000, () => now);
    expect(await Promise.all([stats(), stats()])).toEqual([1, 1]);
    now = 4999;
    expect(await stats()).toBe(1);
    now = 5000;
    expect(await stats()).toBe(2);
  });

  it("reads again after a failed read", async () => {
    let fail = true;
    const stats = cachedStats(() => (fail ? Promise.reject(new Error("database is down")) : Promise.resolve("ok")), 5000);
    await expect(stats()).rejects.toThrow("down");
    fail = false;
    expect(await stats()).toBe("ok");
  });
});

describe("migrationsDirFor", () => {
  it("picks each provider's migrations by the URL's scheme", () => {
    expect(migrationsDirFor("file:./data/app.sqlite")).toBe("prisma/migrations");
    expect(migrationsDirFor("postgresql://app@db:5432/payments")).toBe("prisma/postgresql/migrations");
    expect(migrationsDirFor("postgres://app@db/payments")).toBe("prisma/postgresql/migrations");
  });
});

describe("requestIdFrom", () => {
  it("keeps Shopify's request id and replaces a missing or unsafe one", () => {
    expect(requestIdFrom("7f1c9a8e-1b2c-4d5e-8f90-123456789abc")).toBe("7f1c9a8e-1b2c-4d5e-8f90-123456789abc");
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom("two words")).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom("x".repeat(256))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
