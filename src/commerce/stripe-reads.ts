import type Stripe from "stripe";
import type { MembershipObjects, PaymentRecord, PurchaseObjects } from "./access-rule.js";
import { idOf } from "./stripe-objects.js";

/**
 * Reads, fresh from Stripe, every object the access rule needs about one membership or one
 * purchase. Only charges that were refunded or disputed cost a further call each.
 */
export async function readMembership(stripe: Stripe, subscriptionId: string, customer?: string): Promise<MembershipObjects> {
  // The customer's charges are read alongside when the event named the customer (one round trip).
  const chargesOf = (id: string) => stripe.charges.list({ customer: id, limit: 100 }).then((list) => list.data);
  const [subscription, invoiceList, early] = await Promise.all([
    stripe.subscriptions.retrieve(subscriptionId),
    stripe.invoices.list({ subscription: subscriptionId, limit: 100, expand: ["data.payments"] }),
    customer ? chargesOf(customer) : undefined,
  ]);
  const invoices = invoiceList.data;
  const paying = new Set(
    invoices.flatMap((i) => (i.payments?.data ?? []).filter((p) => p.status === "paid").map((p) => idOf(p.payment.payment_intent ?? null))),
  );
  paying.delete(undefined);
  if (paying.size === 0) return { subscription, invoices, payments: [] };
  const charges = customer === idOf(subscription.customer) && early ? early : await chargesOf(idOf(subscription.customer));
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
  return Promise.all(
    charges.map(async (charge) => {
      const [refunds, disputes] = await Promise.all([
        charge.amount_refunded > 0 ? stripe.refunds.list({ charge: charge.id, limit: 100 }).then((l) => l.data) : [],
        charge.disputed ? stripe.disputes.list({ charge: charge.id, limit: 100 }).then((l) => l.data) : [],
      ]);
      return { charge, refunds, disputes };
    }),
  );
}
