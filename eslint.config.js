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

/** The TypeScript the type-aware rules read (the config files are plain JavaScript, outside the project). */
const TYPED = ["app/**/*.{ts,tsx}", "test/**/*.ts", "e2e/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "sandbox/**/*.ts"];

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
  // Type-aware rules (issue 11): the TypeScript project service gives every file its types.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TYPED })),
  {
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Remix's loaders, actions and require* helpers throw Responses by design (CONVENTIONS.md).
      "@typescript-eslint/only-throw-error": ["error", {
        allow: [
          { from: "lib", name: "Response" },
          { from: "package", package: "undici-types", name: "Response" },
          { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
          { from: "package", package: "@remix-run/router", name: "DataWithResponseInit" },
        ],
      }],
    },
  },
  {
    // Tests, their support and the benchmarks read untyped JSON and SQL rows (response bodies, pg rows)
    // by design, spy on methods (vitest), and print values on purpose: the unsafe-any family,
    // unbound-method and restrict-template-expressions would flag hundreds of such lines there.
    // The promise rules stay on everywhere.
    files: ["**/*.test.ts", "test/**", "e2e/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/restrict-template-expressions": "off",
      "@typescript-eslint/restrict-plus-operands": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
    },
  },
  {
    // Remix's template: isbot's versions differ in their exports, and React's stream errors are passed on as they come.
    files: ["app/entry.server.tsx"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off", "@typescript-eslint/no-unsafe-call": "off", "@typescript-eslint/no-unsafe-return": "off", "@typescript-eslint/prefer-promise-reject-errors": "off" },
  },
  {
    // Polaris hands its link component props typed `any` (LinkLikeComponentProps), spread onto the link as they come.
    files: ["app/ui/embedded-app-provider.tsx"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
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
