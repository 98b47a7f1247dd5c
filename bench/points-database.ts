// The points benchmark's PostgreSQL database, seeded once and kept: seeding a million ledger
// rows takes minutes on a busy machine, copying a seeded database takes seconds. The seeded
// database is a template no run touches: each run measures (and /thanks writes into) a copy,
// dropped afterwards, so every run starts from the same data.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type pg from "pg";
import { openDatabase } from "../src/db/database.js";
import type { Logger } from "../src/log/logger.js";
import { periodKey } from "../src/points/ledger.js";
import { withClient } from "../test/support/database-snapshots.js";
import type { Seeded } from "./points-seed.js";

const PREFIX = "guildhall_bench_points_";

/**
 * The kept database for this size: its name carries a hash of the seeding code, the size,
 * and this calendar week and month (UTC), since the seed dates rows back from the day it ran
 * and a board of a week that has just begun would be nearly empty.
 */
export function keptName(size: { rows: number; members: number }, now = new Date()): string {
  const seedCode = readFileSync(new URL("./points-seed.ts", import.meta.url), "utf8");
  const hash = createHash("sha256").update(`${seedCode}\n${size.rows}\n${size.members}\n${periodKey("week", now)}\n${periodKey("month", now)}`).digest("hex").slice(0, 16);
  return `${PREFIX}${hash}`;
}

/**
 * A fresh copy of the seeded database for `size`, seeding it first (with `seed`, on a
 * migrated database) when no kept one exists or `BENCH_POINTS_RESEED` is set. A kept database
 * gets the migrations added since it was seeded (a new index) before it is copied.
 */
export async function seededCopy(
  size: { rows: number; members: number },
  seed: (url: string) => Promise<Seeded>,
  log: Logger,
): Promise<{ url: string; seeded: Seeded; reused: boolean; copyMs: number }> {
  const kept = keptName(size);
  let seeded = process.env.BENCH_POINTS_RESEED ? undefined : await readSeeded(kept);
  const reused = seeded !== undefined;
  if (!seeded) {
    // Older kept databases (other weeks, sizes or seeding code) are dropped: each is a few hundred MB.
    const old = await admin((c) => c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`));
    for (const { datname } of old.rows) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`));
    await admin((c) => c.query(`CREATE DATABASE ${kept}`));
    seeded = await seed(urlOf(kept));
    // Written last: a database without it was interrupted while seeding and is seeded again.
    const done = seeded;
    await withClient(urlOf(kept), async (c) => {
      await c.query(`CREATE TABLE bench_seeded (seeded jsonb NOT NULL)`);
      await c.query(`INSERT INTO bench_seeded VALUES ($1)`, [JSON.stringify(done)]);
    });
  } else {
    let applied: readonly string[] = [];
    const database = await openDatabase({ kind: "postgres", url: urlOf(kept) }, log, { poolSize: 1, onMigrated: (a) => (applied = a) });
    await database.close();
    if (applied.length > 0) await withClient(urlOf(kept), (c) => c.query(`ANALYZE`));
  }
  const copy = `guildhall_test_${randomBytes(6).toString("hex")}`;
  const started = performance.now();
  // FILE_COPY copies the files as they are, several times faster than WAL-logging every page.
  await retryWhileBusy(() => admin((c) => c.query(`CREATE DATABASE ${copy} TEMPLATE ${kept} STRATEGY FILE_COPY`)));
  return { url: urlOf(copy), seeded, reused, copyMs: performance.now() - started };
}

async function readSeeded(name: string): Promise<Seeded | undefined> {
  const exists = await admin((c) => c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]));
  if (exists.rowCount === 0) return undefined;
  return withClient(urlOf(name), async (c) => {
    const table = await c.query(`SELECT to_regclass('bench_seeded') IS NOT NULL AS present`);
    if (!table.rows[0]?.present) return undefined; // seeding was interrupted
    const row = await c.query<{ seeded: Seeded }>(`SELECT seeded FROM bench_seeded`);
    return row.rows[0]?.seeded;
  });
}

/** CREATE DATABASE … TEMPLATE refuses while a connection to the template is still closing. */
async function retryWhileBusy(create: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await create();
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function urlOf(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

const admin = <T>(fn: (c: pg.Client) => Promise<T>) => withClient(process.env.TEST_DATABASE_URL!, fn);

