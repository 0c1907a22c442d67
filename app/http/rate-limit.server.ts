/**
 * Token buckets, one per key (a shop, a client IP), in this process's memory:
 * each request takes a token; tokens come back at `perSecond` up to `burst`.
 * An empty bucket answers how long until the next token (for Retry-After).
 * Several app processes each keep their own buckets, so the effective limit is
 * per process; that is enough to blunt a flood, which is what these are for.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

export interface RateLimiter {
  /** Takes a token for `key`: null when allowed, else the seconds to wait. */
  take(key: string, now?: number): number | null;
  readonly size: number;
}

/** Buckets kept at most; past this, full (idle) ones are forgotten first. */
const MAX_BUCKETS = 50_000;

export function createRateLimiter(limit: RateLimit): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();

  function sweep(now: number) {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond >= limit.burst) buckets.delete(key);
    }
    // Still too many (a flood from many keys): drop the oldest.
    for (const key of buckets.keys()) {
      if (buckets.size <= MAX_BUCKETS / 2) break;
      buckets.delete(key);
    }
  }

  return {
    take(key, now = Date.now()) {
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
      const tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
      if (tokens < 1) {
        buckets.set(key, { tokens, at: now });
        return Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));
      }
      buckets.delete(key);
      buckets.set(key, { tokens: tokens - 1, at: now });
      if (buckets.size > MAX_BUCKETS) sweep(now);
      return null;
    },
    get size() {
      return buckets.size;
    },
  };
}
