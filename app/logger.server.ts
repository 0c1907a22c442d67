import pino from "pino";

/**
 * Structured JSON logs on stdout. Callers pass identifiers and outcomes only:
 * never request bodies, customer data, amounts with names, or tokens.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ["accessToken", "*.accessToken", "token", "*.token", "customer", "*.customer", "authorization"],
    censor: "[redacted]",
  },
});
