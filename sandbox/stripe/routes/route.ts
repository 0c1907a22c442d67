import type { AccountRecord, Scope } from "../accounts";
import { StripeApiError } from "../errors";
import type { FormObject } from "../form";
import type { StripeStore } from "../store";

/** What an API route sees: the caller's account and mode, the decoded params, the path's ids. */
export interface RouteContext {
  scope: Scope;
  account: AccountRecord;
  params: FormObject;
  path: Record<string, string>;
  store: StripeStore;
  /** The sandbox's own origin (hosted page URLs). */
  origin: string;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  handle(ctx: RouteContext): unknown;
}

export interface ListPage<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/** Stripe's cursor pagination over records kept oldest first; lists answer newest first. */
export function listPage<R extends { id: string }, T>(url: string, records: Iterable<R>, render: (r: R) => T, params: { limit?: number; starting_after?: string; ending_before?: string }): ListPage<T> {
  const newestFirst = [...records].reverse();
  const limit = params.limit ?? 10;
  let start = 0;
  let end = newestFirst.length;
  if (params.starting_after) {
    const index = newestFirst.findIndex((r) => r.id === params.starting_after);
    if (index < 0) throw new StripeApiError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such object: '${params.starting_after}'`, param: "starting_after" });
    start = index + 1;
  } else if (params.ending_before) {
    const index = newestFirst.findIndex((r) => r.id === params.ending_before);
    if (index < 0) throw new StripeApiError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such object: '${params.ending_before}'`, param: "ending_before" });
    end = index;
    start = Math.max(0, end - limit);
  }
  const slice = newestFirst.slice(start, Math.min(end, start + limit));
  return { object: "list", data: slice.map(render), has_more: start + limit < end, url };
}

const cannotExpand = (path: string) =>
  new StripeApiError(400, { type: "invalid_request_error", message: `This property cannot be expanded (${path}).`, param: "expand" });

/**
 * `expand[]=payment_intent.latest_charge`: each id along the path becomes the object it names.
 * On a list, paths start with `data.` and apply to every item, as on Stripe.
 */
export function expand(store: StripeStore, scope: Scope, object: Record<string, unknown>, paths: readonly string[] | undefined): Record<string, unknown> {
  for (const path of paths ?? []) {
    const parts = path.split(".");
    if (object.object === "list") {
      if (parts[0] !== "data" || parts.length < 2) throw cannotExpand(path);
      const items = object.data as Record<string, unknown>[];
      for (const item of items) expandPath(store, scope, item, parts.slice(1), path);
    } else {
      expandPath(store, scope, object, parts, path);
    }
  }
  return object;
}

function expandPath(store: StripeStore, scope: Scope, object: Record<string, unknown>, parts: string[], fullPath: string): void {
  const [field, ...rest] = parts;
  if (!field || !Object.hasOwn(object, field)) throw cannotExpand(fullPath);
  let value = object[field];
  if (value === null) return;
  if (typeof value === "string") {
    const rendered = store.renderById(scope, value);
    if (!rendered) throw cannotExpand(fullPath);
    object[field] = rendered;
    value = rendered;
  }
  if (rest.length === 0) return;
  if (!value || typeof value !== "object") throw cannotExpand(fullPath);
  expandPath(store, scope, value as Record<string, unknown>, rest, fullPath);
}
