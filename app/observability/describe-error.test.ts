import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error";

class PaymentStoreError extends Error {
  code = "P2021";
}

describe("describing an error for the logs", () => {
  it("gives the class, the code and file:line frames, never the message", () => {
    const error = new PaymentStoreError("no row for buyer mary.jones@example.com, token abc.123.sig");
    const description = describeError(error);
    expect(description.type).toBe("PaymentStoreError");
    expect(description.code).toBe("P2021");
    expect(description.frames?.[0]).toMatch(/app\/observability\/describe-error\.test\.ts:\d+:\d+\)?$/);
    expect(JSON.stringify(description)).not.toMatch(/mary|abc\.123|no row/);
  });

  it("leaves out a message spread over several lines, and a code that is not a code", () => {
    const error = Object.assign(new TypeError("line one\n    at secret (buyer@example.com:1:1)\nline three"), { code: "value was buyer@example.com" });
    const description = describeError(error);
    expect(description.type).toBe("TypeError");
    expect(description.code).toBeUndefined();
    expect(JSON.stringify(description)).not.toContain("buyer@example.com");
  });

  it("describes the cause too, one level deep", () => {
    const error = new Error("outer", { cause: Object.assign(new Error("inner secret"), { code: "ECONNREFUSED" }) });
    expect(describeError(error).cause).toMatchObject({ type: "Error", code: "ECONNREFUSED" });
  });

  it("names what was thrown when it is not an Error", () => {
    expect(describeError("a string with data")).toEqual({ type: "string" });
    expect(describeError(null)).toEqual({ type: "null" });
  });
});
