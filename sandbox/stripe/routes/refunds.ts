import { z } from "zod";
import { expandParam, listParams, metadataParam, parseParams, positiveAmountParam, stringParam } from "../params";
import { expand, listPage, type Route } from "./route";

const createSchema = z.strictObject({
  payment_intent: stringParam.optional(),
  charge: stringParam.optional(),
  amount: positiveAmountParam.optional(),
  metadata: metadataParam.optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  expand: expandParam.optional(),
});

export const refundRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/refunds$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(createSchema, params);
      const refund = store.createRefund(scope, {
        paymentIntentId: input.payment_intent ?? null,
        chargeId: input.charge ?? null,
        amount: input.amount ?? null,
        metadata: input.metadata ?? {},
        reason: input.reason ?? null,
      });
      return expand(store, scope, { ...store.renderRefund(refund) }, input.expand);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/refunds\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(z.strictObject({ expand: expandParam.optional() }), params);
      return expand(store, scope, { ...store.renderRefund(store.refund(scope, path.id ?? "")) }, input.expand);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/refunds$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(z.strictObject({ ...listParams, payment_intent: stringParam.optional(), charge: stringParam.optional() }), params);
      const records = [...store.refunds.values()].filter(
        (r) =>
          r.scope.account === scope.account &&
          r.scope.livemode === scope.livemode &&
          (input.payment_intent === undefined || r.paymentIntentId === input.payment_intent) &&
          (input.charge === undefined || r.chargeId === input.charge),
      );
      return expand(store, scope, { ...listPage("/v1/refunds", records, store.renderRefund, input) }, input.expand);
    },
  },
];
