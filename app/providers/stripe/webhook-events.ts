/**
 * The Stripe events the app subscribes to when it registers its webhook
 * endpoint in a merchant's account, and the only ones the provider webhook
 * route applies: a checkout finishing (paid, delayed, expired), a
 * PaymentIntent captured or canceled, a refund reaching its final state.
 */
export const STRIPE_WEBHOOK_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "payment_intent.amount_capturable_updated",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "charge.refunded",
  "charge.refund.updated",
  "refund.updated",
  "refund.failed",
] as const;

export type StripeWebhookEvent = (typeof STRIPE_WEBHOOK_EVENTS)[number];
