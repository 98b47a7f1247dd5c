/**
 * One gateway shard count for every process on the database. Shard leases are kept per count,
 * so a process that arrived at another count (Discord recommended more shards as the bot grew,
 * or DISCORD_SHARD_COUNT was changed on one process only) would connect a second set of shards
 * and hear every event twice. The first process to start records its count in a lease row;
 * later ones adopt it while any process using it renews the row, and a new count takes
 * effect once the last of them has stopped.
 */
import type { Db } from "../../../db/database.js";

export const SHARD_COUNT_LEASE = "discord-shard-count";

/** The count to use: the one running processes agreed on, or `proposed` when none is running. */
export async function agreeShardCount(db: Db, proposed: number, ttlMs: number, now: Date): Promise<number> {
  const until = new Date(now.getTime() + ttlMs);
  // The row's holder is the count itself; taking it over is allowed only once it has run out.
  const taken = await db.$queryRaw<{ holder: string }[]>`
    INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${SHARD_COUNT_LEASE}, ${String(proposed)}, ${until})
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
    WHERE "JobLease"."expiresAt" <= ${now} OR "JobLease"."holder" = EXCLUDED."holder"
    RETURNING "holder"`;
  const rows = taken.length > 0 ? taken : await db.$queryRaw<{ holder: string }[]>`SELECT "holder" FROM "JobLease" WHERE "name" = ${SHARD_COUNT_LEASE}`;
  const agreed = Number(rows[0]?.holder);
  return Number.isInteger(agreed) && agreed >= 1 ? agreed : proposed;
}

/** Lets the count go when the last process using it stops, so the next start may choose anew. */
export async function forgetShardCountIfLast(db: Db, liveOthers: number): Promise<void> {
  if (liveOthers === 0) await db.$executeRaw`DELETE FROM "JobLease" WHERE "name" = ${SHARD_COUNT_LEASE}`;
}
