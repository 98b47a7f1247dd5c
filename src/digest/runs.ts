/**
 * The record of each digest slot (`DigestRun`). Claiming a slot inserts its row only if there
 * is none, so of several processes checking the same community at once exactly one posts.
 */
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";

export type DigestOutcome = "running" | "posted" | "empty" | "missed" | "superseded" | "failed";

/** Unique per community and slot. */
export const digestKey = (communityId: string, slot: Date) => `digest:${communityId}:${slot.toISOString()}`;

export interface SlotClaim {
  /** The record's key when it is not the digest's own (the creator summary is keyed by week). */
  readonly key?: string;
  readonly communityId: string;
  readonly slot: Date;
  readonly holder: string;
  readonly at: Date;
}

const keyOf = (claim: SlotClaim) => claim.key ?? digestKey(claim.communityId, claim.slot);

/** Records the slot with `outcome` unless it has a record already; true when this call made it. */
export async function claimSlot(db: Db | Tx, claim: SlotClaim, outcome: DigestOutcome): Promise<boolean> {
  const { count } = await db.digestRun.createMany({
    data: [{ key: keyOf(claim), communityId: claim.communityId, slot: claim.slot, outcome, holder: claim.holder, createdAt: claim.at }],
    skipDuplicates: true,
  });
  return count === 1;
}

/** Records what became of a slot this holder claimed. */
export async function finishSlot(db: Db, claim: SlotClaim, outcome: DigestOutcome, posts: number, at: Date): Promise<void> {
  await db.digestRun.updateMany({ where: { key: keyOf(claim), holder: claim.holder }, data: { outcome, posts, finishedAt: at } });
}

/** Gives a claimed slot back (nothing was posted), so a later pass inside the window tries again. */
export async function releaseSlot(db: Db, claim: SlotClaim): Promise<void> {
  await db.digestRun.deleteMany({ where: { key: keyOf(claim), holder: claim.holder, outcome: "running" } });
}

/** Which of these keys have a record. */
export async function recordedKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.digestRun.findMany({ where: { key: { in: [...keys] } }, select: { key: true } });
  return new Set(rows.map((r) => r.key));
}
