import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isObjectType,
  Kind,
  parse,
  validate,
  type FieldNode,
  type OperationDefinitionNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { ENUMS_BY_SCHEMA_NAME } from "./enums";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..", "..");
const schemaText = readFileSync(path.join(here, "schema.graphql"), "utf8");
const schema = buildSchema(schemaText);
const sharedSpec = path.resolve(repoRoot, "..", "shared", "spec", "payments-apps.graphql");

const operationsDir = path.join(here, "operations");
// fragments.ts holds pieces the documents append, not operations of its own.
const operationFiles = readdirSync(operationsDir).filter((file) => file.endsWith(".ts") && file !== "fragments.ts");

/** Every string each operation module exports, as [file, export name, document]. */
const documents: [string, string, string][] = [];
for (const file of operationFiles) {
  const module: Record<string, unknown> = await import(pathToFileURL(path.join(operationsDir, file)).href);
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === "string") documents.push([file, name, value]);
  }
}

function onlyOperation(document: string): OperationDefinitionNode {
  const operations = parse(document).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  return operations[0] as OperationDefinitionNode;
}

describe("the operation documents", () => {
  it("are one module per operation, twelve in all", () => {
    expect(operationFiles).toHaveLength(12);
    expect(documents.map(([file]) => file).sort()).toEqual([...operationFiles].sort());
  });

  it.each(documents)("%s (%s) parses and validates against the vendored schema", (_file, _name, document) => {
    expect(validate(schema, parse(document))).toEqual([]);
  });

  it.each(documents)("%s (%s) is one mutation named after its file", (file, _name, document) => {
    const operation = onlyOperation(document);
    const pascal = file.replace(/\.ts$/, "").replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
    expect(operation.operation).toBe("mutation");
    expect(operation.name?.value).toBe(pascal);
  });

  it.each(documents)("%s (%s) selects userErrors.code exactly when the payload's error type has one", (_file, _name, document) => {
    const operation = onlyOperation(document);
    const root = operation.selectionSet.selections[0] as FieldNode;
    const payloadType = getNamedType(schema.getMutationType()?.getFields()[root.name.value]?.type);
    if (!isObjectType(payloadType)) throw new Error(`${root.name.value} has no object payload`);
    const errorType = getNamedType(payloadType.getFields()["userErrors"]?.type);
    if (!isObjectType(errorType)) throw new Error(`${payloadType.name}.userErrors is not a list of objects`);

    const userErrors = root.selectionSet?.selections.find(
      (selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value === "userErrors",
    );
    const selected = userErrors?.selectionSet?.selections.map((selection) => (selection as FieldNode).name.value);
    const expected = ["field", "message", ...("code" in errorType.getFields() ? ["code"] : [])];
    expect(selected).toEqual(expected);
  });
});

describe("the vendored schema", () => {
  const lines = schemaText.split("\n");

  it("opens with two comment lines that say it is a copy of the shared spec file", () => {
    expect(lines[0]).toMatch(/^# Copy of the team's shared spec file .*payments-apps\.graphql/);
    expect(lines[1]).toMatch(/^# Keep everything below these two lines identical/);
  });

  const present = existsSync(sharedSpec);
  it.skipIf(!present)(
    present
      ? "is identical to the shared spec file below its two header lines"
      : `is identical to the shared spec file below its two header lines (SKIPPED: ${sharedSpec} is absent on this machine; CI has it)`,
    () => {
      expect(lines.slice(2).join("\n")).toBe(readFileSync(sharedSpec, "utf8"));
    },
  );

  it.each(Object.entries(ENUMS_BY_SCHEMA_NAME))("lists exactly the values of %s in enums.ts", (name, values) => {
    const type = schema.getType(name);
    if (!isEnumType(type)) throw new Error(`${name} is not an enum in the schema`);
    expect([...values].sort()).toEqual(type.getValues().map((value) => value.name).sort());
  });
});
