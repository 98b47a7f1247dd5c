import { countList, type CountSource } from "../core/counts.js";

/**
 * Code review's counts for creator insights, from its own rows: by the month requested, the
 * requests and the median minutes to claim and to done; the backlog now (waiting, assigned
 * or claimed); reviews done by UTC day (the weekly summary) and per reviewer by month.
 */
export const reviewCounts: CountSource = async (db, { communityId }) => {
  const { counts, put } = countList();
  const byMonth = await db.$queryRaw<{ month: string; requested: bigint; claim: number | null; done: number | null }[]>`
    SELECT to_char("createdAt", 'YYYY-MM') AS "month", COUNT(*)::bigint AS "requested",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("claimedAt" - "createdAt")) / 60) AS "claim",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("doneAt" - "createdAt")) / 60) AS "done"
    FROM "ReviewRequest" WHERE "communityId" = ${communityId} GROUP BY 1 ORDER BY 1`;
  for (const r of byMonth) {
    put("reviews.requested", `month:${r.month}`, "", Number(r.requested));
    if (r.claim !== null) put("reviews.claimMinutes", `month:${r.month}`, "", Number(r.claim));
    if (r.done !== null) put("reviews.doneMinutes", `month:${r.month}`, "", Number(r.done));
  }
  put("reviews.backlog", "now", "", await db.reviewRequest.count({ where: { communityId, status: { in: ["waiting", "assigned", "claimed"] } } }));
  const doneByDay = await db.$queryRaw<{ day: Date; done: bigint }[]>`
    SELECT date_trunc('day', "doneAt") AS "day", COUNT(*)::bigint AS "done"
    FROM "ReviewRequest" WHERE "communityId" = ${communityId} AND "status" = 'done' AND "doneAt" IS NOT NULL
    GROUP BY 1 ORDER BY 1`;
  for (const r of doneByDay) put("reviews.completed", `day:${r.day.toISOString().slice(0, 10)}`, "", Number(r.done));
  const perReviewer = await db.$queryRaw<{ month: string; reviewer: string; done: bigint }[]>`
    SELECT to_char("doneAt", 'YYYY-MM') AS "month", "assigneeId" AS "reviewer", COUNT(*)::bigint AS "done"
    FROM "ReviewRequest" WHERE "communityId" = ${communityId} AND "status" = 'done' AND "doneAt" IS NOT NULL AND "assigneeId" IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, 3 DESC`;
  for (const r of perReviewer) put("reviews.done", `month:${r.month}`, r.reviewer, Number(r.done));
  return counts;
};
