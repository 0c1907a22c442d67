import { z } from "zod";
import { parseFields } from "./fields";

const schema = z.object({ status: z.enum(["OPEN", "FAILED"]).optional(), q: z.string().max(5).optional() });

describe("parseFields", () => {
  it("gives each field once to the schema", () => {
    expect(parseFields(schema, new URLSearchParams("status=OPEN&q=abc"))).toEqual({ success: true, data: { status: "OPEN", q: "abc" } });
  });

  it("names a field given twice instead of keeping its last value", () => {
    expect(parseFields(schema, new URLSearchParams("status=OPEN&status=FAILED&q=a"))).toEqual({ success: false, problems: [{ field: "status", message: "is given more than once; give it once" }] });
  });

  it("takes a form's repeated fields the same way", () => {
    const form = new FormData();
    form.append("q", "a");
    form.append("q", "b");
    expect(parseFields(schema, form)).toEqual({ success: false, problems: [{ field: "q", message: "is given more than once; give it once" }] });
  });

  it("passes the schema's own problems on, with the field named", () => {
    expect(parseFields(schema, new URLSearchParams("q=toolong"))).toMatchObject({ success: false, problems: [{ field: "q" }] });
  });

  it("treats __proto__ as a plain field name", () => {
    const parsed = parseFields(z.object({ q: z.string() }).passthrough(), new URLSearchParams("__proto__=x&q=1"));
    expect(parsed.success).toBe(true);
    if (parsed.success) expect(Object.getPrototypeOf(parsed.data)).toBe(Object.prototype);
  });
});
