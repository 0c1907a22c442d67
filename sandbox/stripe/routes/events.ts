import { z } from "zod";
import { renderEvent } from "../objects";
import { expandParam, listParams, parseParams, stringParam } from "../params";
import { listPage, type Route } from "./route";

export const eventRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/v1\/events\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => {
      parseParams(z.strictObject({ expand: expandParam.optional() }), params);
      return renderEvent(store.event(scope, path.id ?? ""));
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/events$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(z.strictObject({ ...listParams, type: stringParam.optional(), types: z.array(stringParam).optional() }), params);
      // `type` takes one `*` wildcard, as on Stripe ("checkout.session.*").
      const matchesType = (type: string) => {
        if (input.type === undefined) return true;
        if (!input.type.includes("*")) return type === input.type;
        const [head = "", tail = ""] = input.type.split("*");
        return type.startsWith(head) && type.endsWith(tail);
      };
      const records = [...store.events.values()].filter(
        (e) => e.scope.account === scope.account && e.scope.livemode === scope.livemode && matchesType(e.type) && (input.types === undefined || input.types.includes(e.type)),
      );
      return listPage("/v1/events", records, renderEvent, input);
    },
  },
];
