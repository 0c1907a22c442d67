import { idempotencyInFlight, idempotencyMismatch, StripeApiError } from "./errors";
import type { FormObject } from "./form";

/**
 * Stripe's Idempotency-Key semantics for POST requests (https://docs.stripe.com/api/idempotent_requests):
 * the first answer given once the endpoint began executing is kept (status and body, errors
 * included) and replayed to every retry with the same key and the same parameters; the same key
 * with other parameters, or on another endpoint, is an idempotency_error (400); a retry while the
 * first request still runs is a 409. Keys belong to one account and mode, and are forgotten after
 * 24 hours.
 */
export interface StoredAnswer {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  createdAt: number;
  answer: StoredAnswer | null;
}

export type Begin = { kind: "new"; finish: (answer: StoredAnswer, saved: boolean) => void } | { kind: "replay"; answer: StoredAnswer };

const KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** The same parameters in any order of fields give the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  begin(scope: string, key: string, method: string, path: string, params: FormObject): Begin {
    if (key.length > 255) {
      throw new StripeApiError(400, { type: "invalid_request_error", message: "Idempotency-Key values can be no longer than 255 characters." });
    }
    this.prune();
    const id = `${scope}\u0000${key}`;
    const fingerprint = `${method} ${path} ${canonical(params)}`;
    const existing = this.entries.get(id);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw idempotencyMismatch(key);
      if (!existing.answer) throw idempotencyInFlight();
      return { kind: "replay", answer: existing.answer };
    }
    const entry: Entry = { fingerprint, createdAt: this.now(), answer: null };
    this.entries.set(id, entry);
    return {
      kind: "new",
      finish: (answer, saved) => {
        if (saved) entry.answer = answer;
        else this.entries.delete(id);
      },
    };
  }

  private prune(): void {
    const cutoff = this.now() - KEY_TTL_MS;
    for (const [id, entry] of this.entries) if (entry.answer && entry.createdAt < cutoff) this.entries.delete(id);
  }
}
