import type Stripe from "stripe";
import type { Db } from "../db/database.js";
import { META } from "./checkout-service.js";
import { idOf, syntheticEvent } from "./stripe-objects.js";
import { subscriptionFacts } from "./subscription-policy.js";
import type { StripeLister } from "./stripe-listing.js";

/** A difference between Stripe and the database, with the event that repairs it. */
export interface Drift {
  readonly label: string;
  /** A synthetic event for the applier; its id encodes the state, so a repair applies once. */
  readonly event: Stripe.Event;
}


/**
 * Lists Checkout Sessions, subscriptions and charges created since `since` (all of them
 * when undefined) and reports each whose effect is missing here. Returns how many objects
 * it looked at. With nothing changed this is three list calls, however many customers.
 */
export async function findDrift(db: Db, stripe: Stripe, lister: StripeLister, since: number | undefined, report: (d: Drift) => void): Promise<number> {
  const created = since === undefined ? {} : { created: { gte: since } };
  let seen = 0;

  for await (const session of lister.all((p) => stripe.checkout.sessions.list({ ...p, ...created }))) {
    seen++;
    const paid = session.status === "complete" && (session.payment_status === "paid" || session.payment_status === "no_payment_required");
    if (!paid || !session.metadata?.[META.member]) continue;
    const reflected =
      session.mode === "subscription"
        ? await db.subscription.findFirst({ where: { id: idOf(session.subscription) ?? "" } })
        : await db.entitlement.findFirst({ where: { source: "purchase", sourceRef: session.id } });
    if (!reflected) report({ label: `granted paid checkout ${session.id}`, event: syntheticEvent("checkout.session.completed", `sweep_${session.id}_paid`, session) });
  }

  for await (const sub of lister.all((p) => stripe.subscriptions.list({ ...p, status: "all", ...created }))) {
    seen++;
    const facts = subscriptionFacts(sub);
    const stored = await db.subscription.findUnique({ where: { id: sub.id } });
    const known = stored ?? (sub.metadata?.[META.member] ? null : await db.stripeCustomer.findFirst({ where: { id: idOf(sub.customer), memberId: { not: null } } }));
    if (!stored && !sub.metadata?.[META.member] && !known) continue; // not a Guildhall member's
    const same = stored && stored.status === facts.status && stored.cancelAtPeriodEnd === facts.cancelAtPeriodEnd && stored.currentPeriodEnd?.getTime() === facts.currentPeriodEnd?.getTime();
    if (!same) {
      const state = `${facts.status}_${facts.cancelAtPeriodEnd}_${facts.currentPeriodEnd?.getTime() ?? 0}`;
      report({ label: `updated subscription ${sub.id} to ${facts.status}`, event: syntheticEvent("customer.subscription.updated", `sweep_${sub.id}_${state}`, sub) });
    }
  }

  for await (const charge of lister.all((p) => stripe.charges.list({ ...p, ...created }))) {
    seen++;
    const reversed = charge.disputed ? "disputed" : charge.amount_refunded >= charge.amount && charge.amount > 0 ? "refunded" : undefined;
    const paymentIntent = idOf(charge.payment_intent);
    if (!reversed || !paymentIntent) continue;
    const session = await db.checkoutSession.findFirst({ where: { paymentIntentId: paymentIntent } });
    if (!session) continue;
    const stillActive = await db.entitlement.findFirst({ where: { source: "purchase", sourceRef: session.id, revokedAt: null } });
    if (stillActive) report({ label: `ended ${reversed} purchase ${session.id}`, event: syntheticEvent("charge.refunded", `sweep_${charge.id}_${reversed}`, charge) });
  }
  return seen;
}
