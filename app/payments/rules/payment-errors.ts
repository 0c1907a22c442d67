/**
 * The payments domain's refusals, as named types. The domain knows nothing of
 * HTTP: the inbound edge turns each into its status and body
 * (app/inbound/sessions/session-error-answers.ts).
 */

/** A session id Shopify already used with another payload: nothing was changed. */
export class IdempotencyConflictError extends Error {
  override name = "IdempotencyConflictError";

  constructor() {
    super("id: a request with this id and a different payload was already received; nothing was changed");
  }
}

/** A refund, capture or void names a payment this shop does not have. */
export class PaymentNotFoundError extends Error {
  override name = "PaymentNotFoundError";

  constructor(
    readonly shop: string,
    readonly paymentShopifyId: string,
  ) {
    super("payment_id: no payment session with this id exists for this shop");
  }
}
