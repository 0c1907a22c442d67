// Prisma's Rust engines cannot be downloaded on our machines, so the CLI runs the
// WebAssembly schema engine ("js") through the same driver adapter the app uses.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createDriverAdapter, DEFAULT_DATABASE_URL } from "./app/db/adapter";

// The schema reads DATABASE_URL too (even `prisma generate` needs it), so give
// the CLI the same embedded-SQLite default as the app.
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => createDriverAdapter(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL),
});
