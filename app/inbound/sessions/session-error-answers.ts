import { fieldError, HttpError } from "../../http/http-error";
import { IdempotencyConflictError, PaymentNotFoundError } from "../../payments/rules/payment-errors";

/**
 * The HTTP answer to a refusal of the payments domain: 409 for a reused id with
 * another payload, 404 for an unknown payment. Anything else is not a refusal
 * (null): the caller answers it as an internal failure.
 */
export function httpErrorOf(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof IdempotencyConflictError) {
    return new HttpError(409, "IDEMPOTENCY_CONFLICT", error.message, [
      { field: "id", message: "was already used for a request with a different payload" },
    ]);
  }
  if (error instanceof PaymentNotFoundError) {
    return fieldError(404, "PAYMENT_NOT_FOUND", "payment_id", "no payment session with this id exists for this shop");
  }
  return null;
}
