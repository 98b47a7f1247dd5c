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

/**
 * The top ten and the viewer's own place, in one statement: the viewer's rank (a count of the
 * members above them) is computed only when they are not among the ten. Each statement costs
 * the bot a round trip and about a millisecond of event loop, which under load is most of it.
 */
export async function leaderboard(db: Db, communityId: string, scope: BoardScope & { viewerId: string }): Promise<Board> {
  const { source, order } = totals(communityId, scope);
  const rows = await db.$queryRaw<(Row & { above: number | null })[]>`
    WITH top AS (
      SELECT s."memberId", m."displayName", s.points
      FROM (${source} AND ${order} > 0) s JOIN "Member" m ON m."id" = s."memberId" AND m."mergedIntoId" IS NULL
      ORDER BY s.points DESC, m."displayName", s."memberId" LIMIT ${TOP}
    ), mine AS (${viewerRow(source, scope.viewerId)} AND NOT EXISTS (SELECT 1 FROM top WHERE top."memberId" = ${scope.viewerId}))
    SELECT * FROM (
      SELECT top."memberId", top."displayName", top.points::int AS points, NULL::int AS above FROM top
      UNION ALL
      SELECT mine."memberId", mine."displayName", mine.points::int AS points, (${above(communityId, source, order)}) AS above FROM mine
    ) b
    ORDER BY b.above IS NOT NULL, b.points DESC, b."displayName", b."memberId"`;
  const board = ranked(rows.filter((r) => r.above === null));
  const mine = rows.find((r) => r.above !== null);
  const viewer = board.find((r) => r.memberId === scope.viewerId) ?? (mine && { memberId: mine.memberId, displayName: mine.displayName, points: Number(mine.points), rank: Number(mine.above) + 1 });
  return { top: board, viewer, ...(scope.period === "all" ? {} : { since: periodStart(scope.period, scope.now) }) };
}

/** The viewer's total, when they are a member with points on this board (alias `mine`'s source). */
function viewerRow(source: Prisma.Sql, memberId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT s."memberId", m."displayName", s.points
    FROM (${source} AND "memberId" = ${memberId}) s JOIN "Member" m ON m."id" = s."memberId" AND m."mergedIntoId" IS NULL
    WHERE s.points > 0`;
}

/**
 * How many members have more than `mine.points`: an index-only count over the totals index
 * (it ends with memberId). Excluding the few merged members and escrow accounts by anti-join
 * is several times cheaper than looking up a member row for each of thousands of totals.
 */
function above(communityId: string, source: Prisma.Sql, order: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT count(*)::int FROM (${source} AND ${order} > mine.points) s
    WHERE s."memberId" NOT LIKE 'escrow:%'
      AND s."memberId" NOT IN (SELECT x."id" FROM "Member" x WHERE x."communityId" = ${communityId} AND x."mergedIntoId" IS NOT NULL)`;
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
  const [mine] = await db.$queryRaw<(Row & { above: number })[]>`
    WITH mine AS (${viewerRow(source, memberId)})
    SELECT mine."memberId", mine."displayName", mine.points::int AS points, (${above(communityId, source, order)}) AS above
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
