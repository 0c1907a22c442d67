import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_DELAYS_SECONDS, parseRetryDelays, retryDelayMs, type RetryPolicy } from "./retry-schedule";

const HOUR_MS = 60 * 60 * 1000;

/** A schedule of 0 s, 5 s and 10 s without jitter, unless told otherwise. */
function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { delaysSeconds: [0, 5, 10], jitter: 0, ...overrides };
}

describe("parseRetryDelays", () => {
  it("reads comma-separated seconds, with or without spaces and with decimals", () => {
    expect(parseRetryDelays("0, 5,10.5")).toEqual([0, 5, 10.5]);
  });

  it("reads a single delay", () => {
    expect(parseRetryDelays("30")).toEqual([30]);
  });

  for (const { why, text } of [
    { why: "an empty text", text: "" },
    { why: "a blank text", text: " " },
    { why: "an empty entry", text: "5,,10" },
    { why: "a trailing comma", text: "5,10," },
    { why: "a unit after the number", text: "5s" },
    { why: "a negative delay", text: "-1" },
    { why: "an exponent", text: "1e3" },
  ]) {
    it(`refuses ${why} ("${text}")`, () => {
      expect(() => parseRetryDelays(text)).toThrow(new Error(`"${text}" is not a comma-separated list of non-negative seconds`));
    });
  }
});

describe("retryDelayMs", () => {
  it("waits the schedule's first delay after the first failed attempt", () => {
    expect(retryDelayMs(policy({ delaysSeconds: [3, 5, 10] }), 1)).toBe(3000);
  });

  it("waits the schedule's n-th delay after the n-th failed attempt", () => {
    expect(retryDelayMs(policy(), 2)).toBe(5000);
    expect(retryDelayMs(policy(), 3)).toBe(10000);
  });

  it("retries at once when the schedule's delay is 0", () => {
    expect(retryDelayMs(policy(), 1)).toBe(0);
  });

  it("gives up (null) after the attempt that used the schedule's last delay", () => {
    expect(retryDelayMs(policy(), 4)).toBeNull();
  });

  it("keeps fractional seconds as whole milliseconds", () => {
    expect(retryDelayMs(policy({ delaysSeconds: [10.5] }), 1)).toBe(10500);
  });

  it("shortens the delay by the full jitter when random gives 0", () => {
    expect(retryDelayMs(policy({ jitter: 0.2 }), 3, 0, () => 0)).toBe(8000);
  });

  it("lengthens the delay by the full jitter when random gives 1", () => {
    expect(retryDelayMs(policy({ jitter: 0.2 }), 3, 0, () => 1)).toBe(12000);
  });

  it("keeps the delay exact when random gives 0.5", () => {
    expect(retryDelayMs(policy({ jitter: 0.2 }), 3, 0, () => 0.5)).toBe(10000);
  });

  it("waits minimumMs when it is longer than the scheduled delay", () => {
    expect(retryDelayMs(policy(), 2, 60_000)).toBe(60_000);
  });

  it("waits minimumMs when it is longer than the delay after jitter", () => {
    expect(retryDelayMs(policy({ jitter: 0.2 }), 3, 11_000, () => 0)).toBe(11_000);
  });

  it("waits the scheduled delay when minimumMs is shorter", () => {
    expect(retryDelayMs(policy(), 2, 1000)).toBe(5000);
  });

  it("still gives up after the schedule's last delay whatever minimumMs asks for", () => {
    expect(retryDelayMs(policy(), 4, 60_000)).toBeNull();
  });
});

describe("DEFAULT_RETRY_DELAYS_SECONDS", () => {
  it("spreads retries over roughly 30 hours (between 29 and 31)", () => {
    const totalMs = DEFAULT_RETRY_DELAYS_SECONDS.reduce((total, _delay, index) => {
      const delay = retryDelayMs({ delaysSeconds: DEFAULT_RETRY_DELAYS_SECONDS, jitter: 0 }, index + 1);
      if (delay === null) throw new Error(`attempt ${index + 1} has no delay`);
      return total + delay;
    }, 0);

    expect(totalMs).toBeGreaterThanOrEqual(29 * HOUR_MS);
    expect(totalMs).toBeLessThanOrEqual(31 * HOUR_MS);
  });
});
