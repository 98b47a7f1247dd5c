import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { type AccessPolicy, membershipAccess, type PaymentRecord, purchaseAccess } from "../../src/commerce/access-rule.js";
import { DEFAULT_COMMERCE, settingsSections } from "../../src/capabilities.js";
import { loadConfig } from "../../src/config/config.js";

// Examples of the README's table; the property test (paid-access.property.test.ts) covers the rest.
const DAY = 86_400;
const t0 = Date.parse("2026-11-01T00:00:00Z") / 1000;
const month = 30 * DAY;
const date = (seconds: number) => new Date(seconds * 1000);

function subscription(status: Stripe.Subscription.Status, fields: Partial<Record<"trial_end" | "ended_at" | "canceled_at", number>> & { cancelAtPeriodEnd?: boolean; period?: [number, number] } = {}): Stripe.Subscription {
  const [start, end] = fields.period ?? [t0 + month, t0 + 2 * month];
  return {
    id: "sub_1", object: "subscription", status, start_date: t0, created: t0, trial_end: fields.trial_end ?? null,
    cancel_at_period_end: fields.cancelAtPeriodEnd ?? false, ended_at: fields.ended_at ?? null, canceled_at: fields.canceled_at ?? null,
    items: { data: [{ current_period_start: start, current_period_end: end }] },
  } as unknown as Stripe.Subscription;
}
const invoice = (status: Stripe.Invoice.Status, start: number, end: number, amountPaid = 1900) =>
  ({ status, amount_paid: amountPaid, lines: { data: [{ period: { start, end } }] } }) as unknown as Stripe.Invoice;
const charge = (fields: Partial<Stripe.Charge>) => ({ id: "ch_1", amount: 1900, amount_refunded: 0, disputed: false, created: t0, ...fields }) as Stripe.Charge;
const refund = (amount: number, created: number) => ({ amount, created, status: "succeeded" }) as Stripe.Refund;

/** Two paid months, then the third month's renewal (due at t0 + 2 months) failed. */
const paidTwoMonths = [invoice("paid", t0, t0 + month), invoice("paid", t0 + month, t0 + 2 * month)];
const renewalFailed = [...paidTwoMonths, invoice("open", t0 + 2 * month, t0 + 3 * month)];
const unpaidPeriod: [number, number] = [t0 + 2 * month, t0 + 3 * month];
const strict: AccessPolicy = { graceDays: 0, cancelledAccess: "immediately", trialsGrantAccess: false, refundsEndAccess: true };

