import type Stripe from "stripe";

/** The subscription facts the access policy needs, read from Stripe's object. */
export interface SubscriptionFacts {
  readonly id: string;
  readonly status: Stripe.Subscription.Status;
  readonly startedAt: Date;
  readonly currentPeriodEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
}

export function subscriptionFacts(sub: Stripe.Subscription): SubscriptionFacts {
  // Since API 2025-03-31 the billing period lives on the items, not on the subscription.
  const periodEnd = sub.items.data.reduce<number | null>((max, i) => Math.max(max ?? 0, i.current_period_end ?? 0) || max, null);
  return {
    id: sub.id,
    status: sub.status,
    startedAt: new Date((sub.start_date ?? sub.created) * 1000),
    currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
  };
}

/**
 * When a subscription's access ends, by the community's policy:
 * - active or trialing: open-ended (or the period end once cancellation is scheduled);
 * - past due or unpaid: a grace period from the first failed payment;
 * - cancelled: the end of the period already paid for;
 * - never paid (incomplete, expired, paused): no access at all (`null` result).
 */
export function accessWindow(facts: SubscriptionFacts, pastDueSince: Date | null, graceDays: number): { startsAt: Date; endsAt: Date | null } | null {
  const startsAt = facts.startedAt;
  switch (facts.status) {
    case "active":
    case "trialing":
      return { startsAt, endsAt: facts.cancelAtPeriodEnd ? facts.currentPeriodEnd : null };
    case "past_due":
    case "unpaid": {
      const since = pastDueSince ?? new Date();
      return { startsAt, endsAt: new Date(since.getTime() + graceDays * 86_400_000) };
    }
    case "canceled":
      return { startsAt, endsAt: facts.currentPeriodEnd ?? startsAt };
    default:
      return null;
  }
}
