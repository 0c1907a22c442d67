import { describe, expect, it } from "vitest";
import { parseIsoDateTime } from "./timestamps";

/** The instant parseIsoDateTime read, as UTC ISO text, or null. */
function read(text: string): string | null {
  return parseIsoDateTime(text)?.toISOString() ?? null;
}

describe("parseIsoDateTime", () => {
  it("accepts a UTC timestamp as Shopify sends it", () => {
    expect(read("2020-07-13T00:00:00Z")).toBe("2020-07-13T00:00:00.000Z");
  });

  it("accepts fractional seconds", () => {
    expect(read("2020-07-13T12:34:56.789Z")).toBe("2020-07-13T12:34:56.789Z");
  });

  it("accepts a single fractional digit", () => {
    expect(read("2020-07-13T12:34:56.5Z")).toBe("2020-07-13T12:34:56.500Z");
  });

  it("accepts a positive offset and converts it to UTC", () => {
    expect(read("2020-07-13T05:30:00+05:30")).toBe("2020-07-13T00:00:00.000Z");
  });

  it("accepts a negative offset and converts it to UTC", () => {
    expect(read("2020-07-12T20:00:00-04:00")).toBe("2020-07-13T00:00:00.000Z");
  });

  it("accepts February 29th of a leap year", () => {
    expect(read("2024-02-29T00:00:00Z")).toBe("2024-02-29T00:00:00.000Z");
  });

  it("accepts the last second of a day", () => {
    expect(read("2026-12-31T23:59:59Z")).toBe("2026-12-31T23:59:59.000Z");
  });

  it.each([
    ["February 30th", "2026-02-30T00:00:00Z"],
    ["February 29th of a year that is not a leap year", "2025-02-29T00:00:00Z"],
    ["April 31st", "2026-04-31T00:00:00Z"],
    ["month 13", "2026-13-01T00:00:00Z"],
    ["month 0", "2026-00-01T00:00:00Z"],
    ["day 0", "2026-01-00T00:00:00Z"],
    ["hour 24", "2026-01-01T24:00:00Z"],
    ["minute 60", "2026-01-01T00:60:00Z"],
    ["second 60", "2026-01-01T00:00:60Z"],
    ["an offset of 24 hours", "2026-01-01T00:00:00+24:00"],
    ["an offset minute of 60", "2026-01-01T00:00:00+05:60"],
    ["a date without a time", "2026-01-01"],
    ["a time without a zone", "2026-01-01T00:00:00"],
    ["a time without seconds", "2026-01-01T00:00Z"],
    ["a space instead of T", "2026-01-01 00:00:00Z"],
    ["an offset without a colon", "2026-01-01T00:00:00+0530"],
    ["more than nine fractional digits", "2026-01-01T00:00:00.1234567890Z"],
    ["surrounding whitespace", " 2026-01-01T00:00:00Z"],
    ["a word", "yesterday"],
    ["an empty string", ""],
  ])("refuses %s", (_, text) => {
    expect(parseIsoDateTime(text)).toBeNull();
  });
});
