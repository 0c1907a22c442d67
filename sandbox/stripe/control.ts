import { z } from "zod";
import type { AccountKeys, NewAccountInput } from "./accounts";
import { FAULT_KINDS, type FaultQueue } from "./faults";
import type { StripeStore } from "./store";
import type { WebhookDispatcher } from "./webhooks";

/**
 * The sandbox's own controls, under /_sandbox/ (never /v1, which is Stripe's): JSON in, JSON out.
 * They stand for what a test cannot do through Stripe's API: the passing of time, the bank's
 * answer to a delayed payment or a refund, lost and disordered webhooks, faults.
 */
export interface ControlContext {
  store: StripeStore;
  webhooks: WebhookDispatcher;
  faults: FaultQueue;
  createAccount: (input: NewAccountInput) => AccountKeys;
  advance: (seconds: number) => number;
  requests: readonly { id: string; method: string; path: string; status: number | null }[];
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

const count = z.strictObject({ count: z.number().int().min(1).max(1000).default(1) });
const outcome = z.strictObject({ outcome: z.enum(["succeeded", "failed"]) });

const schemas = {
  account: z.strictObject({
    id: z.string().optional(),
    businessName: z.string().max(200).optional(),
    country: z.string().length(2).optional(),
    defaultCurrency: z.string().length(3).optional(),
    email: z.string().optional(),
    keys: z.record(z.string(), z.string()).optional(),
  }),
  advance: z.strictObject({ seconds: z.number().int().min(0).max(366 * 24 * 3600) }),
  fault: z.strictObject({
    kind: z.enum(FAULT_KINDS),
    count: z.number().int().min(1).max(1000).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    path: z.string().startsWith("/v1").optional(),
    method: z.enum(["GET", "POST", "DELETE"]).optional(),
    shouldRetry: z.boolean().optional(),
  }),
  refundHold: z.strictObject({
    count: z.number().int().min(1).max(1000).default(1),
    outcome: z.enum(["succeeded", "failed"]).optional(),
    afterSeconds: z.number().int().min(0).optional(),
  }),
};

const problem = (status: number, message: string): ControlAnswer => ({ status, body: { error: { type: "invalid_request_error", message } } });

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> | ControlAnswer {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return problem(400, `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
}

const isAnswer = (value: unknown): value is ControlAnswer => !!value && typeof value === "object" && "status" in value && "body" in value && Object.keys(value).length === 2;

export function handleControl(ctx: ControlContext, method: string, path: string, body: unknown, query: URLSearchParams = new URLSearchParams()): ControlAnswer {
  const route = `${method} ${path}`;
  let match: RegExpExecArray | null;
  try {
    if (route === "POST /_sandbox/accounts") {
      const input = parse(schemas.account, body);
      return isAnswer(input) ? input : { status: 200, body: ctx.createAccount(input) };
    }
    if (route === "POST /_sandbox/advance") {
      const input = parse(schemas.advance, body);
      return isAnswer(input) ? input : { status: 200, body: { now: ctx.advance(input.seconds) } };
    }
    if (route === "GET /_sandbox/deliveries") return { status: 200, body: { data: ctx.webhooks.deliveries, controls: ctx.webhooks.controls() } };
    if (route === "POST /_sandbox/webhooks/duplicate" || route === "POST /_sandbox/webhooks/drop") {
      const input = parse(count, body);
      if (isAnswer(input)) return input;
      if (path.endsWith("duplicate")) ctx.webhooks.duplicate(input.count);
      else ctx.webhooks.drop(input.count);
      return { status: 200, body: ctx.webhooks.controls() };
    }
    if (route === "POST /_sandbox/webhooks/hold") {
      ctx.webhooks.hold();
      return { status: 200, body: ctx.webhooks.controls() };
    }
    if (route === "POST /_sandbox/webhooks/release") return { status: 200, body: { released: ctx.webhooks.release() } };
    if (route === "GET /_sandbox/faults") return { status: 200, body: { data: ctx.faults.list() } };
    if (route === "DELETE /_sandbox/faults") {
      ctx.faults.clear();
      return { status: 200, body: { data: [] } };
    }
    if (route === "POST /_sandbox/faults") {
      const input = parse(schemas.fault, body);
      if (isAnswer(input)) return input;
      ctx.faults.add(input);
      return { status: 200, body: { data: ctx.faults.list() } };
    }
    if (route === "POST /_sandbox/refunds/hold") {
      const input = parse(schemas.refundHold, body);
      if (isAnswer(input)) return input;
      ctx.store.holdRefunds(input.count, { outcome: input.outcome, afterSeconds: input.afterSeconds });
      return { status: 200, body: { held: input.count } };
    }
    if ((match = /^POST \/_sandbox\/refunds\/(re_[A-Za-z0-9]+)\/settle$/.exec(route))) {
      const input = parse(outcome, body);
      if (isAnswer(input)) return input;
      const refund = ctx.store.refunds.get(match[1] ?? "");
      if (!refund) return problem(404, `No such refund: '${match[1]}'`);
      return { status: 200, body: ctx.store.renderRefund(ctx.store.settleRefund(refund, input.outcome)) };
    }
    if ((match = /^POST \/_sandbox\/payment_intents\/(pi_[A-Za-z0-9]+)\/settle$/.exec(route))) {
      const input = parse(outcome, body);
      if (isAnswer(input)) return input;
      const pi = ctx.store.paymentIntents.get(match[1] ?? "");
      if (!pi) return problem(404, `No such payment_intent: '${match[1]}'`);
      return { status: 200, body: ctx.store.renderPaymentIntent(ctx.store.settleBankDebit(pi, input.outcome)) };
    }
    if (route === "GET /_sandbox/requests") {
      // request_log_url in Stripe's errors points here with ?id=req_…
      const id = query.get("id");
      return { status: 200, body: { data: id ? ctx.requests.filter((r) => r.id === id) : ctx.requests } };
    }
  } catch (error) {
    // A transition the state refuses (settling a refund twice) is the caller's mistake.
    if (error instanceof Error && "status" in error && "body" in error) return { status: (error as { status: number }).status, body: { error: (error as { body: unknown }).body } };
    if (error instanceof Error) return problem(400, error.message);
    throw error;
  }
  return problem(404, `No sandbox control at ${method} ${path}`);
}
