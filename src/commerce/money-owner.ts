import type Stripe from "stripe";
import type { MoneyMoved, MoneyOwner } from "../core/money-moved.js";
import type { Db } from "../db/database.js";
import { idOf, subscriptionOfInvoice } from "./stripe-objects.js";

const OWNER = { communityId: true, memberId: true, itemId: true } as const;

/** Whom a subscription was bought for, from its row (written by the applier before this runs). */
export async function subscriptionOwner(db: Db, subscriptionId: string | undefined): Promise<MoneyOwner | undefined> {
  if (!subscriptionId) return undefined;
  return (await db.subscription.findUnique({ where: { id: subscriptionId }, select: OWNER })) ?? undefined;
}

/**
 * Whom the money an event moved belongs to, for the money-moved hook: an invoice's
 * subscription, a purchase's Checkout Session, or for a charge (refund, dispute) the purchase
 * that made its payment, else the subscription whose invoice it paid. Undefined for objects
 * not bought through Guildhall. Runs inside the applier's transaction, after its effects.
 */
export async function moneyOwner(db: Db, event: Stripe.Event, subscriptionId: string | undefined, charge: Stripe.Charge | undefined): Promise<MoneyOwner | undefined> {
  const object = event.data.object as { object?: string; id?: string };
  switch (object.object) {
    case "invoice":
      return subscriptionOwner(db, subscriptionId);
    case "checkout.session":
      return (await db.checkoutSession.findUnique({ where: { id: object.id! }, select: OWNER })) ?? undefined;
    case "charge":
    case "dispute": {
      if (!charge) return undefined;
      const paymentIntentId = idOf(charge.payment_intent);
      const session = paymentIntentId ? await db.checkoutSession.findFirst({ where: { paymentIntentId }, select: OWNER }) : null;
      return session ?? subscriptionOwner(db, subscriptionId);
    }
    default:
      return undefined;
  }
}

/** Adds whom the money and the subscription belong to, from the rows the transaction just wrote. */
export async function withOwners(db: Db, event: Stripe.Event, moved: MoneyMoved): Promise<MoneyMoved> {
  const object = event.data.object as { object?: string };
  const subscriptionId = object.object === "invoice" ? (moved.subscription?.id ?? subscriptionOfInvoice(event.data.object as Stripe.Invoice)) : moved.chargeSubscriptionId;
  const owner = await moneyOwner(db, event, subscriptionId, moved.charge);
  const ofSubscription = await subscriptionOwner(db, moved.subscription?.id);
  return { ...moved, ...(owner ? { owner } : {}), ...(ofSubscription ? { subscriptionOwner: ofSubscription } : {}) };
}
