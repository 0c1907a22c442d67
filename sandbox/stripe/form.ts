/**
 * Stripe's request encoding: application/x-www-form-urlencoded with bracket notation
 * (`metadata[k]=v`, `line_items[0][price_data][currency]=usd`, `expand[]=a`), decoded into
 * nested objects and arrays of strings. Every leaf stays a string: params.ts decides what it means.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormDecodeError extends Error {
  constructor(readonly param: string) {
    super(`Invalid parameter: ${param}`);
  }
}

const MAX_DEPTH = 8;
const MAX_PAIRS = 1000;

/** `a[b][0][]` → ["a", "b", "0", ""]; a malformed name throws. */
function splitName(name: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!match) throw new FormDecodeError(name);
  const parts = [match[1] ?? ""];
  for (const segment of (match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)) parts.push(segment[1] ?? "");
  if (parts.length > MAX_DEPTH) throw new FormDecodeError(name);
  return parts;
}

function isIndex(part: string): boolean {
  return part === "" || /^\d{1,4}$/.test(part);
}

export function decodeForm(text: string): FormObject {
  const root: FormObject = {};
  const pairs = new URLSearchParams(text);
  let count = 0;
  for (const [name, value] of pairs) {
    if (++count > MAX_PAIRS) throw new FormDecodeError(name);
    const parts = splitName(name);
    let node: FormObject | FormValue[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? "";
      const last = i === parts.length - 1;
      const nextIsIndex = !last && isIndex(parts[i + 1] ?? "");
      if (Array.isArray(node)) {
        if (!isIndex(part)) throw new FormDecodeError(name);
        const index = part === "" ? node.length : Number(part);
        // Indices arrive in order from every SDK; a gap or a jump back is a malformed body.
        if (index > node.length) throw new FormDecodeError(name);
        if (last) {
          if (index < node.length) throw new FormDecodeError(name);
          node.push(value);
        } else {
          const existing: FormValue | undefined = node[index];
          const child: FormValue = existing ?? (nextIsIndex ? [] : {});
          if (typeof child === "string" || Array.isArray(child) !== nextIsIndex) throw new FormDecodeError(name);
          node[index] = child;
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it the loop's `node` widens to any
          node = child as FormObject | FormValue[];
        }
      } else {
        if (part === "" || part === "__proto__" || part === "constructor" || part === "prototype") throw new FormDecodeError(name);
        if (last) {
          if (Object.hasOwn(node, part)) throw new FormDecodeError(name);
          node[part] = value;
        } else {
          const existing: FormValue | undefined = Object.hasOwn(node, part) ? node[part] : undefined;
          const child: FormValue = existing ?? (nextIsIndex ? [] : {});
          if (typeof child === "string" || Array.isArray(child) !== nextIsIndex) throw new FormDecodeError(name);
          node[part] = child;
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it the loop's `node` widens to any
          node = child as FormObject | FormValue[];
        }
      }
    }
  }
  return root;
}

/** `["line_items", 0, "quantity"]` → `line_items[0][quantity]`, as Stripe names params in errors. */
export function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  return String(head ?? "") + rest.map((p) => `[${String(p)}]`).join("");
}
