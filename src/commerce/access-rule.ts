import type Stripe from "stripe";
import type { CommerceConfig } from "./settings-schema.js";

/**
 * The one rule of paid access: what a member may have, as a pure function of Stripe's
 * current objects and the community's policy. Nothing here knows when Guildhall heard of
 * anything, so the order, duplication or loss of webhooks cannot change the answer; events
 * only say which objects to read again. The README's "Connect Stripe" table describes it.
 */

/** The parts of a community's commerce policy that decide access. */
export type AccessPolicy = Pick<CommerceConfig, "graceDays" | "cancelledAccess" | "trialsGrantAccess" | "refundsEndAccess">;

/** One payment as Stripe keeps it: the charge, its refunds and its disputes. */
export interface PaymentRecord {
  readonly charge: Stripe.Charge;
  readonly refunds: readonly Stripe.Refund[];
  readonly disputes: readonly Stripe.Dispute[];
}

/** A membership: the subscription, all its invoices, and the payments of its paid invoices. */
export interface MembershipObjects {
  readonly subscription: Stripe.Subscription;
  readonly invoices: readonly Stripe.Invoice[];
  readonly payments: readonly PaymentRecord[];
}

/** A one-off purchase: its Checkout Session and the payment it made. */
export interface PurchaseObjects {
  readonly session: Stripe.Checkout.Session;
  readonly payments: readonly PaymentRecord[];
}

/** Why paid access was taken back, and when Stripe recorded it. */
export interface Reversal {
  readonly at: Date;
  readonly why: "refunded" | "disputed";
}

/**
 * When access runs: from `startsAt` until `endsAt` (open-ended when null), unless `reversed`
 * (a full refund or a dispute) ended it first. `null`: never any access.
 */
export interface AccessWindow {
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly reversed: Reversal | null;
  /** The Stripe status it was computed from, for /access and the logs. */
  readonly reason: string;
}

const at = (seconds: number) => new Date(seconds * 1000);

/** A purchase: paid (or free) and complete, until a full refund or a dispute ends it. */
export function purchaseAccess(objects: PurchaseObjects, policy: AccessPolicy): AccessWindow | null {
  const { session } = objects;
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  if (session.status !== "complete" || !paid) return null;
  return { startsAt: at(session.created), endsAt: null, reversed: reversalOf(objects.payments, policy), reason: "purchase" };
}

/**
 * A membership, by the subscription's status:
 * - `active`, or `trialing` when trials grant access: open-ended, or until the period end
 *   once cancellation is scheduled;
 * - `past_due` or `unpaid`: `graceDays` from when the unpaid renewal became due (the end of
 *   the last paid period);
 * - `canceled`: until the end of the last paid period (`until_period_end`) or when it ended
 *   (`immediately`); cancelled over an unpaid renewal (dunning), the grace from when that
 *   renewal became due, never the unpaid period;
 * - never paid (`incomplete`, `incomplete_expired`, `paused`, a trial that grants nothing): none.
 * A full refund or a dispute of any of its payments ends it when Stripe recorded it.
 */
