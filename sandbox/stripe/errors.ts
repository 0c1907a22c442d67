/**
 * Stripe's error object (`{ error: { type, code, message, param, … } }`) and the HTTP status
 * each kind travels with. Handlers throw StripeApiError; server.ts turns it into the answer.
 */
export type StripeErrorType =
  | "api_error"
  | "authentication_error"
  | "card_error"
  | "idempotency_error"
  | "invalid_request_error"
  | "permission_error"
  | "rate_limit_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
  /** Card errors name the PaymentIntent and charge they happened on, as Stripe's do. */
  payment_intent?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /**
     * Whether an Idempotency-Key keeps this answer. Stripe saves a result once the endpoint
     * has begun executing; a request refused while its parameters were checked is not saved,
     * so the client can fix them and retry with the same key.
     */
    readonly saved = false,
  ) {
    super(body.message);
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;

function invalid(message: string, extra: Partial<StripeErrorBody> = {}, status = 400, saved = false): StripeApiError {
  const body: StripeErrorBody = { type: "invalid_request_error", message, ...extra };
  if (body.code) body.doc_url = docUrl(body.code);
  return new StripeApiError(status, body, saved);
}

export const parameterMissing = (param: string) => invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });

export const parameterUnknown = (param: string) =>
  invalid(`Received unknown parameter: ${param}`, { code: "parameter_unknown", param });

export const parameterInvalid = (param: string, message: string, code?: string) => invalid(message, { param, ...(code ? { code } : {}) });

/** A rule of the resource's state refused the request (the endpoint ran: the answer is saved). */
export const unexpectedState = (message: string, code = "payment_intent_unexpected_state", param?: string) =>
  invalid(message, { code, ...(param ? { param } : {}) }, 400, true);

export const amountTooLarge = (message: string, param = "amount") => invalid(message, { code: "amount_too_large", param }, 400, true);

export const resourceMissing = (objectName: string, id: string, param = "id") =>
  invalid(`No such ${objectName}: '${id}'`, { code: "resource_missing", param }, 404);

export const unknownRoute = (method: string, path: string) =>
  invalid(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, {}, 404);

export const authenticationError = (message: string) => new StripeApiError(401, { type: "authentication_error", message });

export const permissionError = (message: string) => new StripeApiError(403, { type: "permission_error", message });

export const idempotencyMismatch = (key: string) =>
  new StripeApiError(400, {
    type: "idempotency_error",
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });

export const idempotencyInFlight = () =>
  new StripeApiError(409, {
    type: "idempotency_error",
    message: "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.",
  });

export const rateLimited = () =>
  new StripeApiError(429, {
    type: "rate_limit_error",
    code: "rate_limit",
    doc_url: docUrl("rate_limit"),
    message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
  });

export const apiError = () =>
  new StripeApiError(500, { type: "api_error", message: "An unknown error occurred while processing your request. Please try again." });
