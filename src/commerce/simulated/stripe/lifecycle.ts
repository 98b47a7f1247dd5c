import { previousAttributes, type FakeCore } from "./core.js";
import { invalid, StripeApiError } from "./errors.js";
import { attemptInvoicePayment, finalizeInvoice, makeSubscriptionInvoice } from "./invoices.js";
import { makeDispute, makeRefund } from "./payments.js";
import { collectEvents } from "./simulate-checkout.js";
import { currentPeriod, endSubscription, nextPeriodEnd, setPeriod } from "./subscriptions.js";
import type { StripeObject } from "./types.js";

function subscription(core: FakeCore, id: string): StripeObject {
  const found = core.state.subscriptions.get(id);
  if (found === undefined) throw new Error(`fake stripe: no subscription ${id}`);
  return found;
}

function charge(core: FakeCore, id: string): StripeObject {
  const found = core.state.charges.get(id);
  if (found === undefined) throw new Error(`fake stripe: no charge ${id}`);
  return found;
}

/** Emits `customer.subscription.updated` with what changed since `before`, if anything did. */
function emitUpdated(core: FakeCore, sub: StripeObject, before: StripeObject): void {
  const changed = previousAttributes(before, sub);
  if (Object.keys(changed).length > 0) core.emit("customer.subscription.updated", sub, changed);
}

function setStatus(core: FakeCore, sub: StripeObject, status: string): void {
  const before = structuredClone(sub);
  sub["status"] = status;
  emitUpdated(core, sub, before);
}

/**
 * Moves the subscription into its next period (and the clock to the period boundary when it is
 * behind), ending a trial, and issues the cycle invoice. Returns the invoice, finalized.
 */
function startNextPeriod(core: FakeCore, sub: StripeObject): StripeObject {
  const { end } = currentPeriod(sub);
  if (core.now() < end) core.setNow(end);
  const before = structuredClone(sub);
  const newEnd = nextPeriodEnd(sub, end);
  const invoice = makeSubscriptionInvoice(core, sub, { billingReason: "subscription_cycle", period: { start: end, end: newEnd } });
  setPeriod(sub, end, newEnd);
  if (sub["status"] === "trialing") sub["status"] = "active";
  emitUpdated(core, sub, before);
  core.emit("invoice.created", invoice);
  finalizeInvoice(core, invoice);
  return invoice;
}

function openInvoice(core: FakeCore, sub: StripeObject): StripeObject {
  const invoice = core.state.invoices.get(String(sub["latest_invoice"]));
  if (invoice === undefined || invoice["status"] !== "open") throw new Error(`fake stripe: subscription ${String(sub["id"])} has no open invoice`);
  return invoice;
}

/**
 * A successful renewal. From `past_due` it is the retry of the open invoice that succeeds; with
 * `cancel_at_period_end` the period end cancels the subscription instead.
 */
export function renewSubscription(core: FakeCore, subId: string): StripeObject[] {
  const sub = subscription(core, subId);
  return collectEvents(core, () => {
    if (sub["status"] === "past_due") {
      attemptInvoicePayment(core, openInvoice(core, sub), "succeeded");
      setStatus(core, sub, "active");
    } else if (sub["status"] !== "active" && sub["status"] !== "trialing") {
      throw new Error(`fake stripe: cannot renew subscription ${subId} in status ${String(sub["status"])}`);
    } else if (sub["cancel_at_period_end"] === true) {
      const { end } = currentPeriod(sub);
      if (core.now() < end) core.setNow(end);
      endSubscription(core, sub, "cancellation_requested");
      core.emit("customer.subscription.deleted", sub);
    } else {
      attemptInvoicePayment(core, startNextPeriod(core, sub), "succeeded");
    }
  });
}

/** A failed renewal (subscription to `past_due`), or a failed retry when already past due. */
export function failSubscriptionPayment(core: FakeCore, subId: string): StripeObject[] {
  const sub = subscription(core, subId);
  return collectEvents(core, () => {
    if (sub["status"] === "past_due") {
      attemptInvoicePayment(core, openInvoice(core, sub), "failed");
      return;
    }
    if (sub["status"] !== "active" && sub["status"] !== "trialing") {
      throw new Error(`fake stripe: cannot bill subscription ${subId} in status ${String(sub["status"])}`);
    }
    attemptInvoicePayment(core, startNextPeriod(core, sub), "failed");
    setStatus(core, sub, "past_due");
  });
}

