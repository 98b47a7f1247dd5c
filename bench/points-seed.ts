// Seeds one community's points ledger in bulk with SQL, for the points benchmark: members,
// their playground accounts, a year of ledger rows with a realistic skew, and the totals
// and badges the ledger derives from them. Everything runs in one transaction, then VACUUM
// ANALYZE, so the planner sees the real sizes before the first command is measured.
import type { Db } from "../src/db/database.js";
import { awardDueBadges } from "../src/points/badges.js";
import { periodKey, periodStart, rebuildTotals } from "../src/points/ledger.js";

export interface SeedSize {
  readonly members: number;
  /** Ledger rows; a handful of "opening balance" rows may come on top (see `corrections`). */
  readonly rows: number;
}

export interface Seeded {
  readonly entries: number;
  readonly balances: number;
  /** Members whose random history went below zero and got one opening-balance award. */
  readonly corrections: number;
  readonly ms: number;
}

/** The playground user id of member number `n` (1 is the most active). */
export const memberUserId = (n: number) => `pg-m${n}`;
export const memberName = (n: number) => `Member ${n}`;

/** Open bounties: an asker's debit and the escrow account's credit, so leaderboards must skip escrow rows. */
const OPEN_BOUNTIES = 250;
/**
 * Member number k is picked with probability ∝ k^(1/SKEW - 1): with 100 rows per member,
 * member 1 has about 25,000 rows and the quietest about 40.
 */
export const SKEW = 2.5;

