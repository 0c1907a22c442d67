import Stripe from "stripe";

/**
 * The API version the installed `stripe` SDK's types describe. The sandbox shapes every object
 * after those types (tsc checks the builders in objects.ts), so this is the one version it can
 * honestly claim to speak; clients should pin it (`new Stripe(key, { apiVersion: STRIPE_API_VERSION })`).
 */
export const STRIPE_API_VERSION = Stripe.API_VERSION;
