import type { Db } from "../db/database.js";
import { sqlFor } from "../db/sql.js";

/** Members already recorded today, per database, so a busy member costs one write a day. */
const seenToday = new WeakMap<Db, { day: string; keys: Set<string> }>();

/**
 * Remembers that a member was active on a UTC day (ran a command, pressed a button, posted
 * in a tracked thread): one row per member per day, so daily, weekly and monthly actives are
 * counted without reading the commands themselves. Never throws: activity is never worth
 * failing a command for, and a missed row only undercounts one member for one day.
 */
export async function recordActivity(db: Db, communityId: string, memberId: string, at: Date): Promise<void> {
  const day = at.toISOString().slice(0, 10);
  let seen = seenToday.get(db);
  if (!seen || seen.day !== day) seenToday.set(db, (seen = { day, keys: new Set() }));
  const key = `${communityId}:${memberId}`;
  if (seen.keys.has(key)) return;
  try {
    await sqlFor(db)`
      INSERT INTO "InsightActivity" ("communityId", "memberId", "day") VALUES (${communityId}, ${memberId}, ${day}::date)
      ON CONFLICT DO NOTHING`;
    seen.keys.add(key);
  } catch {
    // Left out of the cache, so the member's next action tries again.
  }
}
