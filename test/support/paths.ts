import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const TEST_CACHE = path.join(ROOT, ".cache", "test");
export const TEMPLATE_DATABASE = path.join(TEST_CACHE, "template.sqlite");
export const BUILT_SERVER = path.join(ROOT, "build", "index.js");
