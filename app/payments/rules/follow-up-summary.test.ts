import { describe, expect, it } from "vitest";
import { describeFollowUps, emptyFollowUpTally, summarizeFollowUps, type FollowUpTally } from "./follow-up-summary";

function tally(counts: Partial<Record<"refund" | "capture" | "void", Partial<FollowUpTally["refund"]>>>): FollowUpTally {
  const result = emptyFollowUpTally();
  for (const [kind, statuses] of Object.entries(counts) as [keyof FollowUpTally, Partial<FollowUpTally["refund"]>][]) Object.assign(result[kind], statuses);
  return result;
}
const describe_ = (counts: Parameters<typeof tally>[0]) => describeFollowUps(summarizeFollowUps(tally(counts)));

describe("a payment's follow-ups in a few words", () => {
  it("says a dash when there is none", () => {
    expect(describe_({})).toBe("—");
  });

  it("does not count a capture rejected after the void as a capture", () => {
    expect(describe_({ void: { RESOLVED: 1 }, capture: { REJECTED: 1 } })).toBe("voided; 1 capture rejected");
  });

  it("does not count a rejected void as voided", () => {
    expect(describe_({ capture: { RESOLVED: 2 }, void: { REJECTED: 1 } })).toBe("2 captures; 1 void rejected");
  });

  it("counts resolved ones as done, received ones as in progress, and rejected ones apart", () => {
    expect(describe_({ capture: { RESOLVED: 1 }, refund: { RESOLVED: 2, RECEIVED: 1, REJECTED: 3 } })).toBe("1 capture, 2 refunds; 1 refund in progress; 3 refunds rejected");
  });

  it("summarizes by status", () => {
    expect(summarizeFollowUps(tally({ capture: { RESOLVED: 1, REJECTED: 1 }, void: { RECEIVED: 1 } }))).toEqual({
      done: { capture: 1, refund: 0, void: 0 },
      underWay: { capture: 0, refund: 0, void: 1 },
      rejected: { capture: 1, refund: 0, void: 0 },
    });
  });
});
