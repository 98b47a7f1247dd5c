import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "./database.js";

/** Identifies this process as a lease holder. */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Takes the named lease if it is free or expired (or already ours), in one statement, so
 * of several processes racing for it exactly one wins. A holder that dies simply lets the
 * lease expire. No session-level advisory lock is involved, so it works through a pool.
 */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const rows = await db.$queryRaw<{ holder: string }[]>`
    INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${name}, ${holder}, ${expiresAt})
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
    WHERE "JobLease"."expiresAt" <= ${now} OR "JobLease"."holder" = EXCLUDED."holder"
    RETURNING "holder"`;
  return rows.length === 1;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.jobLease.deleteMany({ where: { name, holder } });
}

/**
 * Shutdown: gives up at once what this process holds, so other processes take it over now
 * instead of after expiry: its named leases (`holder`, or `holder:<run>` as reconcile runs
 * use), and its claims on stored work still running, which become claimable again (the
 * work's own per-recipient records keep a second run from repeating what the first did).
 */
export async function releaseProcessLeases(db: Db, holder: string, now: Date): Promise<void> {
  await db.$executeRaw`DELETE FROM "JobLease" WHERE "holder" = ${holder} OR starts_with("holder", ${`${holder}:`})`;
  await db.$executeRaw`
    UPDATE "ScheduledWork" SET "lockedUntil" = ${now}
    WHERE "status" = 'running' AND "lockedBy" = ${holder} AND "lockedUntil" > ${now}`;
}
