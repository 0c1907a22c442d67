import { describe, expect, it } from "vitest";
import { maskEmail, maskPhone, maskText } from "./mask";

describe("masking customer data", () => {
  it("keeps the first letter of each part of an email and its top-level domain", () => {
    expect(maskEmail("john.smith@example.com")).toBe("j•••@e•••.com");
    expect(maskEmail("a@b")).toBe("a•••@b•••");
  });

  it("never shows more than the last two digits of a phone number", () => {
    expect(maskPhone("+1 (555) 625-1199")).toBe("•••• 99");
    expect(maskPhone("12")).toBe("•••");
  });

  it("keeps only the first character of names and address lines", () => {
    expect(maskText("  Queen Street 12 ")).toBe("Q•••");
    expect(maskText("")).toBe("");
  });

  it("never leaves an address-like email unmasked", () => {
    expect(maskEmail("not-an-email")).toBe("n•••");
  });
});
