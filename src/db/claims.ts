import type { Db } from "./database.js";
import { sqlFor } from "./sql.js";

/** How long a claim is kept: far longer than any platform retries a delivery (Slack: minutes). */
export const CLAIM_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * Exactly-once handling across processes: before handling an interaction or a platform
 * event, a process claims it by the platform's own id. The first claim inserts the row and
 * wins; every later one (another process that received the same gateway event, a Slack
 * retry) finds it and loses, in one statement, so concurrent claimers cannot both win.
 */
export class Claims {
  constructor(private readonly db: Db) {}

  /**
   * True when this call took `key`; false when someone already had. `holder` (a Discord gateway
   * interaction's process) lets another process answer it should that one die (claim-recovery).
   */
  async claim(key: string, at: Date = new Date(), holder?: string): Promise<boolean> {
    const rows = await sqlFor(this.db)<{ key: string }>`
      INSERT INTO "InteractionClaim" ("key", "claimedAt", "holder") VALUES (${key}, ${at}, ${holder ?? null})
      ON CONFLICT ("key") DO NOTHING
      RETURNING "key"`;
    return rows.length === 1;
  }

  /** Deletes claims older than `olderThanMs` before `now`; returns how many went. */
  async prune(now: Date, olderThanMs = CLAIM_RETENTION_MS): Promise<number> {
    const { count } = await this.db.interactionClaim.deleteMany({ where: { claimedAt: { lt: new Date(now.getTime() - olderThanMs) } } });
    return count;
  }
}
