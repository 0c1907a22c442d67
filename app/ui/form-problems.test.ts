import { describe, expect, it } from "vitest";
import { problemOf, problemSentence, problemsAsSentences } from "./form-problems";

describe("field problems as sentences", () => {
  it("puts the field's label before a fragment and ends the sentence", () => {
    expect(problemSentence("Account name", "is required")).toBe("Account name is required.");
    expect(problemSentence("Reason", "must say why, in a few words (it is kept in the audit trail)")).toBe("Reason must say why, in a few words (it is kept in the audit trail).");
  });

  it("keeps a message that already is a sentence", () => {
    expect(problemSentence("Account name", "Shopify refused the name.")).toBe("Shopify refused the name.");
    expect(problemSentence("Reason", "Invalid option")).toBe("Invalid option.");
  });

  it("names a field without a label in quotes", () => {
    expect(problemsAsSentences([{ field: "followUpId", message: "is required" }], {})).toEqual([{ field: "followUpId", message: "“followUpId” is required." }]);
  });

  it("finds one field's problem", () => {
    const problems = problemsAsSentences([{ field: "reason", message: "is required" }], { reason: "Reason" });
    expect(problemOf(problems, "reason")).toBe("Reason is required.");
    expect(problemOf(problems, "message")).toBeUndefined();
  });
});
