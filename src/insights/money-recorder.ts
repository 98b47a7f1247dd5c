import type Stripe from "stripe";
import type { MoneyMoved, MoneyOwner } from "../core/money-moved.js";
import type { Db } from "../db/database.js";
import { idOf } from "../commerce/index.js";

/**
 * Records the money an applied Stripe event moved, and the subscription lifetime it shows,
 * for insights (the capability's onMoneyMoved hook). Called once inside the applier's
 * transaction, after its effects; commerce says whom the money belongs to. Every insert
 * is keyed by Stripe's ids and skips duplicates: reconciliation replaying an event adds
 * nothing. Objects that belong to no community (not bought through Guildhall) are skipped.
 */
export async function recordMoneyMoved(db: Db, moved: MoneyMoved): Promise<void> {
  const { event, owner } = moved;
  const object = event.data.object as { object?: string };
  if (moved.subscription && moved.subscriptionOwner) await recordSubscription(db, moved.subscription, moved.subscriptionOwner);
  if (!owner) return;
  switch (object.object) {
    case "invoice":
      if (event.type === "invoice.paid") await recordInvoice(db, event.data.object as Stripe.Invoice, moved.subscription?.id, owner);
      return;
    case "checkout.session":
      if (event.type === "checkout.session.completed" || event.type === "checkout.session.async_payment_succeeded") {
        await recordPurchase(db, event.data.object as Stripe.Checkout.Session, event.created, owner);
      }
      return;
    case "charge":
      if (event.type === "charge.refunded" && moved.charge) await recordRefund(db, moved.charge, moved.chargeSubscriptionId, event.created, owner);
      return;
    case "dispute":
      if (moved.charge) await recordDispute(db, event.data.object as Stripe.Dispute, moved.charge, moved.chargeSubscriptionId, owner);
      return;
    default:
  }
}

async function recordInvoice(db: Db, invoice: Stripe.Invoice, readSubscriptionId: string | undefined, owner: MoneyOwner): Promise<void> {
  const subscriptionId = readSubscriptionId ?? idOf(invoice.parent?.subscription_details?.subscription);
  if (!invoice.id) return;
  const paidAt = invoice.status_transitions?.paid_at ?? invoice.created;
  await insert(db, { id: invoice.id, ...owner, kind: "payment", amount: invoice.amount_paid, currency: invoice.currency, occurredAt: seconds(paidAt), subscriptionId, chargeId: null });
}

/** A one-off purchase: its money moved when the session completed paid (subscriptions are counted by their invoices). */
async function recordPurchase(db: Db, session: Stripe.Checkout.Session, eventCreated: number, owner: MoneyOwner): Promise<void> {
  if (session.mode !== "payment" || session.payment_status !== "paid") return;
  await insert(db, { id: session.id, ...owner, kind: "payment", amount: session.amount_total ?? 0, currency: session.currency ?? "usd", occurredAt: seconds(eventCreated), subscriptionId: null, chargeId: null });
}

/**
 * Stripe's charge carries the refunded total, not each refund: one row per total seen, keyed
 * by the charge and that total, so partial refunds add up and redeliveries add nothing.
 */
async function recordRefund(db: Db, charge: Stripe.Charge, subscriptionId: string | undefined, eventCreated: number, owner: MoneyOwner): Promise<void> {
  if (charge.amount_refunded <= 0) return;
  await insert(db, {
    id: `${charge.id}:refunded:${charge.amount_refunded}`, ...owner, kind: "refund", amount: charge.amount_refunded, currency: charge.currency,
    occurredAt: seconds(eventCreated), subscriptionId: subscriptionId ?? null, chargeId: charge.id,
  });
}

async function recordDispute(db: Db, dispute: Stripe.Dispute, charge: Stripe.Charge, subscriptionId: string | undefined, owner: MoneyOwner): Promise<void> {
  await insert(db, {
    id: dispute.id, ...owner, kind: "dispute", amount: dispute.amount, currency: dispute.currency,
    occurredAt: seconds(dispute.created), subscriptionId: subscriptionId ?? null, chargeId: charge.id,
  });
}

/** Start and trial end never change; the end is written once, when Stripe reports it. */
async function recordSubscription(db: Db, sub: Stripe.Subscription, owner: MoneyOwner): Promise<void> {
  const price = sub.items.data[0]?.price;
  if (!price?.recurring) return;
  const endedAt = sub.ended_at ? seconds(sub.ended_at) : null;
  const neverPaid = sub.status === "incomplete" || sub.status === "incomplete_expired";
  if (neverPaid) return;
  await db.$executeRaw`
    INSERT INTO "InsightSubscription" ("id", "communityId", "memberId", "itemId", "amount", "currency", "interval", "intervalCount", "startedAt", "trialEndsAt", "endedAt")
    VALUES (${sub.id}, ${owner.communityId}, ${owner.memberId}, ${owner.itemId}, ${(price.unit_amount ?? 0) * (sub.items.data[0]?.quantity ?? 1)}, ${price.currency},
            ${price.recurring.interval}, ${price.recurring.interval_count}, ${seconds(sub.start_date ?? sub.created)}, ${sub.trial_end ? seconds(sub.trial_end) : null}, ${endedAt})
    ON CONFLICT ("id") DO UPDATE SET "endedAt" = COALESCE("InsightSubscription"."endedAt", EXCLUDED."endedAt")`;
}

interface MoneyRow extends MoneyOwner {
  id: string;
  kind: "payment" | "refund" | "dispute";
  amount: number;
  currency: string;
  occurredAt: Date;
  subscriptionId: string | null | undefined;
  chargeId: string | null;
}

async function insert(db: Db, row: MoneyRow): Promise<void> {
  await db.insightMoney.createMany({ data: [{ ...row, subscriptionId: row.subscriptionId ?? null, currency: row.currency.toLowerCase() }], skipDuplicates: true });
}

function seconds(s: number): Date {
  return new Date(s * 1000);
}
