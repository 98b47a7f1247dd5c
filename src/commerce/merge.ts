/**
 * What commerce moves when `/link` folds one member into another (identity's `onMerge`, in the
 * merge's own transaction): purchases, subscriptions, manual grants, checkout sessions and the
 * Stripe customer follow the person, so the access computed for the member that remains keeps
 * what either account paid for. A level's `promotion` entitlements stay behind in the merge itself:
 * levels are worked out again from the points, which move too, and the points capability's
 * work after the merge (src/points/level-merge.ts) ends the merged member's and grants the
 * remaining member their own.
 */
import type { Tx } from "../db/transaction.js";

export interface Merge {
  readonly communityId: string;
  readonly fromId: string;
  readonly intoId: string;
}

export async function moveCommerce(tx: Tx, m: Merge): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Entitlement" SET "memberId" = ${m.intoId}, "updatedAt" = now()
    WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId} AND "source" <> 'promotion'`;
  await tx.$executeRaw`UPDATE "Subscription" SET "memberId" = ${m.intoId}, "updatedAt" = now() WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}`;
  await tx.$executeRaw`UPDATE "CheckoutSession" SET "memberId" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}`;
  // One Stripe customer per member: when both had one, the merged member's stays linked to
  // them, and payments on it still reach the remaining member (the applier follows merges).
  await tx.$executeRaw`
    UPDATE "StripeCustomer" SET "memberId" = ${m.intoId}
    WHERE "communityId" = ${m.communityId} AND "memberId" = ${m.fromId}
      AND NOT EXISTS (SELECT 1 FROM "StripeCustomer" c WHERE c."communityId" = ${m.communityId} AND c."memberId" = ${m.intoId})`;
}
