import type Stripe from "stripe";
import type { CommerceConfig } from "../config/communities.js";

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

/** The parts of a community's commerce policy that decide a subscription's access. */
export type SubscriptionPolicy = Pick<CommerceConfig, "graceDays" | "cancelledAccess" | "trialsGrantAccess">;

/**
 * When a subscription's access ends, by the community's policy (defaults in brackets):
 * - active, or trialing [when trials grant access]: open-ended, or the period end once
 *   cancellation is scheduled;
 * - past due or unpaid: a grace period [7 days] from the first failed payment;
 * - cancelled: [the end of the period already paid for], or at once;
 * - never paid (incomplete, expired, paused): no access at all (`null` result).
 */
export function accessWindow(facts: SubscriptionFacts, pastDueSince: Date | null, policy: SubscriptionPolicy): { startsAt: Date; endsAt: Date | null } | null {
  const startsAt = facts.startedAt;
  switch (facts.status) {
    case "trialing":
      if (!policy.trialsGrantAccess) return null;
      return { startsAt, endsAt: facts.cancelAtPeriodEnd ? facts.currentPeriodEnd : null };
    case "active":
      return { startsAt, endsAt: facts.cancelAtPeriodEnd ? facts.currentPeriodEnd : null };
    case "past_due":
    case "unpaid": {
      const since = pastDueSince ?? new Date();
      return { startsAt, endsAt: new Date(since.getTime() + policy.graceDays * 86_400_000) };
    }
    case "canceled":
      return { startsAt, endsAt: policy.cancelledAccess === "immediately" ? startsAt : (facts.currentPeriodEnd ?? startsAt) };
    default:
      return null;
  }
}
