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

