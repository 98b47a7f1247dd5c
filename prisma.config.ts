// Prisma CLI configuration: the JavaScript schema engine driven through the same driver
// adapters the bot uses, so `prisma migrate` needs no native engine download.
// See ../shared/notes/prisma.md for why each line is here.
import "dotenv/config";
import { defineConfig } from "prisma/config";
import { EMBEDDED_DATABASE_URL } from "./src/db/target.js";
import { migrationAdapterFactory } from "./src/db/adapters.js";

// The schema reads env("DATABASE_URL"); the CLI must always find a valid postgresql:// URL.
process.env.DATABASE_URL ||= EMBEDDED_DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  engine: "js",
  adapter: () => migrationAdapterFactory(process.env.DATABASE_URL, process.env.GUILDHALL_DATA_DIR ?? "./data"),
});
