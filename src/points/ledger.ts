/**
 * The points ledger: every change to a member's points is an appended row; nothing is ever
 * updated or deleted. Each member's balance row is kept in the same transaction and doubles
 * as the lock that serialises changes to that member's points, so caps and "enough points"
 * checks hold under any concurrency.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import { UserFacingError } from "../core/errors.js";

export const POINT_CATEGORIES = ["answers", "questions", "reviews", "kudos", "awards", "bounties", "redemptions"] as const;
export type PointCategory = (typeof POINT_CATEGORIES)[number];

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
}

export type Entry = Prisma.PointEntryGetPayload<object>;

export class InsufficientPoints extends UserFacingError {
  constructor(
    readonly balance: number,
    readonly needed: number,
  ) {
    super(`You have ${balance} point${balance === 1 ? "" : "s"}; this needs ${needed}.`, "insufficient_points");
  }
}

export class PointsLedger {
  constructor(private readonly db: Db) {}

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
    if (entries.some((e) => e.communityId !== communityId)) throw new Error("one append is one community");
    const balances = await this.lock(tx, communityId, entries.map((e) => e.memberId));
    const written: Entry[] = [];
    const duplicates: EntryInput[] = [];
    for (const entry of entries) {
      if (!Number.isSafeInteger(entry.amount) || entry.amount === 0) throw new Error(`ledger amounts are non-zero whole numbers, not ${entry.amount}`);
      const before = balances.get(entry.memberId) ?? 0;
      if (entry.requireFunds && entry.amount < 0 && before + entry.amount < 0) throw new InsufficientPoints(before, -entry.amount);
      const inserted = await tx.$queryRaw<Entry[]>`
        INSERT INTO "PointEntry" ("id", "communityId", "memberId", "amount", "category", "reason", "source", "idempotencyKey", "actorId", "reversesId", "createdAt")
        VALUES (gen_random_uuid()::text, ${communityId}, ${entry.memberId}, ${entry.amount}, ${entry.category}, ${entry.reason}, ${entry.source},
                ${entry.idempotencyKey}, ${entry.actorId ?? null}, ${entry.reversesId ?? null}, now())
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

  async balance(communityId: string, memberId: string): Promise<number> {
    const row = await this.db.pointBalance.findUnique({ where: { communityId_memberId: { communityId, memberId } } });
    return row?.balance ?? 0;
  }
}
