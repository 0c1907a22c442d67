import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { TEMPLATE_DATABASE, TEST_CACHE } from "./support/paths";

/**
 * Once per test run: build the app as `npm run build` does (the HTTP tests run the
 * built server, like `npm start`), and migrate a template SQLite database with the
 * real migrations through `prisma migrate deploy`.
 */
export default function setup() {
  mkdirSync(TEST_CACHE, { recursive: true });
  execFileSync("npx", ["remix", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  rmSync(TEMPLATE_DATABASE, { force: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DATABASE}` },
  });
}
