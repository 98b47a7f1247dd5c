import type { Db } from "../../db/database.js";

const n = (v: bigint | number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/**
 * Q&A by the month questions were asked: asked, answered (a reply from someone other than
 * the asker, or an accepted answer), median minutes to the first reply and to the accepted
 * answer (of the questions that have one).
 */
export async function questionsByMonth(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ month: string; asked: bigint; answered: bigint; firstReply: number | null; accepted: number | null }[]>`
    SELECT to_char(q."createdAt", 'YYYY-MM') AS "month", COUNT(*)::bigint AS "asked",
      COUNT(*) FILTER (WHERE q."firstReplyAt" IS NOT NULL OR q."acceptedReplyId" IS NOT NULL)::bigint AS "answered",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (q."firstReplyAt" - q."createdAt")) / 60) AS "firstReply",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (r."acceptedAt" - q."createdAt")) / 60) AS "accepted"
    FROM "Question" q LEFT JOIN "QuestionReply" r ON r."id" = q."acceptedReplyId"
    WHERE q."communityId" = ${communityId} GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ month: r.month, asked: Number(r.asked), answered: Number(r.answered), firstReplyMinutes: n(r.firstReply), acceptedMinutes: n(r.accepted) }));
}

/** Questions asked and answered (as above) by the UTC day they were asked: the weekly summary's share answered. */
export async function questionsByDay(db: Db, communityId: string) {
  const rows = await db.$queryRaw<{ day: Date; asked: bigint; answered: bigint }[]>`
    SELECT date_trunc('day', "createdAt") AS "day", COUNT(*)::bigint AS "asked",
      COUNT(*) FILTER (WHERE "firstReplyAt" IS NOT NULL OR "acceptedReplyId" IS NOT NULL)::bigint AS "answered"
    FROM "Question" WHERE "communityId" = ${communityId} GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), asked: Number(r.asked), answered: Number(r.answered) }));
}

/** Questions still open that were asked longer ago than the stale window. */
export async function staleQuestions(db: Db, communityId: string, now: Date, staleAfterHours: number): Promise<number> {
  const cutoff = new Date(now.getTime() - staleAfterHours * 3_600_000);
  return db.question.count({ where: { communityId, status: "open", createdAt: { lt: cutoff } } });
}

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
