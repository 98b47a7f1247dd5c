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
 * Lists Checkout Sessions, subscriptions, refunds and disputes created since `since` (all
 * of them when undefined) and reports each whose effect may be missing here. Returns how many
 * objects it looked at. With nothing changed this is four list calls, however many customers.
 */
export async function findDrift(db: Db, stripe: Stripe, lister: StripeLister, since: number | undefined, report: (d: Drift) => void): Promise<number> {
  const created = since === undefined ? {} : { created: { gte: since } };
  let seen = 0;
  const candidates: Drift[] = [];

  for await (const session of lister.all((p) => stripe.checkout.sessions.list({ ...p, ...created }))) {
    seen++;
    const row = await db.checkoutSession.findUnique({ where: { id: session.id } });
    if (!row && !session.metadata?.[META.member]) continue; // not a Guildhall member's
    const state = `${session.status}_${session.payment_status}`;
    const event = syntheticEvent(session.status === "expired" ? "checkout.session.expired" : "checkout.session.completed", `sweep_${session.id}_${state}`, session);
    if (!row || row.status !== session.status || row.paymentStatus !== session.payment_status) {
      if (session.status !== "open") candidates.push({ label: `updated checkout ${session.id} to ${session.status} (${session.payment_status})`, event });
      continue;
    }
    const paid = session.status === "complete" && (session.payment_status === "paid" || session.payment_status === "no_payment_required");
    if (!paid) continue;
    const reflected =
      session.mode === "subscription"
        ? await db.subscription.findFirst({ where: { id: idOf(session.subscription) ?? "" } })
        : await db.entitlement.findFirst({ where: { source: "purchase", sourceRef: session.id } });
    if (!reflected) candidates.push({ label: `granted paid checkout ${session.id}`, event });
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
      candidates.push({ label: `updated subscription ${sub.id} to ${facts.status}`, event: syntheticEvent("customer.subscription.updated", `sweep_${sub.id}_${state}`, sub) });
    }
  }

  // Refunds and disputes of any payment, old or new, purchase or membership: a charge only
  // says it was reversed, these say when. The applier re-reads what the charge paid for.
  const reversed = (charge: Stripe.Charge, why: "refunded" | "disputed") =>
    candidates.push({ label: `ended ${why} payment ${charge.id}`, event: syntheticEvent("charge.refunded", `sweep_${charge.id}_${why}`, charge) });
  for await (const refund of lister.all((p) => stripe.refunds.list({ ...p, ...created, expand: ["data.charge"] }))) {
    seen++;
    const charge = refund.charge as Stripe.Charge | null;
    if (charge && typeof charge === "object" && charge.amount_refunded >= charge.amount && charge.amount > 0) reversed(charge, "refunded");
  }
  for await (const dispute of lister.all((p) => stripe.disputes.list({ ...p, ...created, expand: ["data.charge"] }))) {
    seen++;
    if (typeof dispute.charge === "object") reversed(dispute.charge, "disputed");
  }

  // A repair already made (its synthetic id is recorded) is not made again.
  const ids = [...new Set(candidates.map((d) => d.event.id))];
  const done = new Set((await db.stripeEvent.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((e) => e.id));
  const reported = new Set<string>();
  for (const d of candidates) {
    if (done.has(d.event.id) || reported.has(d.event.id)) continue;
    reported.add(d.event.id);
    report(d);
  }
  return seen;
}
