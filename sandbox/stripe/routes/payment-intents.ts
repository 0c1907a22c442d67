import { z } from "zod";
import { expandParam, listParams, parseParams, positiveAmountParam, stringParam } from "../params";
import { expand, listPage, type Route } from "./route";

const retrieveSchema = z.strictObject({ expand: expandParam.optional(), client_secret: stringParam.optional() });

export const paymentIntentRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/v1\/payment_intents\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(retrieveSchema, params);
      return expand(store, scope, { ...store.renderPaymentIntent(store.paymentIntent(scope, path.id ?? "")) }, input.expand);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/payment_intents$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(z.strictObject(listParams), params);
      const records = [...store.paymentIntents.values()].filter((pi) => pi.scope.account === scope.account && pi.scope.livemode === scope.livemode);
      return expand(store, scope, { ...listPage("/v1/payment_intents", records, store.renderPaymentIntent, input) }, input.expand);
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/(?<id>[^/]+)\/capture$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(z.strictObject({ amount_to_capture: positiveAmountParam.optional(), expand: expandParam.optional() }), params);
      const pi = store.capture(store.paymentIntent(scope, path.id ?? ""), input.amount_to_capture ?? null);
      return expand(store, scope, { ...store.renderPaymentIntent(pi) }, input.expand);
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/(?<id>[^/]+)\/cancel$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(z.strictObject({ cancellation_reason: z.enum(["duplicate", "fraudulent", "requested_by_customer", "abandoned"]).optional(), expand: expandParam.optional() }), params);
      const pi = store.cancel(store.paymentIntent(scope, path.id ?? ""), input.cancellation_reason ?? null);
      return expand(store, scope, { ...store.renderPaymentIntent(pi) }, input.expand);
    },
  },
];
