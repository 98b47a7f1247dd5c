import { planOf } from "./catalog.js";
import type { FakeCore } from "./core.js";
import type { StripeObject } from "./types.js";

const DAY = 86_400;

function addMonths(seconds: number, months: number): number {
  const date = new Date(seconds * 1000);
  const day = date.getUTCDate();
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

/** `anchor` moved `steps` billing intervals ahead; months clamp to the month's end like Stripe. */
export function addIntervals(anchor: number, recurring: { interval: string; interval_count: number }, steps: number): number {
  const n = recurring.interval_count * steps;
  switch (recurring.interval) {
    case "day": return anchor + n * DAY;
    case "week": return anchor + n * 7 * DAY;
    case "year": return addMonths(anchor, 12 * n);
    default: return addMonths(anchor, n);
  }
}

/** The first period boundary after `after`, counted from the billing cycle anchor. */
export function nextPeriodEnd(sub: StripeObject, after: number): number {
  const anchor = Number(sub["billing_cycle_anchor"]);
  const recurring = firstItem(sub)["price"].recurring as { interval: string; interval_count: number };
  let steps = 1;
  while (addIntervals(anchor, recurring, steps) <= after) steps += 1;
  return addIntervals(anchor, recurring, steps);
}

export function firstItem(sub: StripeObject): StripeObject {
  const item = (sub["items"].data as StripeObject[])[0];
  if (item === undefined) throw new Error(`subscription ${String(sub["id"])} has no items`);
  return item;
}

/** Since API 2025-03-31 the billing period lives on each item, not on the subscription. */
export function currentPeriod(sub: StripeObject): { start: number; end: number } {
  const item = firstItem(sub);
  return { start: Number(item["current_period_start"]), end: Number(item["current_period_end"]) };
}

export function setPeriod(sub: StripeObject, start: number, end: number): void {
  for (const item of sub["items"].data as StripeObject[]) {
    item["current_period_start"] = start;
    item["current_period_end"] = end;
  }
}

export interface SubscriptionInput {
  customer: string;
  items: { price: StripeObject; quantity: number }[];
  metadata: Record<string, string>;
  trialDays: number | null;
  status: string;
}

/** A new subscription whose first period starts now (or a trial of `trialDays`). */
export function makeSubscription(core: FakeCore, input: SubscriptionInput): StripeObject {
  const id = core.id("sub");
  const now = core.now();
  const trialEnd = input.trialDays ? now + input.trialDays * DAY : null;
  const firstPrice = input.items[0]?.price;
  if (firstPrice === undefined) throw new Error("a subscription needs at least one item");
  const periodEnd = trialEnd ?? addIntervals(now, firstPrice["recurring"], 1);
  const items = input.items.map(({ price, quantity }) => ({
    id: core.id("si", 14), object: "subscription_item", billing_thresholds: null, created: now,
    current_period_end: periodEnd, current_period_start: now, current_trial: null, discounts: [], metadata: {}, plan: planOf(price),
    price: structuredClone(price), quantity, subscription: id, tax_rates: [],
  }));
  const sub: StripeObject = {
    id, object: "subscription", application: null, application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: trialEnd ?? now, billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" }, billing_schedules: [], billing_thresholds: null, cancel_at: null,
    cancel_at_period_end: false, canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically", created: now, currency: firstPrice["currency"],
    customer: input.customer, customer_account: null, days_until_due: null, default_payment_method: null,
    default_source: null, default_tax_rates: [], description: null, discounts: [], ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: "self" } },
    items: { object: "list", data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null, livemode: false, managed_payments: null, metadata: input.metadata, next_pending_invoice_item_invoice: null,
    on_behalf_of: null, pause_collection: null, payment_settings: null, pending_invoice_item_interval: null,
    pending_setup_intent: null, pending_update: null, schedule: null, start_date: now, status: input.status,
    test_clock: null, transfer_data: null, trial_end: trialEnd, trial_settings: trialEnd === null ? null : { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: trialEnd === null ? null : now,
  };
  core.state.subscriptions.set(id, sub);
  return sub;
}

/** Ends a subscription now (status `canceled`), as Stripe does on cancel or at a requested period end. */
export function endSubscription(core: FakeCore, sub: StripeObject, reason: string): void {
  sub["status"] = "canceled";
  sub["canceled_at"] ??= core.now();
  sub["ended_at"] = core.now();
  sub["cancellation_details"] = { ...sub["cancellation_details"], reason: sub["cancellation_details"]?.reason ?? reason };
}
