import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../log/logger.js";
import { pgliteAdapter } from "./adapters.js";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.js";
import { lockDataDir } from "./data-dir-lock.js";
import { applyMigrations, type SqlSession } from "./migrate.js";
import { attachDriver, type SqlValue } from "./sql.js";
import type { DatabaseTarget } from "./target.js";

export type Db = PrismaClient;

/** An open database: the Prisma client plus what it takes to close it cleanly. */
export interface Database {
  readonly prisma: Db;
  readonly kind: DatabaseTarget["kind"];
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  /** PostgreSQL's pool: connections checked out and queries waiting for one. PGlite has a single connection and no pool, so none. */
  poolStats?(): { readonly inUse: number; readonly waiting: number };
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations before returning (the default). */
  migrate?: boolean;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Told the migrations just applied (none when the database was up to date). */
  onMigrated?: (applied: readonly string[]) => void;
}

/** `memory://` opens a throwaway in-memory PGlite (tests and benchmarks). */
export async function openDatabase(target: DatabaseTarget, log: Logger, options: OpenOptions = {}): Promise<Database> {
  return target.kind === "pglite" ? openPglite(target, log, options) : openPostgres(target.url, log, options);
}

async function openPglite(target: Extract<DatabaseTarget, { kind: "pglite" }>, log: Logger, options: OpenOptions): Promise<Database> {
  const inMemory = target.pgliteDir.startsWith("memory://");
  const release = inMemory ? () => {} : lockDataDir(target.dataDir);
  try {
    if (!inMemory) mkdirSync(target.pgliteDir, { recursive: true });
    const pglite = new PGlite(target.pgliteDir, { extensions: PGLITE_EXTENSIONS, ...(inMemory && target.initialData ? { loadDataDir: target.initialData } : {}) });
    await pglite.waitReady;
    if (options.migrate !== false) {
      const applied = await applyMigrations({ exec: async (sql) => void (await pglite.exec(sql)), query: async (sql, params) => (await pglite.query(sql, params)).rows as never }, log);
      options.onMigrated?.(applied);
    }
    const prisma = new PrismaClient({ adapter: pgliteAdapter(pglite) });
    // PGlite runs one statement at a time and holds a transaction's statements together, so a direct one waits for an open transaction.
    attachDriver(prisma, async (text, params) => (await pglite.query(text, params as unknown[])).rows);
    return {
      prisma,
      kind: "pglite",
      ping: async () => void (await pglite.query("SELECT 1")),
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function openPostgres(url: string, log: Logger, options: OpenOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server (a restart, a failover) must not crash the bot;
  // the pool replaces it on the next query.
  pool.on("error", (error) => log.warn({ err: error }, "a PostgreSQL connection was closed by the server"));
  try {
    if (options.migrate !== false) {
      const client = await pool.connect();
      try {
        // Evaluated before the optional call: `f?.(await x)` skips `x` entirely when `f` is absent.
        const applied = await applyMigrations(pgSession(client), log);
        options.onMigrated?.(applied);
      } finally {
        client.release();
      }
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // Named, each statement is parsed and planned once per connection rather than on every call:
  // the member statement's 1,700 characters cost the server a parse and a plan each time, and
  // measured alone, named it took half the client CPU and a third of the time (0.03 against
  // 0.05 ms, 0.11 against 0.32 ms, 50 in flight at load 17). PostgreSQL plans again by itself
  // after a migration changes a table a statement reads.
  attachDriver(prisma, async (text, params, name) => (await pool.query({ name, text, values: params.map(utcValue) })).rows);
  return {
    prisma,
    kind: "postgres",
    ping: async () => void (await pool.query("SELECT 1")),
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined); // the adapter may already have ended it
    },
  };
}

/** Runs migrations only, for `npx guildhall migrate`; returns the ones it applied. */
export async function migrateOnly(target: DatabaseTarget, log: Logger): Promise<readonly string[]> {
  let applied: readonly string[] = [];
  const db = await openDatabase(target, log, { onMigrated: (names) => (applied = names) });
  await db.close();
  return applied;
}

/**
 * `pg` would send a Date in the process's local time zone; Prisma stores UTC in columns
 * without a time zone. As ISO text (with its Z, which such a column ignores) both agree.
 */
function utcValue(value: SqlValue): Exclude<SqlValue, Date> {
  return value instanceof Date ? value.toISOString() : value;
}

function pgSession(client: pg.PoolClient): SqlSession {
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async (sql, params) => (await client.query(sql, params)).rows,
  };
}
