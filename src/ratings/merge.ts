/**
 * Ratings follow a `/link` merge (identity's `onMerge`, in the merge's transaction). One rating
 * per member and item: when both accounts rated the same item, the one changed last is the
 * person's opinion now and is kept. Ratings of code reviews name their rater and reviewer.
 */
import type { Tx } from "../db/transaction.js";

export async function moveRatings(tx: Tx, m: { communityId: string; fromId: string; intoId: string }): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM "ItemRating" r USING "ItemRating" o
    WHERE r."communityId" = ${m.communityId} AND o."communityId" = ${m.communityId} AND r."itemId" = o."itemId"
      AND ((r."memberId" = ${m.fromId} AND o."memberId" = ${m.intoId} AND r."updatedAt" <= o."updatedAt")
        OR (r."memberId" = ${m.intoId} AND o."memberId" = ${m.fromId} AND r."updatedAt" < o."updatedAt"))`;
  await tx.$executeRaw`UPDATE "ItemRating" SET "memberId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}`;
  await tx.$executeRaw`UPDATE "ReviewRating" SET "raterId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "raterId" = ${m.fromId}`;
  await tx.$executeRaw`UPDATE "ReviewRating" SET "reviewerId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "reviewerId" = ${m.fromId}`;
}
