/**
 * A payment's timeline in one total order. Its events come from several tables
 * whose times are stored to the millisecond (SQLite and PostgreSQL alike), and
 * one transaction often stamps a cause and its effect with the same instant (a
 * refund received and refused by a rule, a staff action and the state change it
 * makes), so time alone leaves ties that a sort may break either way. Ties are
 * broken by what can cause what, then by the order the events were added in.
 *
 * To show a new kind of event, add it to TIMELINE_KINDS where it falls in that
 * chain of cause and effect.
 */
export const TIMELINE_KINDS = [
  // Shopify asked for something: a payment, refund, capture or void session.
  "received",
  // Shopify asked again (a retry or a conflicting payload).
  "replayed",
  // Staff decided something (which then changes a state).
  "staff-action",
  // The app asked the payment provider (whose answer then changes a state).
  "provider-call",
  // A session's state changed: pending, resolved, rejected.
  "state-changed",
  // The app reported the change to Shopify…
  "delivery-attempt",
  // …and gave up after its last attempt.
  "delivery-gave-up",
] as const;

export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type TimelineTone = "info" | "success" | "critical" | "attention" | "staff";

export interface TimelineEvent {
  kind: TimelineKind;
  /** ISO 8601 with milliseconds. */
  at: string;
  /** What happened, in plain words ("Shopify was told the payment succeeded"). */
  title: string;
  /** More in plain words (a reason given, a message), or null. */
  detail: string | null;
  /** The facts engineers read (request ids, gids, operations, HTTP), under "Technical details". */
  technical?: string | null;
  tone: TimelineTone;
  /** Who acted, by name, for a staff action. */
  actor?: string;
}

const CAUSE_RANK: Record<TimelineKind, number> = Object.fromEntries(TIMELINE_KINDS.map((kind, rank) => [kind, rank])) as Record<TimelineKind, number>;

/** Newest first, as support staff read it: the exact reverse of the total order below. */
export function newestFirst(events: readonly TimelineEvent[]): TimelineEvent[] {
  return orderTimeline(events).reverse();
}

/** Oldest first: by time, then cause before effect, then in the order given (a stable sequence). */
export function orderTimeline(events: readonly TimelineEvent[]): TimelineEvent[] {
  return events
    .map((event, sequence) => ({ event, time: Date.parse(event.at), rank: CAUSE_RANK[event.kind], sequence }))
    .sort((a, b) => a.time - b.time || a.rank - b.rank || a.sequence - b.sequence)
    .map(({ event }) => event);
}
