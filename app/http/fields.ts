import type { z } from "zod";
import { fieldProblems, type FieldProblem } from "./http-error";

export type ParsedFields<T> = { success: true; data: T } | { success: false; problems: FieldProblem[] };

/**
 * The fields of a query string or a form, checked by `schema`. A name given more than
 * once is a problem of its own ("is given more than once"), where `Object.fromEntries`
 * would silently keep the last value and the page would act on half of what was sent.
 * `fallbackField` names problems that belong to no field (see `fieldProblems`).
 */
export function parseFields<S extends z.ZodType>(schema: S, entries: URLSearchParams | FormData, fallbackField?: string): ParsedFields<z.output<S>> {
  const fields: Record<string, FormDataEntryValue> = {};
  const repeated = new Set<string>();
  for (const [name, value] of entries) {
    // Object.hasOwn and defineProperty: a field named "__proto__" is a field like any other.
    if (Object.hasOwn(fields, name)) repeated.add(name);
    else Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  }
  if (repeated.size > 0) return { success: false, problems: [...repeated].map((field) => ({ field, message: "is given more than once; give it once" })) };
  const parsed = schema.safeParse(fields);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, problems: fieldProblems(parsed.error, fallbackField) };
}
