import { countList, type CountSource } from "../core/counts.js";
import type { Db } from "../db/database.js";
import { qaSettingsSection } from "./settings-schema.js";

/**
 * Q&A's counts for creator insights, from its own rows: by the month questions were asked,
 * how many, how many answered (a reply from someone other than the asker, or an accepted
 * answer) and the median minutes to the first reply and to the accepted answer (of those
 * that have one); the same by UTC day for the weekly summary; and the questions still open
 * past the stale window now.
 */
export const qaCounts: CountSource = async (db, { communityId, now, community }) => {
  const { counts, put } = countList();
  for (const q of await questionsByMonth(db, communityId)) {
    put("qa.asked", `month:${q.month}`, "", Number(q.asked));
    put("qa.answered", `month:${q.month}`, "", Number(q.answered));
    if (q.firstReply !== null) put("qa.firstReplyMinutes", `month:${q.month}`, "", Number(q.firstReply));
    if (q.accepted !== null) put("qa.acceptedMinutes", `month:${q.month}`, "", Number(q.accepted));
  }
  for (const q of await questionsByDay(db, communityId)) {
    put("qa.asked", `day:${q.day.toISOString().slice(0, 10)}`, "", Number(q.asked));
    put("qa.answered", `day:${q.day.toISOString().slice(0, 10)}`, "", Number(q.answered));
  }
  const { staleAfterHours } = community?.qa ?? qaSettingsSection.defaults;
  const cutoff = new Date(now.getTime() - staleAfterHours * 3_600_000);
  put("qa.stale", "now", "", await db.question.count({ where: { communityId, status: "open", createdAt: { lt: cutoff } } }));
  return counts;
};

function questionsByMonth(db: Db, communityId: string) {
  return db.$queryRaw<{ month: string; asked: bigint; answered: bigint; firstReply: number | null; accepted: number | null }[]>`
    SELECT to_char(q."createdAt", 'YYYY-MM') AS "month", COUNT(*)::bigint AS "asked",
      COUNT(*) FILTER (WHERE q."firstReplyAt" IS NOT NULL OR q."acceptedReplyId" IS NOT NULL)::bigint AS "answered",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (q."firstReplyAt" - q."createdAt")) / 60) AS "firstReply",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (r."acceptedAt" - q."createdAt")) / 60) AS "accepted"
    FROM "Question" q LEFT JOIN "QuestionReply" r ON r."id" = q."acceptedReplyId"
    WHERE q."communityId" = ${communityId} GROUP BY 1 ORDER BY 1`;
}

function questionsByDay(db: Db, communityId: string) {
  return db.$queryRaw<{ day: Date; asked: bigint; answered: bigint }[]>`
    SELECT date_trunc('day', "createdAt") AS "day", COUNT(*)::bigint AS "asked",
      COUNT(*) FILTER (WHERE "firstReplyAt" IS NOT NULL OR "acceptedReplyId" IS NOT NULL)::bigint AS "answered"
    FROM "Question" WHERE "communityId" = ${communityId} GROUP BY 1 ORDER BY 1`;
}
