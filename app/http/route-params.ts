// The ids this app makes (cuid) and its tests use: letters, digits, - and _.
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A record id from the URL, or the 404 an unknown one gets: an id no record can
 * have (a NUL, which PostgreSQL refuses in text, a control character, 2,000
 * characters) never reaches the database.
 */
export function requireIdParam(value: string | undefined, notFound: string): string {
  if (value && ID.test(value)) return value;
  throw new Response(notFound, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
