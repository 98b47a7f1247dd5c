/**
 * The points ledger: every change to a member's points is an appended row; nothing is ever
 * updated or deleted. Each member's balance row is kept in the same transaction and doubles
 * as the lock that serialises changes to that member's points, so caps and "enough points"
 * checks hold under any concurrency.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import { InternalError, UserFacingError } from "../core/errors.js";
import type { Clock } from "../core/services.js";

export const POINT_CATEGORIES = ["answers", "questions", "reviews", "kudos", "awards", "bounties", "redemptions"] as const;
export type PointCategory = (typeof POINT_CATEGORIES)[number];

/**
 * The categories of points a member earns by helping: what levels count, net of reversals
 * and creators' corrections. Redemptions spend points and bounties pass them from one member
 * to another (or back), so neither raises nor lowers what a member has earned.
 */
export const EARNING_CATEGORIES = ["answers", "questions", "reviews", "kudos", "awards"] as const satisfies readonly PointCategory[];

/**
 * Accounts that are not members: a question's bounty escrow. Their rows keep bounties in the
 * ledger (points move, never appear or vanish), and they never show on leaderboards.
 */
export const escrowAccount = (questionId: string) => `escrow:${questionId}`;
export const isSystemAccount = (memberId: string) => memberId.startsWith("escrow:");

export interface EntryInput {
  readonly communityId: string;
  readonly memberId: string;
  /** Whole points; negative for a debit. */
  readonly amount: number;
  readonly category: PointCategory;
  /** Shown to the member, e.g. "Accepted answer to #12". */
  readonly reason: string;
  /** What caused it, e.g. "question:<id>". */
  readonly source: string;
  /** Unique per community: a second append with the same key writes nothing. */
  readonly idempotencyKey: string;
  readonly actorId?: string;
  readonly reversesId?: string;
  /** Refuse (with a friendly error) if this debit would take the balance below zero. */
  readonly requireFunds?: boolean;
  /** When it happened; the ledger's clock (or the database's) when absent. */
  readonly at?: Date;
}

export type Entry = Prisma.PointEntryGetPayload<object>;

/** A credit that still counts, as `openCredits` finds it. */
export interface OpenCredit {
  readonly id: string;
  readonly amount: number;
  readonly category: PointCategory;
  readonly source: string;
}

export class InsufficientPoints extends UserFacingError {
  constructor(
    readonly balance: number,
    readonly needed: number,
  ) {
    super(`You have ${balance} point${balance === 1 ? "" : "s"}; this needs ${needed}.`, "insufficient_points");
  }
}

export class PointsLedger {
  /**
   * With a clock, rows are dated by it (so windows such as "the last 24 hours" agree with
   * the clock commands use); without one, by the database.
   */
  constructor(
    private readonly db: Db,
    private readonly clock?: Clock,
  ) {}

  /**
   * Locks the balance rows of these members (creating them at zero), always in the same
   * order so two transactions locking overlapping sets cannot deadlock. Returns balances.
   */
  async lock(tx: Tx, communityId: string, memberIds: readonly string[]): Promise<Map<string, number>> {
    const ids = [...new Set(memberIds)].sort();
    await tx.$executeRaw`
      INSERT INTO "PointBalance" ("communityId", "memberId", "balance", "updatedAt")
      SELECT ${communityId}, m, 0, now() FROM unnest(${ids}::text[]) AS m
      ON CONFLICT DO NOTHING`;
    const rows = await tx.$queryRaw<{ memberId: string; balance: number }[]>`
      SELECT "memberId", "balance" FROM "PointBalance"
      WHERE "communityId" = ${communityId} AND "memberId" = ANY(${ids}::text[])
      ORDER BY "memberId" FOR UPDATE`;
    return new Map(rows.map((r) => [r.memberId, Number(r.balance)]));
  }

  /**
   * Appends entries in the caller's transaction and updates balances. An entry whose
   * idempotency key is already in the ledger is skipped (and reported in `duplicates`):
   * the cause was applied before. Throws {@link InsufficientPoints} for a debit that needs
   * funds the member lacks; the caller's transaction then writes nothing.
   */
  async append(tx: Tx, entries: readonly EntryInput[]): Promise<{ written: Entry[]; duplicates: EntryInput[] }> {
    if (entries.length === 0) return { written: [], duplicates: [] };
    const communityId = entries[0]!.communityId;
    if (entries.some((e) => e.communityId !== communityId)) throw new InternalError("ledger_mixed_communities", "one append is one community");
    const balances = await this.lock(tx, communityId, entries.map((e) => e.memberId));
    const written: Entry[] = [];
    const duplicates: EntryInput[] = [];
    const at = this.clock?.now() ?? null;
    for (const entry of entries) {
      if (!Number.isSafeInteger(entry.amount) || entry.amount === 0) throw new InternalError("ledger_bad_amount", `ledger amounts are non-zero whole numbers, not ${entry.amount}`);
      const before = balances.get(entry.memberId) ?? 0;
      if (entry.requireFunds && entry.amount < 0 && before + entry.amount < 0) throw new InsufficientPoints(before, -entry.amount);
      const inserted = await tx.$queryRaw<Entry[]>`
        INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "actorId", "reversesId", "createdAt")
        VALUES (gen_random_uuid()::text, ${communityId}, ${entry.memberId}, ${entry.amount}, ${entry.category}, ${entry.reason}, ${entry.source},
                ${entry.idempotencyKey}, ${entry.actorId ?? null}, ${entry.reversesId ?? null}, COALESCE(${entry.at ?? at}::timestamp, now()))
        ON CONFLICT ("communityId", "idempotencyKey") DO NOTHING
        RETURNING *`;
      const row = inserted[0];
      if (!row) {
        duplicates.push(entry);
        continue;
      }
      balances.set(entry.memberId, before + entry.amount);
      written.push(row);
    }
    for (const [memberId, balance] of balances) {
      await tx.$executeRaw`UPDATE "PointBalance" SET "balance" = ${balance}, "updatedAt" = now() WHERE "communityId" = ${communityId} AND "memberId" = ${memberId}`;
    }
    if (written.length > 0) await addToTotals(tx, Prisma.sql`e."id" = ANY(${written.map((e) => e.id)}::text[])`);
    return { written, duplicates };
  }

