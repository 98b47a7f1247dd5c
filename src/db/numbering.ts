/**
 * Per-community numbers members see and type ("question #12", "review #3", "live event #7"):
 * 1, 2, 3, … within each community, one sequence per table. Every numbered table has a
 * `communityId` column, a `number` column and a unique (communityId, number) index.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Tx } from "./transaction.js";

/**
 * The next number in `table` for the community, to be inserted in the same transaction `tx`.
 * A transaction-scoped advisory lock per (table, community) makes concurrent inserts take
 * turns, so MAX + 1 never hands two of them the same number; it is released at commit or
 * rollback, so a rolled-back insert leaves no gap.
 */
export async function nextNumber(tx: Tx, table: Prisma.ModelName, communityId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`number:${table}:${communityId}`}))`;
  // `table` is one of Prisma's model names (a type, not input), so naming it in the SQL is safe.
  const rows = await tx.$queryRaw<{ next: number }[]>`SELECT (COALESCE(MAX("number"), 0) + 1)::int AS next FROM ${Prisma.raw(`"${table}"`)} WHERE "communityId" = ${communityId}`;
  return Number(rows[0]!.next);
}
