import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/**
 * The rooms of app/ and the direction of their imports (docs/decisions/0012-rooms-and-arrows.md):
 * edge → domain → plumbing. Type-only imports are allowed in any direction (they vanish at run time).
 */
const EDGE = ["**/inbound/**", "**/routes/**", "**/admin/**", "**/server/**", "**/background/**", "**/ui/**", "**/services.server", "**/shopify.server", "**/entry.server"];
const DOMAIN = ["**/payments/**", "**/delivery/**", "**/privacy/**", "**/providers/**", "**/cards/**", "**/audit/**"];

/** A rule that refuses run-time imports of `group` from the files of `files`, naming the rule it keeps. */
function boundary(files, group, message) {
  return {
    files,
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group, message, allowTypeImports: true }] }],
    },
  };
}

const UPWARD = "An upward import: the edge → domain → plumbing direction of docs/decisions/0012-rooms-and-arrows.md forbids it. Pass the dependency in, or move the code down.";
/** The payments sub-rooms a sub-room may not import at run time (docs/decisions/0012-rooms-and-arrows.md, "Payments sub-rooms"). */
const PAYMENTS_ABOVE = {
  rules: ["**/outcomes/**", "**/receipt/**", "**/charging/**", "**/buyer/**"],
  outcomes: ["**/receipt/**", "**/charging/**", "**/buyer/**"],
  // Siblings: a receipt is recorded without charging, a charge is made without receiving.
  receipt: ["**/charging/**", "**/buyer/**"],
  charging: ["**/receipt/**", "**/buyer/**"],
};
const PLUMBING = ["app/db/**", "app/db.server.ts", "app/http/**", "app/observability/**", "app/logger.server.ts", "app/env.server.ts", "app/crypto/**", "app/shopify/**"];

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", ".cache/", "data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly", crypto: "readonly", performance: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    // Its effect leaves `onDone` out of its dependencies on purpose or not: the owner of app/ui/ decides
    // (changed on another branch this round); until then this one file is exempt.
    files: ["app/ui/confirm-action.tsx"],
    rules: { "react-hooks/exhaustive-deps": "off" },
  },
  // Plumbing serves everyone and knows nobody above it.
  boundary(PLUMBING, [...EDGE, ...DOMAIN], UPWARD),
  // The domain never reaches the edge; inside it, payments is the bottom of the outcomes' chain
  // (delivery and privacy ask payments, never the other way round). Cards sit below payments
  // and providers: a card is decrypted and described there, and charged by payments.
  boundary(["app/payments/**"], [...EDGE, "**/delivery/**"], UPWARD),
  // Inside payments, one direction too: buyer → charging | receipt → outcomes → rules. A later
  // block replaces an earlier one's options for the same files, so each repeats the outer rooms.
  boundary(["app/payments/rules/**"], [...EDGE, "**/delivery/**", ...PAYMENTS_ABOVE.rules], UPWARD),
  boundary(["app/payments/outcomes/**"], [...EDGE, "**/delivery/**", ...PAYMENTS_ABOVE.outcomes], UPWARD),
  boundary(["app/payments/receipt/**"], [...EDGE, "**/delivery/**", ...PAYMENTS_ABOVE.receipt], UPWARD),
  boundary(["app/payments/charging/**"], [...EDGE, "**/delivery/**", ...PAYMENTS_ABOVE.charging], UPWARD),
  boundary(["app/cards/**"], [...EDGE, "**/payments/**", "**/providers/**", "**/delivery/**", "**/privacy/**"], UPWARD),
  boundary(["app/privacy/**"], [...EDGE, "**/delivery/**"], UPWARD),
  boundary(["app/audit/**"], [...EDGE, ...DOMAIN], UPWARD),
  boundary(["app/delivery/**", "app/providers/**"], EDGE, UPWARD),
);
