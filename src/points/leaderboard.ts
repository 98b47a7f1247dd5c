/**
 * Leaderboards, built to stay fast with millions of ledger rows: every board reads totals
 * the ledger keeps (balances, per-category totals, per-week and per-month totals) through
 * their (community, ..., amount) indexes and stops after ten; a member's rank is a count of
 * the members above them. Nothing sums the ledger's rows.
 * System accounts (bounty escrow) and members merged into another never appear.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";
import { type PointCategory, periodKey, periodStart } from "./ledger.js";

export const BOARD_PERIODS = ["week", "month", "all"] as const;
export type BoardPeriod = (typeof BOARD_PERIODS)[number];

const TOP = 10;

export interface BoardRow {
  readonly memberId: string;
  readonly displayName: string;
  readonly points: number;
  /** 1 for the most points; members with equal points share a rank. */
  readonly rank: number;
}

export interface Board {
  readonly top: readonly BoardRow[];
  /** The viewer's own place, or undefined when they have no points in this board. */
  readonly viewer: BoardRow | undefined;
  /** When this calendar week or month began (UTC), for week and month. */
  readonly since?: Date;
}

/** Which totals a board ranks. */
export interface BoardScope {
  readonly period: BoardPeriod;
  readonly category?: PointCategory | undefined;
  /** Any moment in the week or month wanted. */
  readonly now: Date;
}

export async function leaderboard(db: Db, communityId: string, scope: BoardScope & { viewerId: string }): Promise<Board> {
  const { source, order } = totals(communityId, scope);
  const top = await db.$queryRaw<Row[]>`
    SELECT s."memberId", m."displayName", s.points::int AS points
    FROM (${source} AND ${order} > 0) s JOIN "Member" m ON m."id" = s."memberId" AND m."mergedIntoId" IS NULL
    ORDER BY s.points DESC, m."displayName", s."memberId" LIMIT ${TOP}`;
  const board = ranked(top);
  const viewer = board.find((r) => r.memberId === scope.viewerId) ?? (await rankOf(db, communityId, scope.viewerId, scope));
  return { top: board, viewer, ...(scope.period === "all" ? {} : { since: periodStart(scope.period, scope.now) }) };
}

type Row = { memberId: string; displayName: string; points: number };

/** Competition ranks for rows sorted by points, highest first. */
function ranked(rows: readonly Row[]): BoardRow[] {
  let rank = 0;
  return rows.map((row, i) => {
    if (i === 0 || rows[i - 1]!.points !== row.points) rank = i + 1;
    return { ...row, points: Number(row.points), rank };
  });
}

/** A member's place: a count of the members above them, never a scan of everyone. */
export async function rankOf(db: Db, communityId: string, memberId: string, scope: BoardScope): Promise<BoardRow | undefined> {
  const { source, order } = totals(communityId, scope);
  // Excluding the few merged members and escrow accounts by anti-join is several times
  // cheaper than looking up a member row for each of thousands of totals.
  const [mine] = await db.$queryRaw<(Row & { above: number })[]>`
    WITH mine AS (
      SELECT s."memberId", m."displayName", s.points
      FROM (${source} AND "memberId" = ${memberId}) s JOIN "Member" m ON m."id" = s."memberId" AND m."mergedIntoId" IS NULL
      WHERE s.points > 0)
    SELECT mine."memberId", mine."displayName", mine.points::int AS points,
      (SELECT count(*)::int FROM (${source} AND ${order} > mine.points) s
       WHERE s."memberId" NOT LIKE 'escrow:%'
         AND s."memberId" NOT IN (SELECT x."id" FROM "Member" x WHERE x."communityId" = ${communityId} AND x."mergedIntoId" IS NOT NULL)) AS above
    FROM mine`;
  if (!mine) return undefined;
  return { memberId: mine.memberId, displayName: mine.displayName, points: Number(mine.points), rank: Number(mine.above) + 1 };
}

/**
 * The totals a board ranks: balances, one category's totals, or a week's or month's. Joining
 * `Member` drops escrow accounts, which have no member row, and `mergedIntoId` drops members
 * folded into another.
 */
function totals(communityId: string, scope: BoardScope): { source: Prisma.Sql; order: Prisma.Sql } {
  if (scope.period !== "all") {
    const key = periodKey(scope.period, scope.now);
    return {
      source: Prisma.sql`SELECT "memberId", "total" AS points FROM "PointPeriodTotal" WHERE "communityId" = ${communityId} AND "period" = ${key} AND "category" = ${scope.category ?? "*"}`,
      order: Prisma.sql`"total"`,
    };
  }
  return scope.category
    ? { source: Prisma.sql`SELECT "memberId", "total" AS points FROM "PointCategoryTotal" WHERE "communityId" = ${communityId} AND "category" = ${scope.category}`, order: Prisma.sql`"total"` }
    : { source: Prisma.sql`SELECT "memberId", "balance" AS points FROM "PointBalance" WHERE "communityId" = ${communityId}`, order: Prisma.sql`"balance"` };
}
