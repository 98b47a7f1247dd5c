import type { Db } from "./database.js";

/** Slots handed out by one reservation, in milliseconds on the database's clock. */
export interface ReservedSlots {
  /** The first slot; the others follow `intervalMs` apart. */
  readonly first: number;
  /** The database's clock when it handed them out (for converting to the caller's clock). */
  readonly dbNow: number;
}

/**
 * The shared pace of requests on one key (a bot token; a token and a Slack channel) across
 * processes: one row holds when the next free slot starts, on the database's clock. Reserving
 * `count` slots moves it on by `count` intervals in one statement, from where it was or from
 * now if that is later, so slots of all processes together are never closer than the interval.
 */
export class PaceTimeline {
  constructor(private readonly db: Db) {}

  async reserve(key: string, count: number, intervalMs: number): Promise<ReservedSlots> {
    const span = count * intervalMs;
    const rows = await this.db.$queryRaw<{ first: number; dbNow: number }[]>`
      WITH t AS (SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms)
      INSERT INTO "PaceTimeline" ("key", "nextAt") SELECT ${key}, t.now_ms + ${span}::float8 FROM t
      ON CONFLICT ("key") DO UPDATE SET "nextAt" = GREATEST("PaceTimeline"."nextAt", EXCLUDED."nextAt" - ${span}::float8) + ${span}::float8
      RETURNING "nextAt" - ${span}::float8 AS "first", (SELECT now_ms FROM t)::float8 AS "dbNow"`;
    const row = rows[0]!;
    return { first: Number(row.first), dbNow: Number(row.dbNow) };
  }

  /** Forgets keys under `prefix` whose last slot is more than `idleMs` past (Slack channels posted to once). */
  async prune(prefix: string, idleMs: number): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM "PaceTimeline" WHERE "key" LIKE ${`${prefix}%`} AND "nextAt" < extract(epoch FROM clock_timestamp()) * 1000 - ${idleMs}::float8`;
  }
}
