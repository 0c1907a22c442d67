/**
 * Faults for the next API requests, set through POST /_sandbox/faults:
 *   - "500": a 500 api_error, nothing applied;
 *   - "429": a 429 rate_limit_error with Stripe's headers, nothing applied;
 *   - "latency": the request waits latencyMs, then runs normally;
 *   - "lost": the request is applied (and its answer kept for its Idempotency-Key), then the
 *     connection is destroyed without an answer, as when a response is lost on the way back.
 */
export const FAULT_KINDS = ["500", "429", "latency", "lost"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it hits (default 1). */
  count?: number;
  latencyMs?: number;
  /** Only requests whose path starts with this (e.g. "/v1/refunds"). */
  path?: string;
  /** Only requests with this method. */
  method?: string;
  /** For 429: also send `Stripe-Should-Retry: true`, which makes the SDKs retry it. */
  shouldRetry?: boolean;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export class FaultQueue {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.count ?? 1 });
  }

  /** The first armed fault matching this request, used up by one. */
  take(method: string, path: string): FaultSpec | null {
    const fault = this.faults.find((f) => (!f.path || path.startsWith(f.path)) && (!f.method || f.method.toUpperCase() === method));
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  list(): FaultSpec[] {
    return this.faults.map(({ remaining, ...spec }) => ({ ...spec, count: remaining }));
  }

  clear(): void {
    this.faults = [];
  }
}
