import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { type Database, type Db, openDatabase } from "../../src/db/database.js";
import { type DatabaseTarget, resolveDatabaseTarget } from "../../src/db/target.js";
import { pgliteSnapshot, postgresTemplate, withClient } from "./database-snapshots.js";
import { quietLogger } from "./logger.js";
import { pooledPglite } from "./pglite-pool.js";

/** The PostgreSQL server the data-layer tests also run against, when CI provides one. */
export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase extends Database {
  readonly target: DatabaseTarget;
  /** Closes and, on PostgreSQL, drops the throwaway database. */
  dispose(): Promise<void>;
}

/** The backends every data-layer test runs on: PGlite always, PostgreSQL where available. */
export function backends(): ("pglite" | "postgres")[] {
  return testDatabaseUrl() ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * A fresh, migrated database: in-memory PGlite, or a new database on the test server, both
 * copied from the run's migrated snapshot when there is one (database-snapshots.ts). PGlite
 * databases are emptied and reused once disposed (pglite-pool.ts).
 */
export async function freshDatabase(kind: "pglite" | "postgres"): Promise<TestDatabase> {
  if (kind === "pglite") {
    const { db, giveBack } = await pooledPglite(pgliteSnapshot());
    return { ...db, target: memoryTarget(), dispose: giveBack };
  }
  const target = await createPostgresDatabase({ template: postgresTemplate() });
  const db = await openDatabase(target, quietLogger());
  return {
    ...db,
    target,
    dispose: async () => {
      await db.close();
      if (target.kind === "postgres") await dropPostgresDatabase(target.url);
    },
  };
}

/**
 * Deletes every row of every table but the migrations', on either backend: for a test that
 * tells many independent stories on one database, so each starts as on a fresh one without
 * paying for one. DELETE with foreign-key triggers off for the moment, in any table order
 * (as pglite-pool.ts empties a database given back).
 */
export async function deleteAllRows(db: Db): Promise<void> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    for (const { name } of tables) await tx.$executeRawUnsafe(`DELETE FROM ${name}`);
  });
}

/** An in-memory PGlite database, started from the migrated snapshot when the run made one. */
export function memoryTarget(): DatabaseTarget {
  const initialData = pgliteSnapshot();
  return { kind: "pglite", dataDir: "memory://", pgliteDir: "memory://", ...(initialData ? { initialData } : {}) };
}

/**
 * A new data directory (GUILDHALL_DATA_DIR) whose embedded database is already migrated, a
 * copy of the run's snapshot: for tests of a process that opens its database from disk and
 * are not about migrating it (creating and migrating one costs seconds).
 */
export async function migratedDataDir(prefix = "gh-migrated-"): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const snapshot = pgliteSnapshot();
  const target = resolveDatabaseTarget(undefined, dataDir);
  if (snapshot && target.kind === "pglite") {
    const pglite = new PGlite(target.pgliteDir, { loadDataDir: snapshot });
    await pglite.waitReady;
    await pglite.close();
  }
  return dataDir;
}

/**
 * Creates a database on the test server and returns its target: empty, or a copy of
 * `template` (a migrated template database) when given.
 */
export async function createPostgresDatabase(opts: { template?: string | undefined } = {}): Promise<Extract<DatabaseTarget, { kind: "postgres" }>> {
  const server = testDatabaseUrl();
  if (!server) throw new Error("TEST_DATABASE_URL is not set");
  const name = `guildhall_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((c) => c.query(opts.template ? `CREATE DATABASE ${name} TEMPLATE ${opts.template}` : `CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { kind: "postgres", url: url.toString() };
}

export async function dropPostgresDatabase(urlText: string): Promise<void> {
  const name = new URL(urlText).pathname.slice(1);
  if (!/^guildhall_test_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const server = testDatabaseUrl();
  if (!server) throw new Error("TEST_DATABASE_URL is not set");
  return withClient(server, fn);
}
