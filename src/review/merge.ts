/**
 * Code review follows a `/link` merge (identity's `onMerge`, in the merge's transaction): the
 * requests the member asked for (their monthly quota counts them) and reviews, their place on
 * the reviewer roster (one row per member: when both accounts review, the remaining member's
 * row keeps its state and gains the other's languages), and points held for a copied summary.
 */
import type { Tx } from "../db/transaction.js";

export async function moveReviews(tx: Tx, m: { communityId: string; fromId: string; intoId: string }): Promise<void> {
  await tx.$executeRaw`UPDATE "ReviewRequest" SET "requesterId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "requesterId" = ${m.fromId}`;
  await tx.$executeRaw`UPDATE "ReviewRequest" SET "assigneeId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "assigneeId" = ${m.fromId}`;
  await tx.$executeRaw`
    UPDATE "ReviewRequest" SET "passedBy" = array_replace("passedBy", ${m.fromId}, ${m.intoId})
    WHERE "communityId" = ${m.communityId} AND ${m.fromId} = ANY("passedBy")`;
  await tx.$executeRaw`
    UPDATE "Reviewer" r SET "languages" = ARRAY(SELECT DISTINCT l FROM unnest(r."languages" || o."languages") l ORDER BY l)
    FROM "Reviewer" o WHERE r."communityId" = ${m.communityId} AND r."memberId" = ${m.intoId} AND o."communityId" = ${m.communityId} AND o."memberId" = ${m.fromId}`;
  await tx.$executeRaw`
    DELETE FROM "Reviewer" WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}
      AND EXISTS (SELECT 1 FROM "Reviewer" r WHERE r."communityId" = ${m.communityId} AND r."memberId" = ${m.intoId})`;
  await tx.$executeRaw`UPDATE "Reviewer" SET "memberId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}`;
  await tx.$executeRaw`UPDATE "CopiedReviewHold" SET "reviewerId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "reviewerId" = ${m.fromId}`;
}
