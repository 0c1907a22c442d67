import { z } from "zod";
import { parameterInvalid, parameterMissing, parameterUnknown, type StripeApiError } from "./errors";
import { paramName, type FormObject } from "./form";

/**
 * Parameter schemas for the decoded form (every leaf a string), and the translation of a
 * failed check into Stripe's own error: unknown params first (`parameter_unknown`), then missing
 * ones (`parameter_missing`), then invalid values, each naming the param in bracket notation.
 */
const invalidInteger = (message: string) => ({ code: "parameter_invalid_integer", message });

export const integerParam = z.string().transform((text, ctx) => {
  const value = /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    ctx.addIssue({ code: "custom", params: invalidInteger(`Invalid integer: ${text}`) });
    return z.NEVER;
  }
  return value;
});

/** Amounts in minor units: Stripe refuses zero and negatives for charges, captures and refunds. */
export const positiveAmountParam = integerParam.superRefine((value, ctx) => {
  if (value < 1) ctx.addIssue({ code: "custom", params: { code: "parameter_invalid_integer", message: "This value must be greater than or equal to 1." } });
  else if (value > 99_999_999) ctx.addIssue({ code: "custom", params: { code: "amount_too_large", message: "Amount must be no more than $999,999.99" } });
});

export const stringParam = z.string().max(5000);

export const urlParam = z.string().superRefine((text, ctx) => {
  let ok = false;
  try {
    const url = new URL(text.replace("{CHECKOUT_SESSION_ID}", "x"));
    ok = url.protocol === "https:" || url.protocol === "http:";
  } catch {
    ok = false;
  }
  if (!ok) ctx.addIssue({ code: "custom", params: { code: "url_invalid", message: "Not a valid URL" } });
});

/** Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. */
export const metadataParam = z.record(z.string(), z.string()).superRefine((record, ctx) => {
  const keys = Object.keys(record);
  if (keys.length > 50) ctx.addIssue({ code: "custom", params: { message: "Invalid metadata: metadata cannot have more than 50 keys" } });
  for (const key of keys) {
    if (key.length > 40) ctx.addIssue({ code: "custom", path: [key], params: { message: `Metadata key ${key.slice(0, 40)}… is longer than 40 characters` } });
    if ((record[key] ?? "").length > 500) ctx.addIssue({ code: "custom", path: [key], params: { message: "Metadata values can have up to 500 characters" } });
  }
});

export const expandParam = z.array(z.string()).max(20);

/** List pagination, as every Stripe list endpoint takes it. */
export const listParams = {
  limit: integerParam
    .refine((n) => n >= 1 && n <= 100, { params: { message: "Invalid integer: limit must be between 1 and 100" } })
    .optional(),
  starting_after: stringParam.optional(),
  ending_before: stringParam.optional(),
  expand: expandParam.optional(),
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key as string];
  }
  return node;
}

function toStripeError(issue: z.core.$ZodIssue, input: unknown): StripeApiError {
  const param = paramName(issue.path);
  if (issue.code === "unrecognized_keys") return parameterUnknown(paramName([...issue.path, issue.keys[0] ?? ""]));
  if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) return parameterMissing(param);
  if (issue.code === "invalid_value") {
    const options = issue.values.map(String);
    const list = options.length > 1 ? `${options.slice(0, -1).join(", ")}, or ${options.at(-1)}` : options.join("");
    return parameterInvalid(param, `Invalid ${param}: must be one of ${list}`);
  }
  if (issue.code === "custom") {
    const details = (issue.params ?? {}) as { code?: string; message?: string };
    return parameterInvalid(param, details.message ?? `Invalid ${param}`, details.code);
  }
  if (issue.code === "too_big" || issue.code === "too_small") return parameterInvalid(param, `Invalid ${param}: ${issue.message}`);
  if (issue.code === "invalid_type") {
    const expected = issue.expected === "array" ? "an array" : issue.expected === "object" ? "a hash" : "a string";
    return parameterInvalid(param, `Invalid ${param}: must be ${expected}`);
  }
  return parameterInvalid(param, `Invalid ${param}`);
}

const ORDER: Record<string, number> = { unrecognized_keys: 0, invalid_type: 1 };

/** Parses a decoded form against a schema; the first problem, as Stripe would name it, is thrown. */
export function parseParams<Schema extends z.ZodType>(schema: Schema, input: FormObject): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = [...result.error.issues].sort((a, b) => (ORDER[a.code] ?? 2) - (ORDER[b.code] ?? 2));
  throw toStripeError(issues[0] as z.core.$ZodIssue, input);
}
