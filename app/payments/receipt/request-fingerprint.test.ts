import { describe, expect, it } from "vitest";
import { requestFingerprint } from "./request-fingerprint";

const REQUEST = {
  id: "r1",
  amount: 1250n,
  currency: "USD",
  test: false,
  proposedAt: new Date("2020-07-13T00:00:00Z"),
  customer: { email: "buyer@example.com", billingAddress: { city: "Ottawa", country: "CA" } },
  lines: [{ sku: "a", quantity: 1 }],
};

describe("requestFingerprint", () => {
  it("is a SHA-256 digest in base64url", () => {
    expect(requestFingerprint(REQUEST)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("gives the same digest for the same request", () => {
    expect(requestFingerprint(REQUEST)).toBe(requestFingerprint(structuredClone(REQUEST)));
  });

  it("gives the same digest whatever the order of the keys", () => {
    const reordered = {
      lines: REQUEST.lines,
      customer: REQUEST.customer,
      test: false,
      proposedAt: new Date("2020-07-13T00:00:00Z"),
      currency: "USD",
      amount: 1250n,
      id: "r1",
    };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(REQUEST));
  });

  it("gives the same digest whatever the order of the keys of nested objects", () => {
    const reordered = {
      ...REQUEST,
      customer: { billingAddress: { country: "CA", city: "Ottawa" }, email: "buyer@example.com" },
      lines: [{ quantity: 1, sku: "a" }],
    };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(REQUEST));
  });

  it.each([
    ["a top-level string", { currency: "CAD" }],
    ["a bigint", { amount: 1251n }],
    ["a boolean", { test: true }],
    ["a date", { proposedAt: new Date("2020-07-13T00:00:00.001Z") }],
    ["a nested value", { customer: { ...REQUEST.customer, billingAddress: { city: "Toronto", country: "CA" } } }],
    ["a value in an array", { lines: [{ sku: "a", quantity: 2 }] }],
    ["the length of an array", { lines: [{ sku: "a", quantity: 1 }, { sku: "b", quantity: 1 }] }],
    ["a value's type (number instead of string)", { id: 1 }],
    ["null instead of a value", { currency: null }],
  ])("differs when %s differs", (_, change) => {
    expect(requestFingerprint({ ...REQUEST, ...change })).not.toBe(requestFingerprint(REQUEST));
  });

  it("differs when the order of array items differs", () => {
    const two = { lines: [{ sku: "a" }, { sku: "b" }] };
    const swapped = { lines: [{ sku: "b" }, { sku: "a" }] };
    expect(requestFingerprint(swapped)).not.toBe(requestFingerprint(two));
  });

  it("differs when a key is added", () => {
    expect(requestFingerprint({ ...REQUEST, kind: "sale" })).not.toBe(requestFingerprint(REQUEST));
  });

  it("differs when a key is renamed but keeps its value", () => {
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ b: 1 }));
  });

  it("reads a date as its ISO string", () => {
    expect(requestFingerprint({ at: new Date("2020-07-13T00:00:00Z") })).toBe(
      requestFingerprint({ at: "2020-07-13T00:00:00.000Z" }),
    );
  });

  it("reads a bigint as its decimal string, without throwing as JSON.stringify would", () => {
    expect(requestFingerprint({ amount: 12345678901234567890n })).toBe(
      requestFingerprint({ amount: "12345678901234567890" }),
    );
  });

  it("ignores keys whose value is undefined", () => {
    expect(requestFingerprint({ ...REQUEST, note: undefined })).toBe(requestFingerprint(REQUEST));
  });

  it("ignores undefined keys in nested objects", () => {
    const withUndefined = { ...REQUEST, customer: { ...REQUEST.customer, phone: undefined } };
    expect(requestFingerprint(withUndefined)).toBe(requestFingerprint(REQUEST));
  });

  it("does not treat a null value like a missing key", () => {
    expect(requestFingerprint({ ...REQUEST, note: null })).not.toBe(requestFingerprint(REQUEST));
  });
});
