import { existsSync } from "node:fs";
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { buildPaymentsAppsSchema, parseDateTime, resolvePaymentsAppsSchemaPath, SHARED_SCHEMA_PATH, VENDORED_SCHEMA_PATH } from "./schema";
import { PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04, PAYMENT_REJECTION_REASONS_BEFORE_2026_04 } from "./state";

function rejectionReasons(version: string): string[] {
  const type = buildPaymentsAppsSchema(version).getType("PaymentSessionStateRejectedReason");
  if (!(type instanceof GraphQLEnumType)) throw new Error("PaymentSessionStateRejectedReason is missing");
  return type.getValues().map((value) => value.name);
}

describe("the served schema", () => {
  it("comes from the app's vendored copy when it exists, else from the shared spec", () => {
    expect(resolvePaymentsAppsSchemaPath()).toBe(existsSync(VENDORED_SCHEMA_PATH) ? VENDORED_SCHEMA_PATH : SHARED_SCHEMA_PATH);
  });

  it("has exactly the rejection reasons the state machine knows, on 2026-04 and unstable", () => {
    const known = [...PAYMENT_REJECTION_REASONS_BEFORE_2026_04, ...PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04].sort();
    expect(rejectionReasons("2026-04").sort()).toEqual(known);
    expect(rejectionReasons("unstable").sort()).toEqual(known);
  });

  it("has only the older rejection reasons, RISKY included, before 2026-04", () => {
    expect(rejectionReasons("2026-01").sort()).toEqual([...PAYMENT_REJECTION_REASONS_BEFORE_2026_04].sort());
  });

  it("has the rejection source only from 2026-04", () => {
    for (const [version, present] of [["2025-10", false], ["2026-04", true]] as const) {
      const schema = buildPaymentsAppsSchema(version);
      const state = schema.getType("PaymentSessionStateRejected");
      const input = schema.getType("PaymentSessionRejectionReasonInput");
      if (!(state instanceof GraphQLObjectType) || !(input instanceof GraphQLInputObjectType)) throw new Error("types missing");
      expect("source" in state.getFields()).toBe(present);
      expect("source" in input.getFields()).toBe(present);
      expect(schema.getType("PaymentSessionStateRejectedSource") !== undefined).toBe(present);
    }
  });

  it("refuses a DateTime literal that is not an ISO 8601 date and time", () => {
    const document = parse(`mutation { paymentSessionPending(id: "x", pendingExpiresAt: "next week", reason: BUYER_ACTION_REQUIRED) { userErrors { code } } }`);
    const [error] = validate(buildPaymentsAppsSchema("2026-04"), document);
    expect(error?.message).toMatch(/^Expected value of type "DateTime!", found "next week"; DateTime must be an ISO 8601 date and time/);
  });

  it("refuses a URL literal without a host", () => {
    const document = parse(`mutation { paymentSessionRedirect(id: "x", redirectUrl: "mailto:someone") { userErrors { code } } }`);
    expect(validate(buildPaymentsAppsSchema("2026-04"), document)[0]?.message).toMatch(/URL must have a host/);
  });
});

describe("parseDateTime", () => {
  it("reads offsets and takes a value without one as UTC", () => {
    expect(parseDateTime("2026-05-01T12:00:00+02:00").toISOString()).toBe("2026-05-01T10:00:00.000Z");
    expect(parseDateTime("2026-05-01T12:00:00").toISOString()).toBe("2026-05-01T12:00:00.000Z");
  });

  it("refuses dates without a time and impossible dates", () => {
    expect(() => parseDateTime("2026-05-01")).toThrow(TypeError);
    expect(() => parseDateTime("2026-13-45T00:00:00Z")).toThrow(TypeError);
  });
});
