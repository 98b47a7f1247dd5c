import { countList, type CountSource } from "../core/counts.js";

/**
 * Commerce's counts for creator insights, from its own rows. Checkout conversion by the month
 * members ran /buy: distinct member-and-item pairs that started a Checkout Session, the pairs
 * with a session completed and paid, and of those the pairs that still had paid access to the
 * item (purchase or subscription, not revoked) 30 days after their first completed session;
 * pairs completed less than 30 days ago are not yet counted in the last step
 * (`checkout.retainedKnown` says how many were). Repeat purchases: buyers (members with a
 * completed, paid checkout) and those with two or more.
 */
export const commerceCounts: CountSource = async (db, { communityId, now }) => {
  const { counts, put } = countList();
  const funnel = await db.$queryRaw<{ month: string; started: bigint; completed: bigint; known: bigint; retained: bigint }[]>`
    WITH pairs AS (
      SELECT "memberId", "itemId", MIN("createdAt") AS "startedAt",
        MIN("createdAt") FILTER (WHERE "status" = 'complete' AND "paymentStatus" IN ('paid', 'no_payment_required')) AS "completedAt"
      FROM "CheckoutSession" WHERE "communityId" = ${communityId} GROUP BY 1, 2
    )
    SELECT to_char(p."startedAt", 'YYYY-MM') AS "month", COUNT(*)::bigint AS "started", COUNT(p."completedAt")::bigint AS "completed",
      COUNT(*) FILTER (WHERE p."completedAt" <= ${now}::timestamp - interval '30 days')::bigint AS "known",
      COUNT(*) FILTER (WHERE p."completedAt" <= ${now}::timestamp - interval '30 days' AND EXISTS (
        SELECT 1 FROM "Entitlement" e
        WHERE e."memberId" = p."memberId" AND e."itemId" = p."itemId" AND e."source" IN ('purchase', 'subscription')
          AND e."startsAt" <= p."completedAt" + interval '30 days'
          AND (e."endsAt" IS NULL OR e."endsAt" > p."completedAt" + interval '30 days')
          AND (e."revokedAt" IS NULL OR e."revokedAt" > p."completedAt" + interval '30 days')
      ))::bigint AS "retained"
    FROM pairs p GROUP BY 1 ORDER BY 1`;
  for (const f of funnel) {
    put("checkout.started", `month:${f.month}`, "", Number(f.started));
    put("checkout.completed", `month:${f.month}`, "", Number(f.completed));
    put("checkout.retainedKnown", `month:${f.month}`, "", Number(f.known));
    put("checkout.retained", `month:${f.month}`, "", Number(f.retained));
  }
  const [repeat] = await db.$queryRaw<{ buyers: bigint; repeat: bigint }[]>`
    SELECT COUNT(*)::bigint AS "buyers", COUNT(*) FILTER (WHERE n >= 2)::bigint AS "repeat" FROM (
      SELECT "memberId", COUNT(*) AS n FROM "CheckoutSession"
      WHERE "communityId" = ${communityId} AND "status" = 'complete' AND "paymentStatus" IN ('paid', 'no_payment_required')
      GROUP BY 1
    ) b`;
  put("purchases.buyers", "now", "", Number(repeat?.buyers ?? 0));
  put("purchases.repeat", "now", "", Number(repeat?.repeat ?? 0));
  return counts;
};
