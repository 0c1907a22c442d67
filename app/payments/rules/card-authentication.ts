import type { PaymentSession } from "@prisma/client";
import type { ThreeDSecureAuthentication } from "../../providers/payment-provider";

/**
 * The 3-D Secure `authentication` that resolve and reject must carry when, and
 * only when, Shopify was asked to redirect the buyer (spec §1.2). The provider's
 * result is stored as JSON with the payment; when it is missing or unreadable (the
 * charge was settled by a status check, or staff decided) the partner error stands
 * in, which Shopify accepts in place of authentication data.
 */
export function threeDSecureAuthenticationOf(payment: Pick<PaymentSession, "threeDSecureRedirectUrl" | "threeDSecureAuthentication">): ThreeDSecureAuthentication | null {
  if (!payment.threeDSecureRedirectUrl) return null;
  const stored = parseStored(payment.threeDSecureAuthentication);
  return stored ?? { partnerError: "PROCESSING_ERROR" };
}

function parseStored(text: string | null): ThreeDSecureAuthentication | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null) return null;
    if ("authenticationData" in value || "partnerError" in value) return value as ThreeDSecureAuthentication;
    return null;
  } catch {
    return null;
  }
}