  /**
   * Appends the compensating row for every entry with `source` that is not reversed yet
   * (points from an answer that was un-accepted, a review withdrawn). Returns the new rows.
   */
  async reverseSource(tx: Tx, communityId: string, source: string, reason: string): Promise<Entry[]> {
    const open = await tx.$queryRaw<Entry[]>`
      SELECT e.* FROM "PointEntry" e
      WHERE e."communityId" = ${communityId} AND e."source" = ${source} AND e."reversesId" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "PointEntry" r WHERE r."reversesId" = e."id")
      ORDER BY e."createdAt", e."id"`;
    const { written } = await this.append(
      tx,
      open.map((e) => ({
        communityId,
        memberId: e.memberId,
        amount: -e.amount,
        category: e.category as PointCategory,
        reason,
        source,
        idempotencyKey: `reversal:${e.id}`,
        reversesId: e.id,
      })),
    );
    return written;
  }

  /**
   * Moves a member's points to the member they were merged into (`/link`), keeping the ledger
   * append-only: every row of `fromId` that still counts (not reversed, not a reversal) gets
   * its compensating row, and `intoId` gets a copy of it with the same category, source, reason
   * and date. So balances, category totals, badge tallies and the weeks and months the points
   * were earned in all move with them, and a later reversal of the cause (an answer
   * un-accepted) finds the copy. Safe to run twice: the keys derive from the rows moved.
   */
  async moveMember(tx: Tx, communityId: string, fromId: string, intoId: string): Promise<{ moved: number; points: number }> {
    if (fromId === intoId) return { moved: 0, points: 0 };
    await this.lock(tx, communityId, [fromId, intoId]);
    const rows = await tx.$queryRaw<{ id: string; memberId: string; amount: number }[]>`
      WITH open AS (
        SELECT e.* FROM "PointEntry" e
        WHERE e."communityId" = ${communityId} AND e."memberId" = ${fromId} AND e."reversesId" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "PointEntry" r WHERE r."reversesId" = e."id")),
      moved_out AS (
        INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "actorId", "reversesId", "createdAt")
        SELECT gen_random_uuid()::text, o."communityId", o."memberId", -o."amount", o."category", 'Moved to the account it was linked to', o."source", 'reversal:' || o."id", o."actorId", o."id", o."createdAt" FROM open o
        ON CONFLICT DO NOTHING
        RETURNING "id", "memberId", "amount"),
      moved_in AS (
        INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "actorId", "reversesId", "createdAt")
        SELECT gen_random_uuid()::text, o."communityId", ${intoId}, o."amount", o."category", o."reason", o."source", 'moved:' || o."id", o."actorId", NULL, o."createdAt" FROM open o
        ON CONFLICT DO NOTHING
        RETURNING "id", "memberId", "amount")
      SELECT * FROM moved_out UNION ALL SELECT * FROM moved_in`;
    if (rows.length === 0) return { moved: 0, points: 0 };
    const delta = (memberId: string) => rows.filter((r) => r.memberId === memberId).reduce((sum, r) => sum + Number(r.amount), 0);
    for (const memberId of [fromId, intoId]) {
      await tx.$executeRaw`UPDATE "PointBalance" SET "balance" = "balance" + ${delta(memberId)}, "updatedAt" = now() WHERE "communityId" = ${communityId} AND "memberId" = ${memberId}`;
    }
    await addToTotals(tx, Prisma.sql`e."id" = ANY(${rows.map((r) => r.id)}::text[])`);
    // Badges are milestones the person reached; they follow them too.
    await tx.$executeRaw`
      INSERT INTO "BadgeAward" ("communityId", "memberId", "badge", "awardedAt")
      SELECT "communityId", ${intoId}, "badge", "awardedAt" FROM "BadgeAward" WHERE "communityId" = ${communityId} AND "memberId" = ${fromId}
      ON CONFLICT DO NOTHING`;
    return { moved: rows.length / 2, points: delta(intoId) };
  }

