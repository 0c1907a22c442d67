import Stripe from "stripe";
import type { ProviderMode } from "../provider-accounts";
import { createStripeClient } from "../stripe/stripe-client.server";
import { STRIPE_WEBHOOK_EVENTS } from "../stripe/webhook-events";
import { ProviderAccountError, type ParsedKey, type ProviderAccountLink } from "./account-link";

const KEY_FORM = /^(sk|rk|pk)_(test|live)_[A-Za-z0-9]{8,247}$/;

/**
 * A Stripe key's form for a mode. Only secret (sk_) and restricted (rk_) keys
 * can call the API on the merchant's behalf; a publishable key (pk_) cannot,
 * and a key of the other mode would move real money in test mode or none in live.
 */
export function parseStripeKey(apiKey: string, mode: ProviderMode): ParsedKey {
  const match = KEY_FORM.exec(apiKey);
  if (!match) throw new ProviderAccountError("invalid-key", `This is not a Stripe API key: paste the secret key (sk_${mode}_…) or a restricted key (rk_${mode}_…) from the Stripe Dashboard, Developers › API keys.`);
  const [, prefix, keyMode] = match;
  if (prefix === "pk") throw new ProviderAccountError("invalid-key", `This is a publishable key (pk_…), which cannot make payments: paste the secret key (sk_${mode}_…) or a restricted key (rk_${mode}_…).`);
  if (keyMode !== mode) throw new ProviderAccountError("invalid-key", `This is a ${keyMode} key; ${mode} mode needs a ${mode} key (sk_${mode}_… or rk_${mode}_…).`);
  return { kind: prefix === "rk" ? "restricted" : "secret", last4: apiKey.slice(-4) };
}

export interface StripeAccountLinkOptions {
  /** The local Stripe in development and tests (STRIPE_API_BASE). */
  apiBase?: string;
  timeoutMs?: number;
}

export function createStripeAccountLink(options: StripeAccountLinkOptions = {}): ProviderAccountLink {
  // One retry: connecting is interactive, the merchant is waiting.
  const client = (apiKey: string) => createStripeClient(apiKey, { apiBase: options.apiBase, timeoutMs: options.timeoutMs ?? 10_000, maxNetworkRetries: 1 });
  return {
    parseKey: parseStripeKey,

    async verify(apiKey) {
      try {
        // GET /v1/account: the cheapest read every secret key and every restricted key may make.
        const account = await client(apiKey).accounts.retrieveCurrent();
        return { externalAccountId: account.id };
      } catch (error) {
        throw asAccountError(error, "check the key");
      }
    },

    async registerWebhookEndpoint(apiKey, url) {
      try {
        const endpoint = await client(apiKey).webhookEndpoints.create({
          url,
          enabled_events: [...STRIPE_WEBHOOK_EVENTS],
          description: "Shopify payments app: payment, capture and refund outcomes",
        });
        if (!endpoint.secret) throw new ProviderAccountError("unreachable", "Stripe created the webhook endpoint but returned no signing secret; try again.");
        return { endpointId: endpoint.id, signingSecret: endpoint.secret };
      } catch (error) {
        throw asAccountError(error, "register the app's webhook endpoint");
      }
    },

    async removeWebhookEndpoint(apiKey, endpointId) {
      try {
        await client(apiKey).webhookEndpoints.del(endpointId);
        return "removed";
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && (error.statusCode === 404 || error.code === "resource_missing")) return "gone";
        if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) return "key-refused";
        throw asAccountError(error, "remove the app's webhook endpoint");
      }
    },
  };
}

/**
 * Stripe's error as a sentence for the merchant. Stripe's own message is not
 * repeated: it may quote part of the key.
 */
function asAccountError(error: unknown, doing: string): ProviderAccountError {
  if (error instanceof ProviderAccountError) return error;
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return new ProviderAccountError("invalid-key", "Stripe did not accept this key: it may be mistyped, rolled or deleted. Copy it again from the Stripe Dashboard, Developers › API keys.");
  }
  if (error instanceof Stripe.errors.StripePermissionError) {
    return new ProviderAccountError("permission", `This key may not ${doing}: give the restricted key write access to Webhook endpoints and read access to the account (or use the secret key).`);
  }
  if (error instanceof Stripe.errors.StripeError && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 429) {
    return new ProviderAccountError("invalid-key", `Stripe refused to ${doing} with this key (${error.code ?? error.type}).`);
  }
  return new ProviderAccountError("unreachable", `Stripe could not be reached to ${doing}, so nothing was saved. Try again in a moment.`);
}
