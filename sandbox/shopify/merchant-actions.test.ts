import { describe, expect, it } from "vitest";
import { fromMinor, merchantActions, timeInWords, toMinor } from "./merchant-actions";

const sale = { amount: "30.00", currency: "USD", kind: "sale", state: "RESOLVED" };
const authorization = { ...sale, kind: "authorization" };

describe("the merchant actions the sandbox order page offers", () => {
  it("offers a resolved sale a refund of what is left, and no capture or void", () => {
    expect(merchantActions(sale, [])).toEqual({ capture: null, refund: "30.00", void: false, none: null });
    expect(merchantActions(sale, [{ kind: "refund", amount: "5.98", state: "RESOLVED" }, { kind: "refund", amount: "1.00", state: "REJECTED" }]).refund).toBe("24.02");
  });

  it("offers an authorization a capture of everything and a void, then a refund of what was captured", () => {
    expect(merchantActions(authorization, [])).toEqual({ capture: "30.00", refund: null, void: true, none: null });
    expect(merchantActions(authorization, [{ kind: "capture", amount: "10.00", state: undefined }])).toEqual({ capture: "20.00", refund: "10.00", void: false, none: null });
  });

  it("offers nothing after a void, and nothing for a payment that has not succeeded", () => {
    expect(merchantActions(authorization, [{ kind: "void", amount: null, state: "RESOLVED" }]).none).toBe("The authorization was voided.");
    expect(merchantActions({ ...sale, state: "PENDING" }, []).none).toMatch(/pending/);
    expect(merchantActions({ ...sale, state: "REJECTED" }, []).none).toMatch(/failed/);
    expect(merchantActions({ ...sale, state: undefined }, []).none).toMatch(/not paid/);
  });

  it("counts in minor units with the currency's decimals", () => {
    expect(toMinor("1.5", "USD")).toBe(150n);
    expect(toMinor("1000", "JPY")).toBe(1000n);
    expect(fromMinor(1234n, "KWD")).toBe("1.234");
    expect(fromMinor(5n, "USD")).toBe("0.05");
  });

  it("says times in words", () => {
    const now = Date.parse("2026-12-03T10:00:00Z");
    expect(timeInWords("2026-12-03T09:59:50Z", now)).toBe("just now");
    expect(timeInWords("2026-12-03T09:57:00Z", now)).toBe("3 minutes ago");
    expect(timeInWords("2026-12-03T08:00:00Z", now)).toBe("2 hours ago");
  });
});
