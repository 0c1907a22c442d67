// RFC 3339 / ISO 8601 date-time as Shopify sends it: "2020-07-13T00:00:00Z".
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Parses an ISO 8601 timestamp with a time zone, or returns null. Unlike
 * `new Date(text)` it refuses impossible dates (February 30th, hour 24) instead
 * of rolling them over into the next month.
 */
export function parseIsoDateTime(text: string): Date | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second, offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour === undefined || hour > 23 || minute === undefined || minute > 59) return null;
  if (second === undefined || second > 59 || (offsetHour ?? 0) > 23 || (offsetMinute ?? 0) > 59) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
