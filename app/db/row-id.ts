import { pooledRandomBytes } from "../crypto/pooled-random";

let counter = 0;

/**
 * An id for a row written without Prisma, shaped like the cuid Prisma's
 * `@default(cuid())` makes (25 characters, "c" then base 36): time, a counter
 * and 60 random bits, so ids stay unique across processes and instances.
 */
export function newRowId(now = Date.now()): string {
  counter = (counter + 1) % 36 ** 4;
  const random = pooledRandomBytes(8).readBigUInt64BE() >> 4n;
  return `c${now.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${random.toString(36).padStart(12, "0").slice(-12)}`;
}
