import { describe, expect, it } from "vitest";
import { hasDuplicateKey } from "./duplicate-json-keys";

describe("a JSON text with a key twice in one object", () => {
  it("is found at the top, nested, in arrays, and when the two spellings decode to one key", () => {
    for (const text of ['{"a":1,"a":2}', '{"x":{"b":1,"c":{},"b":2}}', '[{"k":1},{"k":1,"k":2}]', '{"shop_domain":"a","shop_\\u0064omain":"b"}']) {
      expect(hasDuplicateKey(text), text).toBe(true);
    }
  });

  it("is not confused by equal keys in sibling objects, keys inside strings, escaped quotes, or values equal to keys", () => {
    for (const text of ['{"a":{"a":1},"b":{"a":2}}', '[{"a":1},{"a":2}]', '{"a":"\\"a\\":1","b":"a"}', '{"a":["a","a"],"b":{"c":"a"}}', "[]", '"a"', "{}", '{"a\\\\":1,"a":2}']) {
      expect(hasDuplicateKey(text), text).toBe(false);
    }
  });
});
