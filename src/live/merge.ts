/**
 * Live events follow a `/link` merge (identity's `onMerge`, in the merge's transaction): RSVPs
 * (one per member and event, so an event both accounts RSVPed to keeps one) and the events and
 * announcements the member made as a creator.
 */
import type { Tx } from "../db/transaction.js";

export async function moveLive(tx: Tx, m: { communityId: string; fromId: string; intoId: string }): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "LiveRsvp" ("eventId", "memberId", "createdAt")
    SELECT "eventId", ${m.intoId}, "createdAt" FROM "LiveRsvp" WHERE "memberId" = ${m.fromId}
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`DELETE FROM "LiveRsvp" WHERE "memberId" = ${m.fromId}`;
  await tx.$executeRaw`UPDATE "LiveEvent" SET "createdById" = ${m.intoId} WHERE "communityId" = ${m.communityId} AND "createdById" = ${m.fromId}`;
}