describe("the access rule", () => {
  it("active: open-ended; cancellation scheduled: until the period end", () => {
    expect(membershipAccess({ subscription: subscription("active"), invoices: paidTwoMonths, payments: [] }, DEFAULT_COMMERCE)).toMatchObject({ startsAt: date(t0), endsAt: null, reversed: null });
    expect(membershipAccess({ subscription: subscription("active", { cancelAtPeriodEnd: true }), invoices: paidTwoMonths, payments: [] }, DEFAULT_COMMERCE)?.endsAt).toEqual(date(t0 + 2 * month));
  });

  it("past due: graceDays from when the renewal became due, whenever it was noticed", () => {
    const sub = subscription("past_due", { period: unpaidPeriod });
    expect(membershipAccess({ subscription: sub, invoices: renewalFailed, payments: [] }, DEFAULT_COMMERCE)?.endsAt).toEqual(date(t0 + 2 * month + 7 * DAY));
    expect(membershipAccess({ subscription: sub, invoices: renewalFailed, payments: [] }, strict)?.endsAt).toEqual(date(t0 + 2 * month));
  });

  it("cancelled for non-payment: the grace from the unpaid renewal, not the unpaid month", () => {
    const sub = subscription("canceled", { period: unpaidPeriod, ended_at: t0 + 2 * month + 20 * DAY });
    expect(membershipAccess({ subscription: sub, invoices: renewalFailed, payments: [] }, DEFAULT_COMMERCE)?.endsAt).toEqual(date(t0 + 2 * month + 7 * DAY));
  });

  it("cancelled now: the paid period's end by default, at once when the community says so", () => {
    const sub = subscription("canceled", { ended_at: t0 + month + 3 * DAY });
    expect(membershipAccess({ subscription: sub, invoices: paidTwoMonths, payments: [] }, DEFAULT_COMMERCE)?.endsAt).toEqual(date(t0 + 2 * month));
    expect(membershipAccess({ subscription: sub, invoices: paidTwoMonths, payments: [] }, strict)?.endsAt).toEqual(date(t0 + month + 3 * DAY));
  });

  it("trials grant access unless the community says not; never paid grants nothing", () => {
    const trial = subscription("trialing", { trial_end: t0 + 14 * DAY, period: [t0, t0 + 14 * DAY] });
    const free = [invoice("paid", t0, t0 + 14 * DAY, 0)];
    expect(membershipAccess({ subscription: trial, invoices: free, payments: [] }, DEFAULT_COMMERCE)?.endsAt).toBeNull();
    expect(membershipAccess({ subscription: trial, invoices: free, payments: [] }, strict)).toBeNull();
    for (const status of ["incomplete", "incomplete_expired", "paused"] as const) {
      expect(membershipAccess({ subscription: subscription(status), invoices: [], payments: [] }, DEFAULT_COMMERCE)).toBeNull();
    }
  });

  it("a full refund (however many refunds make it full) or a dispute ends access when Stripe recorded it; a partial one never", () => {
    const sub = subscription("active");
    const partial: PaymentRecord = { charge: charge({ amount_refunded: 500 }), refunds: [refund(500, t0 + DAY)], disputes: [] };
    const full: PaymentRecord = { charge: charge({ amount_refunded: 1900 }), refunds: [refund(500, t0 + DAY), refund(1400, t0 + 40 * DAY)], disputes: [] };
    const disputed: PaymentRecord = { charge: charge({ disputed: true }), refunds: [], disputes: [{ created: t0 + 50 * DAY } as Stripe.Dispute] };
    expect(membershipAccess({ subscription: sub, invoices: paidTwoMonths, payments: [partial] }, DEFAULT_COMMERCE)?.reversed).toBeNull();
    expect(membershipAccess({ subscription: sub, invoices: paidTwoMonths, payments: [full, disputed] }, DEFAULT_COMMERCE)?.reversed).toEqual({ at: date(t0 + 40 * DAY), why: "refunded" });
    expect(membershipAccess({ subscription: sub, invoices: paidTwoMonths, payments: [disputed] }, DEFAULT_COMMERCE)?.reversed).toEqual({ at: date(t0 + 50 * DAY), why: "disputed" });
    expect(membershipAccess({ subscription: sub, invoices: paidTwoMonths, payments: [full] }, { ...DEFAULT_COMMERCE, refundsEndAccess: false })?.reversed).toBeNull();
  });

  it("a purchase: only once complete and paid", () => {
    const session = (status: string, payment_status: string) => ({ status, payment_status, created: t0 }) as Stripe.Checkout.Session;
    expect(purchaseAccess({ session: session("complete", "paid"), payments: [] }, DEFAULT_COMMERCE)).toMatchObject({ startsAt: date(t0), endsAt: null });
    expect(purchaseAccess({ session: session("complete", "unpaid"), payments: [] }, DEFAULT_COMMERCE)).toBeNull();
    expect(purchaseAccess({ session: session("expired", "unpaid"), payments: [] }, DEFAULT_COMMERCE)).toBeNull();
  });

  it("the communities file fills in the defaults", () => {
    const config = loadConfig({ GUILDHALL_COMMUNITIES: "guildhall.communities.example.json" }, settingsSections);
    expect(config.communities[0]?.commerce).toMatchObject({ graceDays: 7, cancelledAccess: "until_period_end", trialsGrantAccess: true, refundsEndAccess: true });
  });
});