/** Seeds `size` into `communityId`, vacuums and analyzes the tables, and checks the ledger invariant. */
export async function seedLedger(db: Db, communityId: string, size: SeedSize): Promise<Seeded> {
  const started = performance.now();
  const { members, rows } = size;
  const corrections = await db.$transaction(
    async (tx) => {
      const run = (sql: string, ...params: unknown[]) => tx.$executeRawUnsafe(sql, ...params);
      // Bulk seeding, not the bot's work: give this one transaction more sorting memory.
      await run(`SET LOCAL work_mem = '512MB'`);
      await run(`CREATE TEMP TABLE seed_member (n int PRIMARY KEY, id text NOT NULL) ON COMMIT DROP`);
      await run(`INSERT INTO seed_member SELECT n, gen_random_uuid()::text FROM generate_series(1, $1::int) n`, members);
      // Everyone joined between 2 and 500 days ago, so all may give kudos (the minimum age is a day).
      await run(
        `INSERT INTO "Member" ("id", "communityId", "displayName", "createdAt")
         SELECT id, $1, 'Member ' || n, (now() AT TIME ZONE 'UTC') - make_interval(days => 2 + (n * 7919) % 499) FROM seed_member`,
        communityId,
      );
      await run(
        `INSERT INTO "PlatformAccount" ("id", "communityId", "memberId", "platform", "externalId", "displayName", "createdAt", "lastSeenAt")
         SELECT gen_random_uuid()::text, $1, s.id, 'playground', 'pg-m' || s.n, 'Member ' || s.n, m."createdAt", now() AT TIME ZONE 'UTC'
         FROM seed_member s JOIN "Member" m ON m.id = s.id`,
        communityId,
      );
      // Maintaining the points tables' secondary indexes row by row is most of the cost of a
      // bulk load; building them afterwards is several times quicker. Constraints stay.
      const indexes = await tx.$queryRawUnsafe<{ name: string; definition: string }[]>(
        `SELECT i.indexname::text AS name, i.indexdef AS definition FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename LIKE 'Point%'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      );
      for (const index of indexes) await run(`DROP INDEX "${index.name}"`);
      await run(entriesSql, communityId, members, rows - 2 * OPEN_BOUNTIES, SKEW);
      await run(openBountiesSql, communityId, members, OPEN_BOUNTIES);
      const corrected = await run(
        `INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "createdAt")
         SELECT gen_random_uuid()::text, $1, "memberId", -sum("amount"), 'awards', 'Opening balance', 'seed', 'seed:opening:' || "memberId", now() AT TIME ZONE 'UTC' - interval '366 days'
         FROM "PointEntry" WHERE "communityId" = $1 AND "memberId" NOT LIKE 'escrow:%' GROUP BY "memberId" HAVING sum("amount") < 0`,
        communityId,
      );
      // The balances and totals the ledger keeps, from the rows just written, by the ledger's own rebuild.
      await rebuildTotals(tx, communityId);
      await run(`SET LOCAL maintenance_work_mem = '256MB'`);
      for (const index of indexes) await run(index.definition);
      // And the badges those earned, as if each had been awarded when it became due.
      const memberIds = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM seed_member ORDER BY n`);
      for (let i = 0; i < memberIds.length; i += 1000) {
        await awardDueBadges(tx, communityId, memberIds.slice(i, i + 1000).map((m) => m.id));
      }
      return corrected;
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  // Every table, the derived ones the ledger keeps included, as autovacuum would have done by
  // now; done here, its run after a bulk load does not land in the middle of a measurement.
  await db.$executeRawUnsafe(`VACUUM (ANALYZE)`);
  const check = await checkLedger(db, communityId);
  if (check.mismatches + check.categoryMismatches + check.periodMismatches > 0) {
    throw new Error(
      `seeding broke the ledger invariant: ${check.mismatches} balances, ${check.categoryMismatches} category totals and ${check.periodMismatches} week or month totals differ from the ledger's sums`,
    );
  }
  return { entries: check.entries, balances: check.balances, corrections, ms: performance.now() - started };
}

/**
 * One row per ledger entry. Each row draws its member with a power-law skew, a category
 * (kudos and answers most common), an amount typical of that category and a time in the
 * last 365 days; kudos carry the giver as `actorId`, as /thanks writes them.
 */
const entriesSql = `
  INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "actorId", "createdAt")
  SELECT gen_random_uuid()::text, $1::text, m.id, r.amount, r.category, r.reason, r.source, 'seed:' || r.i,
         CASE WHEN r.category = 'kudos' THEN a.id END, now() AT TIME ZONE 'UTC' - r.age
  FROM (
    SELECT d.i, d.who, d.age, 1 + (d.who + floor(d.other * ($2::int - 1))::int) % $2::int AS giver,
      c.category,
      CASE c.category
        WHEN 'answers' THEN CASE WHEN d.size < 0.6 THEN 10 ELSE 2 END
        WHEN 'questions' THEN 1
        WHEN 'reviews' THEN 5 + floor(d.size * 6)::int
        WHEN 'kudos' THEN 1
        WHEN 'awards' THEN 5 * (1 + floor(d.size * 10)::int)
        WHEN 'bounties' THEN CASE WHEN d.size < 0.5 THEN -(5 + floor(d.size * 20)::int) ELSE 5 + floor((d.size - 0.5) * 20)::int END
        ELSE -(20 + 10 * floor(d.size * 4)::int)
      END AS amount,
      CASE c.category
        WHEN 'answers' THEN 'Answer to #' || (d.i % 40000)
        WHEN 'questions' THEN 'Question #' || (d.i % 40000)
        WHEN 'reviews' THEN 'Code review #' || (d.i % 20000)
        WHEN 'kudos' THEN 'Thanks'
        WHEN 'awards' THEN 'Award from a creator'
        WHEN 'bounties' THEN 'Bounty on #' || (d.i % 40000)
        ELSE 'Redeemed a reward'
      END AS reason,
      CASE c.category
        WHEN 'answers' THEN 'question:seed-' || (d.i % 40000)
        WHEN 'questions' THEN 'question:seed-' || (d.i % 40000)
        WHEN 'reviews' THEN 'review:seed-' || (d.i % 20000)
        WHEN 'kudos' THEN 'thanks'
        WHEN 'awards' THEN 'award'
        WHEN 'bounties' THEN 'bounty:seed-' || (d.i % 40000)
        ELSE 'redemption:seed-' || d.i
      END AS source
    FROM (
      SELECT i, 1 + floor($2::int * power(random(), $4::float8))::int AS who, random() AS kind, random() AS size,
             random() AS other, random() * interval '365 days' AS age
      FROM generate_series(1, $3::int) i
      OFFSET 0 -- keeps each random() evaluated once per row
    ) d
    CROSS JOIN LATERAL (SELECT CASE
      WHEN d.kind < 0.24 THEN 'answers' WHEN d.kind < 0.40 THEN 'questions' WHEN d.kind < 0.50 THEN 'reviews'
      WHEN d.kind < 0.86 THEN 'kudos' WHEN d.kind < 0.92 THEN 'awards' WHEN d.kind < 0.98 THEN 'bounties'
      ELSE 'redemptions' END AS category) c
  ) r
  JOIN seed_member m ON m.n = r.who
  JOIN seed_member a ON a.n = r.giver
  -- An append-only ledger lies on disk in the order it was written: a week's rows are neighbours.
  ORDER BY r.age DESC`;

/** Open bounties in the last month: the asker's debit and the escrow account's credit. */
const openBountiesSql = `
  WITH b AS (
    SELECT q, 1 + floor($2::int * power(random(), 2))::int AS who, 10 + 5 * floor(random() * 5)::int AS amount, random() * interval '30 days' AS age
    FROM generate_series(1, $3::int) q OFFSET 0
  )
  INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "actorId", "createdAt")
  SELECT gen_random_uuid()::text, $1, x.account, x.amount, 'bounties', 'Bounty on open question #' || b.q, 'question:open-' || b.q,
         'seed:bounty:' || b.q || ':' || x.side, m.id, now() AT TIME ZONE 'UTC' - b.age
  FROM b JOIN seed_member m ON m.n = b.who
  CROSS JOIN LATERAL (VALUES ('asker', m.id, -b.amount), ('escrow', 'escrow:open-' || b.q, b.amount)) x(side, account, amount)`;

export interface LedgerCheck {
  readonly entries: number;
  readonly balances: number;
  /** Accounts whose balance row differs from the sum of their ledger rows (a missing row counts as zero). */
  readonly mismatches: number;
  /** (member, category) totals that differ from the sum of those rows: what category leaderboards read. */
  readonly categoryMismatches: number;
  /** Members whose total for this calendar week or month differs from their rows since it began: what those boards read. */
  readonly periodMismatches: number;
}

/**
 * The ledger invariant, one query per kept total: every balance, category total, and this
 * week's and month's totals equal the sums of the rows they stand for.
 */
export async function checkLedger(db: Db, communityId: string, now = new Date()): Promise<LedgerCheck> {
  const [row] = await db.$queryRawUnsafe<{ entries: number; balances: number; mismatches: number }[]>(
    `WITH sums AS (SELECT "memberId", sum("amount") AS total, count(*) AS n FROM "PointEntry" WHERE "communityId" = $1 GROUP BY "memberId"),
          balances AS (SELECT "memberId", "balance" FROM "PointBalance" WHERE "communityId" = $1)
     SELECT coalesce(sum(s.n), 0)::int AS entries, count(b."memberId")::int AS balances,
            count(*) FILTER (WHERE coalesce(s.total, 0) <> coalesce(b."balance", 0))::int AS mismatches
     FROM sums s FULL JOIN balances b USING ("memberId")`,
    communityId,
  );
  const [categories] = await db.$queryRawUnsafe<{ mismatches: number }[]>(
    `WITH sums AS (SELECT "memberId", "category", sum("amount") AS total FROM "PointEntry" WHERE "communityId" = $1 GROUP BY "memberId", "category"),
          totals AS (SELECT "memberId", "category", "total" FROM "PointCategoryTotal" WHERE "communityId" = $1)
     SELECT count(*) FILTER (WHERE coalesce(s.total, 0) <> coalesce(t."total", 0))::int AS mismatches
     FROM sums s FULL JOIN totals t USING ("memberId", "category")`,
    communityId,
  );
  let periodMismatches = 0;
  for (const period of ["week", "month"] as const) {
    const [p] = await db.$queryRawUnsafe<{ mismatches: number }[]>(
      `WITH sums AS (SELECT "memberId", sum("amount") AS total FROM "PointEntry" WHERE "communityId" = $1 AND "createdAt" >= $2::timestamp GROUP BY "memberId"),
            totals AS (SELECT "memberId", "total" FROM "PointPeriodTotal" WHERE "communityId" = $1 AND "period" = $3 AND "category" = '*')
       SELECT count(*) FILTER (WHERE coalesce(s.total, 0) <> coalesce(t."total", 0))::int AS mismatches
       FROM sums s FULL JOIN totals t USING ("memberId")`,
      communityId,
      periodStart(period, now),
      periodKey(period, now),
    );
    periodMismatches += p!.mismatches;
  }
  return { ...row!, categoryMismatches: categories!.mismatches, periodMismatches };
}