/** Sets or clears `cancel_at_period_end` as `POST /v1/subscriptions/:id` does. */
export function setCancelAtPeriodEnd(core: FakeCore, sub: StripeObject, cancel: boolean): void {
  if (cancel) {
    Object.assign(sub, { cancel_at_period_end: true, cancel_at: currentPeriod(sub).end, canceled_at: core.now() });
    sub["cancellation_details"] = { ...sub["cancellation_details"], reason: "cancellation_requested" };
  } else {
    Object.assign(sub, { cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    sub["cancellation_details"] = { ...sub["cancellation_details"], reason: null };
  }
}

/** Schedules cancellation at the period end (`customer.subscription.updated`). */
export function cancelSubscriptionAtPeriodEnd(core: FakeCore, subId: string): StripeObject[] {
  const sub = subscription(core, subId);
  if (sub["status"] === "canceled") throw new Error(`fake stripe: subscription ${subId} is already canceled`);
  return collectEvents(core, () => {
    const before = structuredClone(sub);
    setCancelAtPeriodEnd(core, sub, true);
    emitUpdated(core, sub, before);
  });
}

/** Cancels now, as `DELETE /v1/subscriptions/:id` does. */
export function cancelNow(core: FakeCore, sub: StripeObject): void {
  if (sub["status"] === "canceled") {
    throw invalid(`A canceled subscription can't be canceled again: '${String(sub["id"])}'`, "subscription", "resource_missing");
  }
  endSubscription(core, sub, "cancellation_requested");
  core.emit("customer.subscription.deleted", sub);
}

/** Cancels at once (`customer.subscription.deleted`). */
export function deleteSubscription(core: FakeCore, subId: string): StripeObject[] {
  const sub = subscription(core, subId);
  return collectEvents(core, () => cancelNow(core, sub));
}

function money(amount: number, currency: string): string {
  return `${currency === "usd" ? "$" : `${currency.toUpperCase()} `}${(amount / 100).toFixed(2)}`;
}

/** Validates and records a refund, emitting `charge.refunded` and `refund.created`. */
export function refund(core: FakeCore, target: StripeObject, amount: number | undefined, extra: { reason?: string | null; metadata?: Record<string, string> } = {}): StripeObject {
  const id = String(target["id"]);
  if (target["disputed"] === true) {
    throw new StripeApiError(400, "invalid_request_error", `Charge ${id} has been charged back; cannot issue a refund.`, "charge_disputed", "charge");
  }
  if (target["status"] !== "succeeded") throw invalid(`Charge ${id} has not succeeded; it cannot be refunded.`, "charge");
  const remaining = Number(target["amount"]) - Number(target["amount_refunded"]);
  if (remaining <= 0) {
    throw new StripeApiError(400, "invalid_request_error", `Charge ${id} has already been refunded.`, "charge_already_refunded", "charge");
  }
  const value = amount ?? remaining;
  if (value <= 0) throw invalid("Refund amount must be positive.", "amount");
  if (value > remaining) {
    const currency = String(target["currency"]);
    throw invalid(`Refund amount (${money(value, currency)}) is greater than unrefunded amount on charge (${money(remaining, currency)})`, "amount", "amount_too_large");
  }
  const created = makeRefund(core, target, value, extra);
  core.emit("charge.refunded", target);
  core.emit("refund.created", created);
  return created;
}

/** Refunds `amount` (default: what is left) of a charge. */
export function refundCharge(core: FakeCore, chargeId: string, amount?: number): StripeObject[] {
  const target = charge(core, chargeId);
  return collectEvents(core, () => refund(core, target, amount));
}

/** Opens a `fraudulent` dispute on a succeeded charge (`charge.dispute.created`). */
export function disputeCharge(core: FakeCore, chargeId: string): StripeObject[] {
  const target = charge(core, chargeId);
  if (target["status"] !== "succeeded" || target["disputed"] === true) {
    throw new Error(`fake stripe: charge ${chargeId} cannot be disputed (status ${String(target["status"])}, disputed ${String(target["disputed"])})`);
  }
  return collectEvents(core, () => {
    core.emit("charge.dispute.created", makeDispute(core, target, "fraudulent"));
  });
}