export function membershipAccess(objects: MembershipObjects, policy: AccessPolicy): AccessWindow | null {
  const sub = objects.subscription;
  const period = currentPeriod(sub);
  const paidThrough = paidThroughOf(sub, objects.invoices, policy);
  const trialOnly = sub.trial_end !== null && !policy.trialsGrantAccess;
  const startsAt = at(trialOnly ? Math.min(sub.trial_end!, period.end) : (sub.start_date ?? sub.created));
  const reversed = reversalOf(objects.payments, policy);
  const window = (endsAt: Date | null): AccessWindow => ({ startsAt, endsAt, reversed, reason: sub.status });
  const scheduledEnd = sub.cancel_at_period_end ? at(period.end) : null;
  // The moment the first unpaid renewal became due: the end of the last paid period.
  const dueAt = paidThrough ?? period.start;
  const graceEnd = at(dueAt + policy.graceDays * 86_400);

  switch (sub.status) {
    case "trialing":
      return policy.trialsGrantAccess ? window(scheduledEnd) : null;
    case "active":
      return window(scheduledEnd);
    case "past_due":
    case "unpaid":
      if (paidThrough === null) return null; // nothing was ever paid for
      return window(scheduledEnd && scheduledEnd < graceEnd ? scheduledEnd : graceEnd);
    case "canceled": {
      if (paidThrough === null) return null;
      const endedAt = at(sub.ended_at ?? sub.canceled_at ?? period.end);
      const unpaidRenewal = paidThrough < period.end;
      let endsAt = unpaidRenewal ? graceEnd : at(paidThrough);
      if (policy.cancelledAccess === "immediately" && endedAt < endsAt) endsAt = endedAt;
      return window(endsAt < startsAt ? startsAt : endsAt);
    }
    default:
      return null;
  }
}

/** The billing period the subscription is in (since API 2025-03-31 it lives on the items). */
export function currentPeriod(sub: Stripe.Subscription): { start: number; end: number } {
  const items = sub.items.data;
  const end = Math.max(...items.map((i) => i.current_period_end ?? 0), 0);
  const start = Math.max(...items.map((i) => i.current_period_start ?? 0), 0);
  return { start: start || sub.start_date, end: end || sub.start_date };
}

/**
 * The end (seconds) of the last period paid for: the latest service period among paid
 * invoices. A trial's free invoice counts only when trials grant access.
 */
export function paidThroughOf(sub: Stripe.Subscription, invoices: readonly Stripe.Invoice[], policy: Pick<AccessPolicy, "trialsGrantAccess">): number | null {
  let through: number | null = null;
  for (const invoice of invoices) {
    if (invoice.status !== "paid") continue;
    const ends = invoice.lines.data.map((l) => l.period.end);
    if (ends.length === 0) continue;
    const end = Math.max(...ends);
    const trial = invoice.amount_paid === 0 && sub.trial_end !== null && end <= sub.trial_end;
    if (trial && !policy.trialsGrantAccess) continue;
    if (through === null || end > through) through = end;
  }
  return through;
}

/**
 * The earliest full refund or dispute among the payments, when refunds end access. A charge
 * is fully refunded by the refund that brought its refunded total to its amount; partial
 * refunds never end access.
 */
export function reversalOf(payments: readonly PaymentRecord[], policy: Pick<AccessPolicy, "refundsEndAccess">): Reversal | null {
  if (!policy.refundsEndAccess) return null;
  let first: Reversal | null = null;
  const consider = (r: Reversal) => {
    if (first === null || r.at < first.at) first = r;
  };
  for (const { charge, refunds, disputes } of payments) {
    if (charge.disputed || disputes.length > 0) {
      const created = disputes.length > 0 ? Math.min(...disputes.map((d) => d.created)) : charge.created;
      consider({ at: at(created), why: "disputed" });
    }
    if (charge.amount > 0 && charge.amount_refunded >= charge.amount) consider({ at: at(fullRefundAt(charge, refunds)), why: "refunded" });
  }
  return first;
}

function fullRefundAt(charge: Stripe.Charge, refunds: readonly Stripe.Refund[]): number {
  let total = 0;
  for (const refund of [...refunds].filter((r) => r.status !== "failed" && r.status !== "canceled").sort((a, b) => a.created - b.created)) {
    total += refund.amount;
    if (total >= charge.amount) return refund.created;
  }
  return Math.max(charge.created, ...refunds.map((r) => r.created));
}

/** When a failing membership's renewal became due, read from Stripe (for notices and the database). */
export function renewalDueAt(objects: MembershipObjects, policy: AccessPolicy): Date | null {
  const { status } = objects.subscription;
  if (status !== "past_due" && status !== "unpaid") return null;
  return at(paidThroughOf(objects.subscription, objects.invoices, policy) ?? currentPeriod(objects.subscription).start);
}
