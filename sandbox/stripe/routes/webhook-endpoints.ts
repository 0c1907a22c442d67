import { z } from "zod";
import { STRIPE_API_VERSION } from "../api-version";
import { parameterInvalid } from "../errors";
import { renderDeletedWebhookEndpoint, renderWebhookEndpoint } from "../objects";
import { expandParam, listParams, metadataParam, parseParams, stringParam } from "../params";
import { listPage, type Route } from "./route";

/** An event type (`charge.refund.updated`) or `*` for all. */
const EVENT_TYPE = /^(\*|[a-z_]+(\.[a-z_]+)+)$/;

const createSchema = z.strictObject({
  url: stringParam,
  enabled_events: z.array(stringParam),
  description: stringParam.optional(),
  metadata: metadataParam.optional(),
  api_version: stringParam.optional(),
  expand: expandParam.optional(),
});

export const webhookEndpointRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/webhook_endpoints$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(createSchema, params);
      let url: URL | null = null;
      try {
        url = new URL(input.url);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) throw parameterInvalid("url", "Invalid URL: URL must be publicly accessible and begin with http:// or https://", "url_invalid");
      if (input.enabled_events.length === 0) throw parameterInvalid("enabled_events", "Missing required param: enabled_events.", "parameter_missing");
      input.enabled_events.forEach((type, index) => {
        if (!EVENT_TYPE.test(type)) throw parameterInvalid(`enabled_events[${index}]`, `Invalid enabled_events[${index}]: must be a Stripe event type or *`);
      });
      if (input.api_version !== undefined && input.api_version !== STRIPE_API_VERSION) {
        throw parameterInvalid("api_version", `The sandbox renders events in ${STRIPE_API_VERSION} only.`);
      }
      const endpoint = store.createEndpoint(scope, {
        url: input.url,
        enabledEvents: [...new Set(input.enabled_events)],
        description: input.description ?? null,
        metadata: input.metadata ?? {},
        apiVersion: input.api_version ?? null,
      });
      return renderWebhookEndpoint(endpoint, true);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/webhook_endpoints\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => {
      parseParams(z.strictObject({ expand: expandParam.optional() }), params);
      return renderWebhookEndpoint(store.endpoint(scope, path.id ?? ""), false);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/webhook_endpoints$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(z.strictObject(listParams), params);
      const records = [...store.endpoints.values()].filter((w) => w.scope.account === scope.account && w.scope.livemode === scope.livemode);
      return listPage("/v1/webhook_endpoints", records, (w) => renderWebhookEndpoint(w, false), input);
    },
  },
  {
    method: "DELETE",
    pattern: /^\/v1\/webhook_endpoints\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => {
      parseParams(z.strictObject({}), params);
      const endpoint = store.endpoint(scope, path.id ?? "");
      store.deleteEndpoint(endpoint);
      return renderDeletedWebhookEndpoint(endpoint.id);
    },
  },
];
