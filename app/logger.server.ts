import pino from "pino";

/**
 * Structured JSON logs on stdout. Callers pass identifiers and outcomes only:
 * never request bodies, customer data, amounts with names, or tokens.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ["accessToken", "*.accessToken", "token", "*.token", "customer", "*.customer", "authorization"],
      censor: "[redacted]",
    },
  },
  // Asynchronous writes: a synchronous write per line cost ~1 ms per session
  // request under load (bench/inbound.ts). Lines still go out in order, and
  // pino flushes what is pending when the process exits.
  pino.destination({ sync: false }),
);
