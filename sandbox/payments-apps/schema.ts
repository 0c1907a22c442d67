import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildASTSchema,
  GraphQLScalarType,
  Kind,
  parse,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";
import { PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04, hasApi202604PaymentRejectionFields } from "./state";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The copy the app vendors; the sandbox serves exactly what the app's operations are checked against. */
export const VENDORED_SCHEMA_PATH = path.join(REPO_ROOT, "app", "shopify", "payments-apps", "schema.graphql");
/** The team's shared spec, used only while the vendored copy does not exist yet. */
export const SHARED_SCHEMA_PATH = path.resolve(REPO_ROOT, "..", "shared", "spec", "payments-apps.graphql");

/** Path of the schema SDL the sandbox serves: the vendored copy when present, else the shared spec. */
export function resolvePaymentsAppsSchemaPath(): string {
  if (existsSync(VENDORED_SCHEMA_PATH)) return VENDORED_SCHEMA_PATH;
  if (existsSync(SHARED_SCHEMA_PATH)) return SHARED_SCHEMA_PATH;
  throw new Error(
    `Payments Apps schema not found: expected ${VENDORED_SCHEMA_PATH} (vendored copy) or ${SHARED_SCHEMA_PATH}. ` +
      "Vendor the schema into app/shopify/payments-apps/schema.graphql.",
  );
}

export function loadPaymentsAppsSchemaSource(): string {
  return readFileSync(resolvePaymentsAppsSchemaPath(), "utf8");
}

const ADDED_IN_2026_04 = new Set<string>(PAYMENT_REJECTION_REASONS_ADDED_IN_2026_04);

/**
 * Removes what API versions before 2026-04 do not have (spec §8, §14): the newer
 * PaymentSessionStateRejectedReason values and the rejection `source`. An older client that
 * sends one of them then gets the same GraphQL validation error Shopify's older schema gives.
 */
function withoutApi202604Additions(document: DocumentNode): DocumentNode {
  return visit(document, {
    EnumTypeDefinition(node) {
      if (node.name.value === "PaymentSessionStateRejectedSource") return null;
      if (node.name.value !== "PaymentSessionStateRejectedReason") return undefined;
      return { ...node, values: node.values?.filter((value) => !ADDED_IN_2026_04.has(value.name.value)) };
    },
    ObjectTypeDefinition(node) {
      if (node.name.value !== "PaymentSessionStateRejected") return undefined;
      return { ...node, fields: node.fields?.filter((field) => field.name.value !== "source") };
    },
    InputObjectTypeDefinition(node) {
      if (node.name.value !== "PaymentSessionRejectionReasonInput") return undefined;
      return { ...node, fields: node.fields?.filter((field) => field.name.value !== "source") };
    },
  });
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a DateTime input; a value without an offset is taken as UTC. */
export function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value)) {
    throw new TypeError(`DateTime must be an ISO 8601 date and time, e.g. 2019-09-07T15:50:00Z; got ${JSON.stringify(value)}`);
  }
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasOffset ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime is not a valid date: ${JSON.stringify(value)}`);
  return date;
}

function parseUrl(value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`URL must be a string; got ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`URL must be absolute, with a scheme and a host; got ${JSON.stringify(value)}`);
  }
  if (url.host === "") throw new TypeError(`URL must have a host; got ${JSON.stringify(value)}`);
  return value;
}

/** buildASTSchema leaves custom scalars as pass-through; give them Shopify's input checks. */
function installScalarBehaviour(schema: GraphQLSchema): void {
  const dateTime = schema.getType("DateTime");
  if (dateTime instanceof GraphQLScalarType) {
    // Resolvers receive the parsed input as the original ISO string (validated) and return ISO strings.
    dateTime.parseValue = (value) => {
      parseDateTime(value);
      return value;
    };
    dateTime.parseLiteral = (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError("DateTime must be a string literal");
      parseDateTime(ast.value);
      return ast.value;
    };
  }
  const url = schema.getType("URL");
  if (url instanceof GraphQLScalarType) {
    url.parseValue = (value) => parseUrl(value);
    url.parseLiteral = (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError("URL must be a string literal");
      return parseUrl(ast.value);
    };
  }
  const json = schema.getType("JSON");
  if (json instanceof GraphQLScalarType) {
    json.parseLiteral = (ast, variables) => valueFromASTUntyped(ast, variables);
  }
}

const cache = new Map<string, GraphQLSchema>();

/**
 * The schema as a client of `version` sees it. Versions from 2026-04 on (and `unstable`) get the
 * SDL unchanged; older versions lose the 2026-04 additions.
 */
export function buildPaymentsAppsSchema(version: string, source: string = loadPaymentsAppsSchemaSource()): GraphQLSchema {
  const era = hasApi202604PaymentRejectionFields(version) ? "2026-04+" : "pre-2026-04";
  const key = `${era}\n${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const document = parse(source);
  const schema = buildASTSchema(era === "2026-04+" ? document : withoutApi202604Additions(document));
  installScalarBehaviour(schema);
  cache.set(key, schema);
  return schema;
}
