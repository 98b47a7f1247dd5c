import type Stripe from "stripe";
import type { CommunityConfig } from "../../src/config/communities.js";
import { DAY, startCommunity, who } from "../support/community.js";

export type PointsCommunity = Awaited<ReturnType<typeof startCommunity>> & {
  readonly communityId: string;
  /** A member's id by name (of those started with it or joined since). */
  id(name: string): string;
  /** `/thanks` from one member to another, returning the reply. */
  thank(from: string, to: string, options?: Record<string, string>): ReturnType<PointsCommunity["run"]>;
  balance(name: string): Promise<number>;
};

/**
 * A playground community whose named members joined two days ago (old enough to give
 * thanks), for the points tests.
 */
export async function startPoints(kind: "pglite" | "postgres", members: readonly string[], opts: { community?: Partial<CommunityConfig>; stripe?: Stripe } = {}): Promise<PointsCommunity> {
  const c = await startCommunity(kind, opts);
  c.clock.advance(-2 * DAY);
  const ids = new Map<string, string>();
  for (const name of members) ids.set(name, await c.join(name));
  const join = async (name: string) => {
    const id = await c.join(name);
    ids.set(name, id);
    return id;
  };
  c.clock.advance(2 * DAY);
  const community = await c.db.community.findFirstOrThrow({ where: { slug: "playground" } });
  return {
    ...c,
    join,
    communityId: community.id,
    id: (name) => {
      const id = ids.get(name);
      if (!id) throw new Error(`no member called ${name} in this test community`);
      return id;
    },
    thank: (from, to, options = {}) => c.run(from, "thanks", { member: who(to), ...options }),
    balance: async (name) => c.services.ledger.balance(community.id, ids.get(name) ?? (await join(name))),
  };
}

/**
 * The ledger invariant: every balance equals the sum of its rows, and so does every kept
 * total (per category, and per calendar week and month in UTC, overall and per category).
 */
export async function ledgerMismatches(c: PointsCommunity): Promise<{ balances: number; categories: number; earned: number; periods: number }> {
  const [row] = await c.db.$queryRaw<{ balances: number; categories: number; earned: number; periods: number }[]>`
    WITH sums AS (SELECT "memberId", sum("amount")::int AS total FROM "PointEntry" WHERE "communityId" = ${c.communityId} GROUP BY "memberId"),
         cats AS (SELECT "memberId", "category", sum("amount")::int AS total,
                         (count(*) FILTER (WHERE "amount" > 0 AND "reversesId" IS NULL AND NOT EXISTS (SELECT 1 FROM "PointEntry" r WHERE r."reversesId" = e."id")))::int AS earned
                  FROM "PointEntry" e WHERE "communityId" = ${c.communityId} GROUP BY "memberId", "category"),
         keyed AS (SELECT "memberId", "category", "amount", 'week:' || to_char(date_trunc('week', "createdAt"), 'YYYY-MM-DD') AS week, 'month:' || to_char("createdAt", 'YYYY-MM') AS month
                   FROM "PointEntry" WHERE "communityId" = ${c.communityId}),
         periods AS (SELECT "memberId", p.period, k.cat AS category, sum("amount")::int AS total FROM keyed
                     CROSS JOIN LATERAL (VALUES (week), (month)) p(period) CROSS JOIN LATERAL (VALUES ('*'), (keyed."category")) k(cat)
                     GROUP BY "memberId", p.period, k.cat)
    SELECT
      (SELECT count(*)::int FROM sums s FULL JOIN (SELECT * FROM "PointBalance" WHERE "communityId" = ${c.communityId}) b USING ("memberId")
        WHERE coalesce(s.total, 0) <> coalesce(b."balance", 0)) AS balances,
      (SELECT count(*)::int FROM cats s FULL JOIN (SELECT * FROM "PointCategoryTotal" WHERE "communityId" = ${c.communityId}) t USING ("memberId", "category")
        WHERE coalesce(s.total, 0) <> coalesce(t."total", 0)) AS categories,
      (SELECT count(*)::int FROM cats s FULL JOIN (SELECT * FROM "PointCategoryTotal" WHERE "communityId" = ${c.communityId}) t USING ("memberId", "category")
        WHERE coalesce(s.earned, 0) <> coalesce(t."earned", 0)) AS earned,
      (SELECT count(*)::int FROM periods s FULL JOIN (SELECT * FROM "PointPeriodTotal" WHERE "communityId" = ${c.communityId}) t USING ("memberId", period, category)
        WHERE coalesce(s.total, 0) <> coalesce(t."total", 0)) AS periods`;
  return row!;
}
