import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit.server";

describe("token bucket rate limiter", () => {
  it("allows a burst, then refuses with the seconds until the next token", () => {
    const limiter = createRateLimiter({ burst: 3, perSecond: 0.5 });
    const at = 1_000_000;
    expect([limiter.take("a", at), limiter.take("a", at), limiter.take("a", at)]).toEqual([null, null, null]);
    expect(limiter.take("a", at)).toBe(2);
  });

  it("refills over time and keeps keys apart", () => {
    const limiter = createRateLimiter({ burst: 1, perSecond: 1 });
    expect(limiter.take("a", 0)).toBeNull();
    expect(limiter.take("a", 100)).toBe(1);
    expect(limiter.take("b", 100)).toBeNull();
    expect(limiter.take("a", 1200)).toBeNull();
  });

  it("forgets idle buckets instead of growing without bound", () => {
    const limiter = createRateLimiter({ burst: 2, perSecond: 1000 });
    for (let i = 0; i < 60_000; i++) limiter.take(`ip-${i}`, i);
    expect(limiter.size).toBeLessThanOrEqual(50_001);
  });
});
