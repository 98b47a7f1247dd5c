/**
 * Levels follow a `/link` merge. The person reached a level on one account or the other, and
 * was told so then: the member that remains keeps the higher level of the two (with the date
 * it was reached, so the digest does not list it again), the merged member's level record is
 * removed, and nothing is announced. Only a level above both, which the two accounts' points
 * reach together, is a level-up, announced as any other. A level the points no longer reach
 * (one account had net negative corrections) is taken back, as after any correction.
 *
 * The record moves in the merge's transaction (identity's `onMerge`); what levels grant moves
 * after it commits, as stored work: the merged member's `promotion` items end, and the member
 * that remains gets the items, roles and channels of its level.
 */
import type { Services } from "../core/services.js";
import type { Tx } from "../db/transaction.js";
import type { WorkHandler } from "../core/jobs/scheduled-work.js";
import type { Logger } from "../log/logger.js";
import { announceLevelUps } from "./level-news.js";

export const LEVELS_AFTER_MERGE = "levels-after-merge";

interface Merge {
  readonly communityId: string;
  readonly fromId: string;
  readonly intoId: string;
}

interface Held {
  readonly memberId: string;
  readonly rank: number;
  readonly name: string;
  readonly earned: number;
  readonly reachedAt: Date;
}

/**
 * In the merge's transaction: the remaining member's record becomes the higher of the two
 * (the earlier reached on a tie) and the merged member's goes. Schedules what follows in the
 * same transaction, when the merged member held a level.
 */
export async function mergeLevels(tx: Tx, services: Pick<Services, "work" | "clock">, m: Merge): Promise<void> {
  // Locked in one order, as refresh locks each row, so a refresh running alongside waits.
  const rows = await tx.$queryRaw<Held[]>`
    SELECT "memberId", "rank", "name", "earned", "reachedAt" FROM "MemberLevel"
    WHERE "communityId" = ${m.communityId} AND "memberId" IN (${m.fromId}, ${m.intoId})
    ORDER BY "memberId" FOR UPDATE`;
  const from = rows.find((r) => r.memberId === m.fromId);
  if (!from) return;
  const into = rows.find((r) => r.memberId === m.intoId);
  const kept = !into || from.rank > into.rank || (from.rank === into.rank && from.reachedAt < into.reachedAt) ? from : into;
  const earned = Number(from.earned) + Number(into?.earned ?? 0);
  await tx.$executeRaw`
    INSERT INTO "MemberLevel" ("communityId", "memberId", "rank", "name", "earned", "reachedAt")
    VALUES (${m.communityId}, ${m.intoId}, ${kept.rank}, ${kept.name}, ${earned}, ${kept.reachedAt})
    ON CONFLICT ("communityId", "memberId") DO UPDATE SET "rank" = EXCLUDED."rank", "name" = EXCLUDED."name", "earned" = EXCLUDED."earned", "reachedAt" = EXCLUDED."reachedAt"`;
  await tx.$executeRaw`DELETE FROM "MemberLevel" WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}`;
  if (Number(from.rank) === 0) return;
  await services.work.schedule(tx, { kind: LEVELS_AFTER_MERGE, key: `${LEVELS_AFTER_MERGE}:${m.fromId}`, runAt: services.clock.now(), payload: { ...m } });
}

/** The stored work a merge leaves: the levels' grants follow, and a level above both is announced. */
export function levelsAfterMergeWork(services: Services, log: Logger): WorkHandler {
  return {
    kind: LEVELS_AFTER_MERGE,
    async run(item) {
      const m = item.payload as Merge;
      const changes = await services.levels.settleMerge(m.communityId, m.fromId, m.intoId);
      await announceLevelUps(services, { id: m.communityId, config: await services.levels.configOf(m.communityId) }, changes, log);
    },
  };
}
