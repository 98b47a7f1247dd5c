/**
 * A hook between commerce, which applies Stripe's events, and capabilities that keep their
 * own record of money (insights' revenue): commerce calls it, listeners implement
 * `Capability.onMoneyMoved`, and neither imports the other.
 */
import type Stripe from "stripe";

/** Whom a Stripe object belongs to in Guildhall: the community, member and catalog item it was bought for. */
export interface MoneyOwner {
  readonly communityId: string;
  readonly memberId: string | null;
  readonly itemId: string | null;
}

/** A Stripe event commerce applied, with what it read from Stripe for it (no network calls needed). */
export interface MoneyMoved {
  readonly event: Stripe.Event;
  /** The membership's subscription, as fresh as any read of it. */
  readonly subscription?: Stripe.Subscription;
  /** The charge the event is about (refunds, disputes). */
  readonly charge?: Stripe.Charge;
  /** The subscription that charge paid for, when it paid for one. */
  readonly chargeSubscriptionId?: string;
  /** Whom the money the event moved belongs to; absent for objects not bought through Guildhall. */
  readonly owner?: MoneyOwner;
  /** Whom `subscription` belongs to. */
  readonly subscriptionOwner?: MoneyOwner;
}
