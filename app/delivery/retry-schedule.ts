/**
 * When to try a delivery again (spec §5.1). Shopify publishes no schedule; this
 * default is the one a reviewed production payments app used: quick retries for
 * blips, then hours apart, about 30 hours in all. Jitter spreads retries of many
 * deliveries that failed together, so they do not hit Shopify at the same moment.
 */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [
  0, 5, 10, 30, 45, 60, 120, 300, 720, 2280, 4560, 9120, 18240, 18240, 18240, 18240, 18240,
];

export interface RetryPolicy {
  /** Delay before attempt n+1 after attempt n failed (index n-1); its length bounds the attempts. */
  delaysSeconds: readonly number[];
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/** Parses "0,5,10,30" (seconds) from the environment. */
export function parseRetryDelays(text: string): number[] {
  // Number("") is 0, so an empty text or entry must be refused before converting.
  const parts = text.split(",").map((part) => part.trim());
  if (parts.some((part) => !/^\d+(\.\d+)?$/.test(part))) {
    throw new Error(`"${text}" is not a comma-separated list of non-negative seconds`);
  }
  return parts.map(Number);
}

/**
 * The delay after the `attempts`-th failed attempt, or null when the schedule is
 * exhausted (the delivery is dead). `minimumMs` honours what Shopify asked for
 * (Retry-After, throttle restore time).
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, minimumMs = 0, random: () => number = Math.random): number | null {
  const base = policy.delaysSeconds[attempts - 1];
  if (base === undefined) return null;
  const factor = 1 + policy.jitter * (random() * 2 - 1);
  return Math.max(Math.round(base * 1000 * factor), minimumMs);
}
