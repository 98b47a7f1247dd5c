import type Stripe from "stripe";
import type { MembershipObjects, PaymentRecord, PurchaseObjects } from "./access-rule.js";
import { idOf } from "./stripe-objects.js";

/**
 * Reads, fresh from Stripe, every object the access rule needs about one membership or one
 * purchase. Only charges that were refunded or disputed cost a further call each.
 */
export async function readMembership(stripe: Stripe, subscriptionId: string): Promise<MembershipObjects> {
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  const invoices = (await stripe.invoices.list({ subscription: subscriptionId, limit: 100, expand: ["data.payments"] })).data;
  const paying = new Set(
    invoices.flatMap((i) => (i.payments?.data ?? []).filter((p) => p.status === "paid").map((p) => idOf(p.payment.payment_intent ?? null))),
  );
  paying.delete(undefined);
  if (paying.size === 0) return { subscription, invoices, payments: [] };
  const charges = (await stripe.charges.list({ customer: idOf(subscription.customer), limit: 100 })).data;
  const payments = await paymentRecords(stripe, charges.filter((c) => paying.has(idOf(c.payment_intent) ?? undefined)));
  return { subscription, invoices, payments };
}

export async function readPurchase(stripe: Stripe, sessionId: string): Promise<PurchaseObjects> {
  const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ["line_items"] });
  const paymentIntent = idOf(session.payment_intent);
  if (!paymentIntent || session.mode !== "payment") return { session, payments: [] };
  const charges = (await stripe.charges.list({ payment_intent: paymentIntent, limit: 100 })).data;
  return { session, payments: await paymentRecords(stripe, charges.filter((c) => c.status === "succeeded")) };
}

/** Each charge with its refunds and disputes, read only for charges that have some. */
async function paymentRecords(stripe: Stripe, charges: readonly Stripe.Charge[]): Promise<PaymentRecord[]> {
  const records: PaymentRecord[] = [];
  for (const charge of charges) {
    const refunds = charge.amount_refunded > 0 ? (await stripe.refunds.list({ charge: charge.id, limit: 100 })).data : [];
    const disputes = charge.disputed ? (await stripe.disputes.list({ charge: charge.id, limit: 100 })).data : [];
    records.push({ charge, refunds, disputes });
  }
  return records;
}
