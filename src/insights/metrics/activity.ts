import type { Db } from "../../db/database.js";
import { addDays, dayOf, daysBetween } from "../periods.js";

/**
 * Distinct active members in the `window` days ending on each day (1: daily, 7: weekly, 30:
 * monthly actives). Each activity row covers the days from its own to the day before the
 * member's next row, at most `window` days: those spans never overlap for one member, so the
 * count on a day is the number of spans covering it, summed from +1/−1 changes in one pass.
 */
export async function activeMembers(db: Db, communityId: string, window: number, from: Date, to: Date): Promise<Map<string, number>> {
  const changes = await db.$queryRaw<{ day: Date; delta: bigint }[]>`
    WITH rows AS (
      SELECT "day", LEAD("day") OVER (PARTITION BY "memberId" ORDER BY "day") AS "next"
      FROM "InsightActivity" WHERE "communityId" = ${communityId}
    ), spans AS (
      SELECT "day" AS "first", LEAST("day" + ${window - 1}::int, COALESCE("next" - 1, "day" + ${window - 1}::int)) AS "last" FROM rows
    )
    SELECT "day", SUM("delta")::bigint AS "delta" FROM (
      SELECT "first" AS "day", 1 AS "delta" FROM spans UNION ALL SELECT "last" + 1, -1 FROM spans
    ) c GROUP BY "day" ORDER BY "day"`;
  const counts = new Map<string, number>();
  let running = 0;
  let i = 0;
  for (const day of daysBetween(from, to)) {
    for (; i < changes.length && dayOf(changes[i]!.day) <= day; i++) running += Number(changes[i]!.delta);
    counts.set(day, running);
  }
  return counts;
}

/**
 * New members by the month they joined (their first appearance in the community; members
 * folded into another by /link are not counted twice), and how many of them were active
 * again between 30 and 59 days after joining. A cohort younger than 60 days is still open.
 */
export async function joinCohorts(db: Db, communityId: string, now: Date): Promise<{ month: string; joined: number; retained: number; complete: boolean }[]> {
  const rows = await db.$queryRaw<{ month: string; joined: bigint; retained: bigint; youngest: Date }[]>`
    SELECT to_char(m."createdAt", 'YYYY-MM') AS "month", COUNT(*)::bigint AS "joined", MAX(m."createdAt") AS "youngest",
      COUNT(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM "InsightActivity" a
        WHERE a."communityId" = m."communityId" AND a."memberId" = m."id"
          AND a."day" >= (m."createdAt" + interval '30 days')::date AND a."day" < (m."createdAt" + interval '60 days')::date
      ))::bigint AS "retained"
    FROM "Member" m WHERE m."communityId" = ${communityId} AND m."mergedIntoId" IS NULL
    GROUP BY 1 ORDER BY 1`;
  const cutoff = addDays(now, -60);
  return rows.map((r) => ({ month: r.month, joined: Number(r.joined), retained: Number(r.retained), complete: new Date(`${r.month}-01T00:00:00Z`) < cutoff && r.youngest < cutoff }));
}
