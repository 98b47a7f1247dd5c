import type { Db } from "../../db/database.js";

const n = (v: bigint | number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** Code review by the month requested: requests, median minutes to claim and to done. */
export async function reviewsByMonth(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ month: string; requested: bigint; claim: number | null; done: number | null }[]>`
    SELECT to_char("createdAt", 'YYYY-MM') AS "month", COUNT(*)::bigint AS "requested",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("claimedAt" - "createdAt")) / 60) AS "claim",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("doneAt" - "createdAt")) / 60) AS "done"
    FROM "ReviewRequest" WHERE "communityId" = ${communityId} GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ month: r.month, requested: Number(r.requested), claimMinutes: n(r.claim), doneMinutes: n(r.done) }));
}

/** Requests waiting for, or in, review now. */
export function reviewBacklog(db: Db, communityId: string): Promise<number> {
  return db.reviewRequest.count({ where: { communityId, status: { in: ["waiting", "assigned", "claimed"] } } });
}

/** Reviews done per reviewer, by the month they were done. */
export async function reviewsPerReviewer(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ month: string; reviewer: string; done: bigint }[]>`
    SELECT to_char("doneAt", 'YYYY-MM') AS "month", "assigneeId" AS "reviewer", COUNT(*)::bigint AS "done"
    FROM "ReviewRequest" WHERE "communityId" = ${communityId} AND "status" = 'done' AND "doneAt" IS NOT NULL AND "assigneeId" IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, 3 DESC`;
  return rows.map((r) => ({ month: r.month, reviewer: r.reviewer, done: Number(r.done) }));
}

/** Reviews done (by anyone) per UTC day they were done: the weekly summary's reviews done. */
export async function reviewsDoneByDay(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ day: Date; done: bigint }[]>`
    SELECT date_trunc('day', "doneAt") AS "day", COUNT(*)::bigint AS "done"
    FROM "ReviewRequest" WHERE "communityId" = ${communityId} AND "status" = 'done' AND "doneAt" IS NOT NULL
    GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), done: Number(r.done) }));
}

/** Per live event: RSVPs, reminders delivered and refused (direct messages closed). */
export async function eventFigures(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ id: string; rsvps: bigint; delivered: bigint; refused: bigint }[]>`
    SELECT e."id",
      (SELECT COUNT(*) FROM "LiveRsvp" r WHERE r."eventId" = e."id")::bigint AS "rsvps",
      (SELECT COUNT(*) FROM "Delivery" d WHERE d."key" LIKE 'live:' || e."id" || ':reminder-%' AND d."status" = 'sent')::bigint AS "delivered",
      (SELECT COUNT(*) FROM "Delivery" d WHERE d."key" LIKE 'live:' || e."id" || ':reminder-%' AND d."status" = 'closed')::bigint AS "refused"
    FROM "LiveEvent" e WHERE e."communityId" = ${communityId}`;
  return rows.map((r) => ({ eventId: r.id, rsvps: Number(r.rsvps), delivered: Number(r.delivered), refused: Number(r.refused) }));
}

/** Kudos given per calendar week (Monday, UTC): positive kudos rows not reversed. */
export async function kudosByWeek(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ week: Date; given: bigint }[]>`
    SELECT date_trunc('week', p."createdAt") AS "week", COUNT(*)::bigint AS "given"
    FROM "PointEntry" p
    WHERE p."communityId" = ${communityId} AND p."category" = 'kudos' AND p."amount" > 0 AND p."reversesId" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "PointEntry" x WHERE x."reversesId" = p."id")
    GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ week: r.week.toISOString().slice(0, 10), given: Number(r.given) }));
}
