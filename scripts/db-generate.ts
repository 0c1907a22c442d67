/**
 * Generates both Prisma clients (npm's postinstall, and `npm run db:generate`):
 * node_modules/.prisma/client for SQLite (what `@prisma/client` exports) and
 * node_modules/.prisma/client-postgresql from the generated PostgreSQL schema.
 * app/db/prisma-client.ts picks one at run time by DATABASE_URL.
 *
 * A client generated to its own folder gets a private copy of Prisma's runtime;
 * two runtimes would make `Prisma.sql` fragments and `Prisma.PrismaClientKnownRequestError`
 * from `@prisma/client` foreign to the PostgreSQL client (nested SQL is matched
 * with instanceof). So the PostgreSQL client is pointed at the one runtime in
 * @prisma/client, after checking that its copy is that same file.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const PRISMA = path.join(ROOT, "node_modules", ".bin", "prisma");
const PG_CLIENT = path.join(ROOT, "node_modules", ".prisma", "client-postgresql");
const SHARED_RUNTIME = path.join(ROOT, "node_modules", "@prisma", "client", "runtime");

function generate(databaseUrl: string) {
  // prisma.config.ts chooses the schema by DATABASE_URL; nothing connects to it.
  execFileSync(PRISMA, ["generate"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DATABASE_URL: databaseUrl } });
}

generate("file:./data/app.sqlite");
generate("postgresql://generate@localhost/generate");

const copy = path.join(PG_CLIENT, "runtime");
if (existsSync(copy)) {
  for (const file of readdirSync(copy)) {
    const shared = path.join(SHARED_RUNTIME, file);
    // The copy is the shared file behind a generated-code banner.
    if (!existsSync(shared) || !readFileSync(path.join(copy, file), "utf8").endsWith(readFileSync(shared, "utf8"))) {
      throw new Error(`db-generate: ${path.join(copy, file)} is not @prisma/client's runtime; are prisma and @prisma/client the same version?`);
    }
  }
  for (const file of readdirSync(PG_CLIENT)) {
    if (!/\.(c|m)?(js|ts)$/.test(file)) continue;
    const target = path.join(PG_CLIENT, file);
    const source = readFileSync(target, "utf8");
    const shared = source.replace(/(["'])\.\/runtime\//g, "$1@prisma/client/runtime/");
    if (shared !== source) writeFileSync(target, shared);
  }
  rmSync(copy, { recursive: true });
}
console.log("Prisma clients generated: SQLite (@prisma/client) and PostgreSQL (.prisma/client-postgresql)");
