import { describe, expect, it } from "vitest";
import { orderTimeline, type TimelineEvent, type TimelineKind } from "./timeline";

const event = (kind: TimelineKind, at: string, title: string): TimelineEvent => ({ kind, at, title, detail: null, tone: "info" });
const titles = (events: TimelineEvent[]) => orderTimeline(events).map((e) => e.title);

describe("the timeline's order", () => {
  it("orders by the millisecond, not by the second", () => {
    expect(titles([event("state-changed", "2026-11-29T10:00:00.900Z", "later"), event("received", "2026-11-29T10:00:00.100Z", "earlier")])).toEqual(["earlier", "later"]);
  });

  it("puts a session's receipt before its rejection stamped with the same instant", () => {
    const at = "2026-11-29T10:00:00.123Z";
    expect(titles([event("state-changed", at, "Refund r1 rejected"), event("received", at, "Refund r1 received from Shopify")])).toEqual(["Refund r1 received from Shopify", "Refund r1 rejected"]);
  });

  it("puts the provider's answer before the state change it caused, and the delivery after both", () => {
    const at = "2026-11-29T10:00:00.123Z";
    expect(titles([event("delivery-attempt", at, "delivery"), event("state-changed", at, "Payment resolved"), event("provider-call", at, "Provider: charge → approved")])).toEqual([
      "Provider: charge → approved",
      "Payment resolved",
      "delivery",
    ]);
  });

  it("puts a staff action before the change it made, and a retry after the receipt", () => {
    const at = "2026-11-29T10:00:00.000Z";
    expect(titles([event("state-changed", at, "resolved"), event("staff-action", at, "staff"), event("replayed", at, "retry"), event("received", at, "received")])).toEqual(["received", "retry", "staff", "resolved"]);
  });

  it("keeps the given order between events of the same kind and instant", () => {
    const at = "2026-11-29T10:00:00.000Z";
    expect(titles([event("delivery-attempt", at, "attempt 1"), event("delivery-attempt", at, "attempt 2"), event("delivery-attempt", at, "attempt 3")])).toEqual(["attempt 1", "attempt 2", "attempt 3"]);
  });

  it("keeps the events it is given unchanged", () => {
    const events = [event("state-changed", "2026-11-29T10:00:01.000Z", "b"), event("received", "2026-11-29T10:00:00.000Z", "a")];
    orderTimeline(events);
    expect(events.map((e) => e.title)).toEqual(["b", "a"]);
  });
});
