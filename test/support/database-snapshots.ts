import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { applyMigrations, MIGRATIONS_DIR, type SqlSession } from "../../src/db/migrate.js";
import { PGLITE_EXTENSIONS } from "../../src/db/pglite-extensions.js";
import { quietLogger } from "./logger.js";

/**
 * Migrating a new database for every test file was most of the suite's time. Instead the
 * migrations run once per test run, into a snapshot every test database starts from:
 * a dumped PGlite data directory, and a PostgreSQL template database. `applyMigrations`
 * still runs on every opened database and finds nothing to do, so a stale snapshot could
 * not go unnoticed.
 *
 * The vitest global setup (test/support/global-setup.ts) makes both and hands them to the
 * test processes through these environment variables; outside vitest (benchmarks) nothing
 * is set and databases are migrated as before.
 */
export const PGLITE_SNAPSHOT_ENV = "GUILDHALL_TEST_PGLITE_SNAPSHOT";
export const POSTGRES_TEMPLATE_ENV = "GUILDHALL_TEST_POSTGRES_TEMPLATE";

/** Changes whenever a migration is added or edited, or the migrator itself changes. */
export function migrationsHash(): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(new URL("../../src/db/migrate.ts", import.meta.url))));
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
    const file = join(MIGRATIONS_DIR, name, "migration.sql");
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/guildhall-tests", import.meta.url));

/**
 * The path of a tar of a migrated PGlite data directory, made if missing. Kept between runs:
 * its name carries the migrations' hash. Written to a temporary name and renamed, so a
 * concurrent run never reads half a file.
 */
export async function ensurePgliteSnapshot(): Promise<string> {
  const path = join(CACHE_DIR, `pglite-${migrationsHash()}.tar`);
  if (existsSync(path)) return path;
  const pglite = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  try {
    await pglite.waitReady;
    await applyMigrations(
      { exec: async (sql) => void (await pglite.exec(sql)), query: async (sql, params) => (await pglite.query(sql, params)).rows as never },
      quietLogger(),
    );
    const tar = await pglite.dumpDataDir("none");
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(partial, Buffer.from(await tar.arrayBuffer()));
    renameSync(partial, path);
    return path;
  } finally {
    await pglite.close();
  }
}

let loaded: Blob | undefined;

/** The snapshot the global setup made, read once per test process; undefined outside vitest. */
export function pgliteSnapshot(): Blob | undefined {
  const path = process.env[PGLITE_SNAPSHOT_ENV];
  if (!path) return undefined;
  loaded ??= new Blob([readFileSync(path)]);
  return loaded;
}

/** The migrated template database on the test server, if the global setup made one. */
export function postgresTemplate(): string | undefined {
  return process.env[POSTGRES_TEMPLATE_ENV] || undefined;
}

/**
 * Makes a migrated template database on the test server for this run. `CREATE DATABASE …
 * TEMPLATE` refuses while anyone is connected to the template, so the migrating connection
 * is closed before any test copies it, and no test ever connects to it.
 */
export async function createPostgresTemplate(serverUrl: string): Promise<string> {
  const name = `guildhall_template_${migrationsHash()}_${randomBytes(3).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await withClient(url.toString(), (c) => applyMigrations(pgSession(c), quietLogger()));
  return name;
}

export async function dropPostgresTemplate(serverUrl: string, name: string): Promise<void> {
  if (!/^guildhall_template_[0-9a-f_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function pgSession(client: pg.Client): SqlSession {
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async (sql, params) => (await client.query(sql, params)).rows,
  };
}
