import type { CountSource } from "../core/counts.js";

/** Points' counts for creator insights: kudos given per calendar week (Monday, UTC), positive kudos rows not reversed. */
export const pointsCounts: CountSource = async (db, { communityId }) => {
  const rows = await db.$queryRaw<{ week: Date; given: bigint }[]>`
    SELECT date_trunc('week', p."createdAt") AS "week", COUNT(*)::bigint AS "given"
    FROM "PointEntry" p
    WHERE p."communityId" = ${communityId} AND p."category" = 'kudos' AND p."amount" > 0 AND p."reversesId" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "PointEntry" x WHERE x."reversesId" = p."id")
    GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ metric: "points.kudos", period: `week:${r.week.toISOString().slice(0, 10)}`, key: "", value: Number(r.given) }));
};
