import { z } from "zod";
import { expandParam, listParams, parseParams, stringParam } from "../params";
import { expand, listPage, type Route } from "./route";

export const chargeRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/v1\/charges\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(z.strictObject({ expand: expandParam.optional() }), params);
      return expand(store, scope, { ...store.renderCharge(store.charge(scope, path.id ?? "")) }, input.expand);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/charges$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(z.strictObject({ ...listParams, payment_intent: stringParam.optional() }), params);
      const records = [...store.charges.values()].filter(
        (c) => c.scope.account === scope.account && c.scope.livemode === scope.livemode && (input.payment_intent === undefined || c.paymentIntentId === input.payment_intent),
      );
      return expand(store, scope, { ...listPage("/v1/charges", records, store.renderCharge, input) }, input.expand);
    },
  },
];
