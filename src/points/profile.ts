/**
 * What `/points` shows, read in one statement: the balance, the all-time rank, the points
 * earned over the member's lifetime (what levels count), the badges and the latest ledger
 * rows. Each statement costs the bot a round trip and about a millisecond of event loop, so
 * under load one statement instead of five is most of what keeps `/points` fast.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";
import { BADGES, type Badge } from "./badges.js";
import { EARNING_CATEGORIES, type PointCategory } from "./ledger.js";

/** A ledger row as `/points` lists it. */
export interface HistoryRow {
  readonly amount: number;
  readonly category: PointCategory;
  readonly reason: string;
  readonly createdAt: Date;
}

export interface PointsProfile {
  readonly balance: number;
  /** The all-time place (members with equal points share it), or undefined without points. */
  readonly rank: number | undefined;
  /** Points earned over the member's lifetime, net of reversals and corrections; spending never lowers it. */
  readonly earned: number;
  readonly badges: readonly Badge[];
  /** Newest first. */
  readonly history: readonly HistoryRow[];
}

export async function pointsProfile(db: Db, communityId: string, memberId: string, limit = 10): Promise<PointsProfile> {
  const [row] = await db.$queryRaw<{ balance: number; rank: number | null; earned: number; badges: string | null; history: string }[]>`
    WITH bal AS (SELECT coalesce((SELECT b."balance" FROM "PointBalance" b WHERE b."communityId" = ${communityId} AND b."memberId" = ${memberId}), 0) AS balance)
    SELECT bal.balance::int AS balance,
      CASE WHEN bal.balance > 0 AND EXISTS (SELECT 1 FROM "Member" x WHERE x."id" = ${memberId} AND x."mergedIntoId" IS NULL) THEN
        (SELECT count(*)::int FROM "PointBalance" s
         WHERE s."communityId" = ${communityId} AND s."balance" > bal.balance AND s."memberId" NOT LIKE 'escrow:%'
           AND s."memberId" NOT IN (SELECT x."id" FROM "Member" x WHERE x."communityId" = ${communityId} AND x."mergedIntoId" IS NOT NULL)) + 1
      END AS rank,
      (SELECT coalesce(sum(t."total"), 0)::int FROM "PointCategoryTotal" t
       WHERE t."communityId" = ${communityId} AND t."memberId" = ${memberId} AND t."category" IN (${Prisma.join(EARNING_CATEGORIES)})) AS earned,
      (SELECT string_agg(a."badge", ',') FROM "BadgeAward" a WHERE a."communityId" = ${communityId} AND a."memberId" = ${memberId}) AS badges,
      (SELECT coalesce(json_agg(json_build_object('amount', e."amount", 'category', e."category", 'reason', e."reason", 'createdAt', e."createdAt") ORDER BY e."createdAt" DESC, e."id" DESC), '[]')::text
       FROM (SELECT * FROM "PointEntry" p WHERE p."communityId" = ${communityId} AND p."memberId" = ${memberId} ORDER BY p."createdAt" DESC, p."id" DESC LIMIT ${limit}) e) AS history
    FROM bal`;
  const held = new Set(row?.badges?.split(",") ?? []);
  const history = (JSON.parse(row?.history ?? "[]") as { amount: number; category: PointCategory; reason: string; createdAt: string }[]).map((e) => ({
    ...e,
    // timestamp(3) columns hold UTC without a zone; JSON leaves the zone off.
    createdAt: new Date(/[Z+]/.test(e.createdAt.slice(19)) ? e.createdAt : `${e.createdAt}Z`),
  }));
  return {
    balance: Number(row?.balance ?? 0),
    rank: row?.rank == null ? undefined : Number(row.rank),
    earned: Number(row?.earned ?? 0),
    badges: BADGES.filter((b) => held.has(b.id)),
    history,
  };
}
