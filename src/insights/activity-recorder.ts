import type { Db } from "../db/database.js";
import { sqlFor } from "../db/sql.js";
import { StatementBatcher } from "../db/statement-batcher.js";

/** Members already recorded today, per database, so a busy member costs one write a day. */
const seenToday = new WeakMap<Db, { day: string; keys: Set<string> }>();

/**
 * Remembers that a member was active on a UTC day (ran a command, pressed a button, posted
 * in a tracked thread): one row per member per day, so daily, weekly and monthly actives are
 * counted without reading the commands themselves. Never throws: activity is never worth
 * failing a command for, and a missed row only undercounts one member for one day.
 * Resolves once the row is written (or the write failed).
 */
export async function recordActivity(db: Db, communityId: string, memberId: string, at: Date): Promise<void> {
  const day = at.toISOString().slice(0, 10);
  let seen = seenToday.get(db);
  if (!seen || seen.day !== day) seenToday.set(db, (seen = { day, keys: new Set() }));
  const key = `${communityId}:${memberId}`;
  if (seen.keys.has(key)) return;
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new ActivityWriter(db)));
  // Left out of the cache when the write failed, so the member's next action tries again.
  if (await writer.add({ communityId, memberId, day })) seen.keys.add(key);
}

interface ActivityRow {
  readonly communityId: string;
  readonly memberId: string;
  readonly day: string;
}

const writers = new WeakMap<Db, ActivityWriter>();

/**
 * Writes activity rows one statement at a time: rows that come in while a statement runs go
 * together in the next one. A burst of new members (each one's first command is new
 * activity) then costs a few statements instead of one per member.
 */
class ActivityWriter {
  readonly #rows: StatementBatcher<ActivityRow, true>;

  constructor(db: Db) {
    this.#rows = new StatementBatcher(async (rows) => {
      await insertRows(db, rows);
      return rows.map(() => true as const);
    });
  }

  /** Resolves with whether the statement carrying `row` succeeded. */
  add(row: ActivityRow): Promise<boolean> {
    return this.#rows.add(row).then(
      () => true,
      () => false,
    );
  }
}

async function insertRows(db: Db, rows: readonly ActivityRow[]): Promise<void> {
  const [only] = rows;
  if (rows.length === 1 && only) {
    await sqlFor(db)`
      INSERT INTO "InsightActivity" ("communityId", "memberId", "day") VALUES (${only.communityId}, ${only.memberId}, ${only.day}::date)
      ON CONFLICT DO NOTHING`;
    return;
  }
  await sqlFor(db)`
    INSERT INTO "InsightActivity" ("communityId", "memberId", "day")
    SELECT * FROM unnest(${rows.map((r) => r.communityId)}::text[], ${rows.map((r) => r.memberId)}::text[], ${rows.map((r) => r.day)}::date[])
    ON CONFLICT DO NOTHING`;
}
