// Prisma's Rust engines cannot be downloaded on our machines, so the CLI runs the
// WebAssembly schema engine ("js") through the same driver adapter the app uses.
// DATABASE_URL picks the provider: prisma/schema.prisma and its migrations for
// SQLite, the generated prisma/postgresql/ twin for PostgreSQL (npm run db:schemas).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createDriverAdapter, DEFAULT_DATABASE_URL, requireDatabaseProvider } from "./app/db/adapter";

// The schema reads DATABASE_URL too (even `prisma generate` needs it), so give
// the CLI the same embedded-SQLite default as the app.
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
const databaseUrl = process.env.DATABASE_URL;
const schemaDir = requireDatabaseProvider(databaseUrl) === "postgresql" ? path.join("prisma", "postgresql") : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(schemaDir, "schema.prisma"),
  migrations: { path: path.join(schemaDir, "migrations") },
  adapter: async () => createDriverAdapter(databaseUrl),
});
