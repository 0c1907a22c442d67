import type { Received } from "../../payments/receipt/idempotency.server";
import type { SessionEndpointResult } from "./serve-session-request.server";

/**
 * Refund, capture and void requests are acknowledged with 201 and `{}` (spec
 * §3.1), also when a rule refused them: the refusal travels to Shopify as a
 * reject mutation, not as an HTTP error that Shopify would keep retrying.
 */
export function followUpResult({ row, replayed }: Received<{ shopifyId: string; ruleViolation: string | null }>): SessionEndpointResult {
  const outcome = replayed ? "replayed" : row.ruleViolation ? "rejected_by_rule" : "created";
  return { status: 201, body: {}, outcome, id: row.shopifyId, rule: row.ruleViolation ?? undefined };
}
