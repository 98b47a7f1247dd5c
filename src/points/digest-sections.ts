import { digestSection, type DigestSectionSources, displayNames, inPeriod } from "../core/digest-sections.js";
import { named, plural, titled } from "../core/digest-text.js";
import { Prisma } from "../generated/prisma/client.js";

const HELPERS_MAX = 5;
const HELPER_CATEGORIES = ["answers", "reviews", "kudos"] as const;

interface HelperRow {
  memberId: string;
  displayName: string;
  points: number;
  answers: number;
  reviews: number;
  kudos: number;
}

/** Points' digest sections: the top helpers of the period, and the level-ups in it. */
export const pointsDigestSections: DigestSectionSources = {
  /** Points earned helping (net of anything reversed), by member; escrow and merged members never count. */
  helpers: async (db, w) => {
    const rows = await db.$queryRaw<HelperRow[]>`
      SELECT e."memberId", m."displayName", sum(e."amount")::int AS points,
             (sum(e."amount") FILTER (WHERE e."category" = 'answers'))::int AS answers,
             (sum(e."amount") FILTER (WHERE e."category" = 'reviews'))::int AS reviews,
             (sum(e."amount") FILTER (WHERE e."category" = 'kudos'))::int AS kudos
      FROM "PointEntry" e JOIN "Member" m ON m."id" = e."memberId" AND m."mergedIntoId" IS NULL
      WHERE e."communityId" = ${w.communityId} AND e."createdAt" > ${w.from} AND e."createdAt" <= ${w.to}
        AND e."category" IN (${Prisma.join(HELPER_CATEGORIES)}) AND e."memberId" NOT LIKE 'escrow:%'
      GROUP BY e."memberId", m."displayName"
      HAVING sum(e."amount") > 0
      ORDER BY points DESC, e."memberId"
      LIMIT ${HELPERS_MAX}`;
    const lines = rows.map((r, i) => {
      const parts = HELPER_CATEGORIES.filter((c) => Number(r[c] ?? 0) > 0).map((c) => `${c} ${Number(r[c])}`);
      return `${i + 1}. ${named(r.displayName)}: ${plural(Number(r.points), "point")} (${parts.join(", ")})`;
    });
    return digestSection("helpers", "🏆 Top helpers", lines);
  },
  /** Members who reached a level (points.levels) in the period and still hold it, highest levels first. */
  levels: async (db, w) => {
    const reached = await db.memberLevel.findMany({ where: { communityId: w.communityId, rank: { gt: 0 }, reachedAt: inPeriod(w) }, orderBy: [{ rank: "desc" }, { reachedAt: "asc" }], take: HELPERS_MAX });
    const names = await displayNames(db, reached.map((r) => r.memberId));
    return digestSection("levels", "🎖️ Level-ups", reached.map((r) => `• ${named(names.get(r.memberId) ?? "a member")} reached **${titled(r.name)}**`));
  },
};
