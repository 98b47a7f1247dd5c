import { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import { pgliteAdapter } from "../../src/db/adapters.js";
import type { Database } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { PGLITE_EXTENSIONS } from "../../src/db/pglite-extensions.js";
import { quietLogger } from "./logger.js";

/**
 * In-memory PGlite databases, reused within a test process. Starting one from the migrated
 * snapshot costs about 0.8 s of CPU (unpacking 1,300 files into its file system, starting
 * the server); emptying one costs a few milliseconds. A database given back by `dispose` is emptied
 * (every row deleted, advisory locks released; the schema has no sequences to restart) and handed to the
 * next test that asks, in this file or a later one (test files share their process,
 * vitest.config.ts).
 *
 * A test holds its database through a handle that stops working when given back, so work a
 * test left running cannot write into the next test's database: it fails as it did when the
 * database was closed.
 */
const idle: PGlite[] = [];
let tables: Promise<string[]> | undefined;

export async function pooledPglite(snapshot: Blob | undefined): Promise<{ db: Database; giveBack(): Promise<void> }> {
  const pglite = idle.pop() ?? (await startPglite(snapshot));
  let live = true;
  const handle = new Proxy(pglite, {
    get(target, property) {
      if (!live) throw new Error("this test database was given back (dispose) and can no longer be used");
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const prisma = new PrismaClient({ adapter: pgliteAdapter(handle) });
  const close = async () => {
    live = false;
    await prisma.$disconnect();
  };
  return {
    db: {
      prisma,
      kind: "pglite",
      ping: async () => void (await handle.query("SELECT 1")),
      // A test that closes its database itself gets the old behaviour: it is gone.
      close: async () => {
        await close();
        await pglite.close();
      },
    },
    async giveBack() {
      await close();
      if (pglite.closed) return;
      if (await emptied(pglite)) idle.push(pglite);
      else await pglite.close().catch(() => undefined);
    },
  };
}

async function startPglite(snapshot: Blob | undefined): Promise<PGlite> {
  const pglite = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS, ...(snapshot ? { loadDataDir: snapshot } : {}) });
  await pglite.waitReady;
  // As openDatabase does: finds nothing to do on the snapshot, so a stale one cannot go unnoticed.
  await applyMigrations({ exec: async (sql) => void (await pglite.exec(sql)), query: async (sql, params) => (await pglite.query(sql, params)).rows as never }, quietLogger());
  return pglite;
}

/** Empties a database given back; false if it did not finish in time (a transaction left open), and it is not reused. */
async function emptied(pglite: PGlite): Promise<boolean> {
  tables ??= pglite
    .query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`)
    .then((r) => r.rows.map((row) => row.name));
  const list = await tables;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
  const reset = (async () => {
    // Session state a test may leave behind. Not DISCARD ALL: it also resets what PGlite set up for its own session.
    await pglite.query("SELECT pg_advisory_unlock_all()");
    // DELETE, not TRUNCATE: a truncated table gets new files, and every query after it
    // re-reads the catalog; the next test ran slower on the emptied database than on a new
    // one. With foreign-key triggers off for the moment, the order of the tables does not matter.
    await pglite.transaction(async (tx) => {
      await tx.exec("SET LOCAL session_replication_role = replica");
      for (const table of list) await tx.exec(`DELETE FROM ${table}`);
    });
    return true as const;
  })().catch(() => false as const);
  const outcome = await Promise.race([reset, late]);
  clearTimeout(timer);
  return outcome;
}
