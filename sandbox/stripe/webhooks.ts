import { createHmac } from "node:crypto";
import { scopeKey } from "./accounts";
import { newId } from "./ids";
import { renderEvent } from "./objects";
import type { EventRecord, WebhookEndpointRecord } from "./records";
import { endpointTakes } from "./store";

/**
 * Delivery of Events to webhook endpoints, as Stripe does it: a JSON POST signed with the
 * endpoint's secret (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`), retried
 * with backoff while the endpoint answers non-2xx or not at all. The same Event's deliveries to
 * one endpoint share the event id, so a receiver can deduplicate.
 *
 * For tests, deliveries can be duplicated, held and released in reverse order, or dropped.
 */
export type DeliveryState = "pending" | "retrying" | "delivered" | "failed" | "dropped" | "held";

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** A copy sent on purpose by the duplicate control. */
  duplicate: boolean;
}

export interface WebhookOptions {
  endpoints: () => Iterable<WebhookEndpointRecord>;
  /**
   * Pauses between attempts. Stripe retries for up to three days with exponential backoff;
   * the default here is that shape compressed (tests pass a few milliseconds).
   */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  /** The time signed into Stripe-Signature (wall clock: receivers check it against theirs). */
  signatureNow?: () => number;
  onDelivered?: (event: EventRecord) => void;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000];

export function signPayload(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private duplicateNext = 0;
  private dropNext = 0;
  private holding = false;
  private readonly held: { delivery: Delivery; event: EventRecord; endpoint: WebhookEndpointRecord }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: WebhookOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** Called for every new Event: one delivery per enabled endpoint of its account and mode that takes it. */
  enqueue(event: EventRecord): void {
    for (const endpoint of this.options.endpoints()) {
      if (scopeKey(endpoint.scope) !== scopeKey(event.scope) || endpoint.status !== "enabled" || !endpointTakes(endpoint, event.type)) continue;
      const copies = this.duplicateNext > 0 ? 2 : 1;
      if (this.duplicateNext > 0) this.duplicateNext -= 1;
      for (let copy = 0; copy < copies; copy++) {
        const delivery: Delivery = { id: newId("whdel"), eventId: event.id, eventType: event.type, endpointId: endpoint.id, url: endpoint.url, state: "pending", attempts: [], duplicate: copy > 0 };
        this.deliveries.push(delivery);
        if (this.dropNext > 0) {
          this.dropNext -= 1;
          delivery.state = "dropped";
        } else if (this.holding) {
          delivery.state = "held";
          this.held.push({ delivery, event, endpoint });
        } else {
          this.schedule(delivery, event, endpoint, 0);
        }
      }
    }
  }

  duplicate(count: number): void {
    this.duplicateNext += count;
  }

  drop(count: number): void {
    this.dropNext += count;
  }

  /** Holds every delivery from now on until release(). */
  hold(): void {
    this.holding = true;
  }

  /** Sends what was held, newest first (the reverse of the order the events happened in). */
  release(): number {
    this.holding = false;
    const held = this.held.splice(0).reverse();
    for (const { delivery, event, endpoint } of held) {
      delivery.state = "pending";
      this.schedule(delivery, event, endpoint, 0);
    }
    return held.length;
  }

  controls() {
    return { duplicateNext: this.duplicateNext, dropNext: this.dropNext, holding: this.holding, held: this.held.length };
  }

  private schedule(delivery: Delivery, event: EventRecord, endpoint: WebhookEndpointRecord, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, event, endpoint);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery, event: EventRecord, endpoint: WebhookEndpointRecord): Promise<void> {
    // A deleted (or disabled) endpoint gets no more attempts, retries included.
    const current = [...this.options.endpoints()].find((e) => e.id === endpoint.id);
    if (!current || current.status !== "enabled") {
      delivery.state = "failed";
      return;
    }
    // Stripe renders the payload in the endpoint's API version (or the account's); one version here.
    const payload = JSON.stringify(renderEvent(event), null, 2);
    const timestamp = Math.floor((this.options.signatureNow ?? Date.now)() / 1000);
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 10_000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Stripe-Signature": signPayload(payload, endpoint.secret, timestamp),
        },
        body: payload,
        signal: controller.signal,
      });
      status = response.status;
      await response.body?.cancel();
    } catch (cause) {
      error = cause instanceof Error ? (cause.name === "AbortError" ? "timeout" : cause.message) : "connection failed";
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.closed) return;
    delivery.attempts.push({ at: new Date().toISOString(), status, error });
    if (status !== null && status >= 200 && status < 300) {
      delivery.state = "delivered";
      event.pendingWebhooks = Math.max(0, event.pendingWebhooks - 1);
      this.options.onDelivered?.(event);
      return;
    }
    const nextDelay = this.retryDelaysMs[delivery.attempts.length - 1];
    if (nextDelay === undefined) {
      delivery.state = "failed";
      return;
    }
    delivery.state = "retrying";
    this.schedule(delivery, event, endpoint, nextDelay);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
  }
}