  /**
   * The credits paid into an account that still count: not reversals, not reversed yet
   * (what a hold account holds, row by row, so each can be reversed by its own key).
   */
  async openCredits(tx: Tx, communityId: string, memberId: string, categories: readonly PointCategory[] = POINT_CATEGORIES): Promise<OpenCredit[]> {
    const rows = await tx.$queryRaw<OpenCredit[]>`
      SELECT e."id", e."amount", e."category", e."source" FROM "PointEntry" e
      WHERE e."communityId" = ${communityId} AND e."memberId" = ${memberId} AND e."category" = ANY(${[...categories]}::text[])
        AND e."amount" > 0 AND e."reversesId" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "PointEntry" r WHERE r."reversesId" = e."id")
      ORDER BY e."createdAt", e."id"`;
    return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
  }

  /** An account's balance split by category, the categories it holds points in only. */
  async heldByCategory(tx: Tx, communityId: string, memberId: string): Promise<{ category: PointCategory; amount: number }[]> {
    const rows = await tx.$queryRaw<{ category: PointCategory; amount: number }[]>`
      SELECT "category", sum("amount")::int AS "amount" FROM "PointEntry"
      WHERE "communityId" = ${communityId} AND "memberId" = ${memberId} GROUP BY "category" HAVING sum("amount") > 0 ORDER BY "category"`;
    return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
  }

  async balance(communityId: string, memberId: string): Promise<number> {
    const row = await this.db.pointBalance.findUnique({ where: { communityId_memberId: { communityId, memberId } } });
    return row?.balance ?? 0;
  }
}

/**
 * The kept totals the leaderboards and badges read, added to from newly written rows, in
 * the same transaction and under the same member locks as the balances:
 * - per category: the total, and the rows that earned points there and were not reversed
 *   (a reversal of such a row takes one back);
 * - per calendar week and month (UTC), overall ("*") and per category.
 * Each is one grouped statement, so an append costs two more round trips however many rows.
 */
async function addToTotals(tx: Tx, rows: Prisma.Sql): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "PointCategoryTotal" ("communityId", "memberId", "category", "total", "earned")
    SELECT e."communityId", e."memberId", e."category", sum(e."amount"),
           count(*) FILTER (WHERE e."amount" > 0 AND e."reversesId" IS NULL) - count(*) FILTER (WHERE e."amount" < 0 AND e."reversesId" IS NOT NULL)
    FROM "PointEntry" e WHERE ${rows}
    GROUP BY e."communityId", e."memberId", e."category"
    ON CONFLICT ("communityId", "memberId", "category")
    DO UPDATE SET "total" = "PointCategoryTotal"."total" + EXCLUDED."total", "earned" = "PointCategoryTotal"."earned" + EXCLUDED."earned"`;
  await tx.$executeRaw`
    INSERT INTO "PointPeriodTotal" ("communityId", "period", "category", "memberId", "total")
    SELECT e."communityId", p.period, c.category, e."memberId", sum(e."amount")
    FROM "PointEntry" e
    CROSS JOIN LATERAL (VALUES ('week:' || to_char(date_trunc('week', e."createdAt"), 'YYYY-MM-DD')), ('month:' || to_char(e."createdAt", 'YYYY-MM'))) AS p(period)
    CROSS JOIN LATERAL (VALUES ('*'), (e."category")) AS c(category)
    WHERE ${rows}
    GROUP BY e."communityId", p.period, c.category, e."memberId"
    ON CONFLICT ("communityId", "period", "category", "memberId")
    DO UPDATE SET "total" = "PointPeriodTotal"."total" + EXCLUDED."total"`;
}

/**
 * Rebuilds a community's balances and kept totals from its ledger rows, for data
 * loaded in bulk without the ledger (an import, a benchmark's seed). Not for live use:
 * it takes no member locks.
 */
export async function rebuildTotals(tx: Tx, communityId: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "PointCategoryTotal" WHERE "communityId" = ${communityId}`;
  await tx.$executeRaw`DELETE FROM "PointPeriodTotal" WHERE "communityId" = ${communityId}`;
  await addToTotals(tx, Prisma.sql`e."communityId" = ${communityId}`);
  await tx.$executeRaw`
    INSERT INTO "PointBalance" ("communityId", "memberId", "balance", "updatedAt")
    SELECT ${communityId}, "memberId", sum("amount"), now() FROM "PointEntry" WHERE "communityId" = ${communityId} GROUP BY "memberId"
    ON CONFLICT ("communityId", "memberId") DO UPDATE SET "balance" = EXCLUDED."balance", "updatedAt" = now()`;
}

/** The key of the calendar week ("week:2026-12-07", its Monday) or month ("month:2026-12") holding `at`, in UTC, as the ledger files totals. */
export function periodKey(period: "week" | "month", at: Date): string {
  if (period === "month") return `month:${at.toISOString().slice(0, 7)}`;
  return `week:${periodStart("week", at).toISOString().slice(0, 10)}`;
}

/** When the calendar week (Monday 00:00) or month holding `at` began, in UTC. */
export function periodStart(period: "week" | "month", at: Date): Date {
  if (period === "month") return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}
