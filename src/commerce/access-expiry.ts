import type { Db } from "../db/database.js";

/**
 * Members whose access may have lapsed between `since` and `now`: an entitlement ended
 * (a grace period ran out, a cancelled membership reached its period end, a manual grant
 * expired) or was revoked. Their platforms are re-synced; syncing is idempotent, so an
 * overlapping window or a second process doing the same costs API calls, never correctness.
 */
export async function membersWithLapsedAccess(db: Db, since: Date, now: Date): Promise<string[]> {
  const rows = await db.entitlement.findMany({
    where: { OR: [{ endsAt: { gt: since, lte: now } }, { revokedAt: { gt: since, lte: now } }] },
    select: { memberId: true },
    distinct: ["memberId"],
  });
  return rows.map((r) => r.memberId);
}
