import type { FakeCore } from "./core.js";
import { collectPayment, settlePayment, type PaymentOutcome } from "./payments.js";
import type { StripeObject } from "./types.js";

export interface InvoiceInput {
  billingReason: "subscription_create" | "subscription_cycle";
  /** The service period the lines pay for. */
  period: { start: number; end: number };
  /** Amount off the subtotal (a checkout discount). */
  discount?: number;
  /** Trial invoices are for 0 whatever the price. */
  free?: boolean;
}

/**
 * A draft invoice for the subscription's items; the caller emits `invoice.created`. Like Stripe, the
 * invoice's own `period_start/end` is the usage period before it (equal to `created` for the first
 * invoice); the service period is on `lines.data[].period`.
 */
export function makeSubscriptionInvoice(core: FakeCore, sub: StripeObject, input: InvoiceInput): StripeObject {
  const id = core.id("in");
  const now = core.now();
  const customer = core.state.customers.get(String(sub["customer"]));
  const lines = (sub["items"].data as StripeObject[]).map((item) => {
    const amount = input.free ? 0 : Number(item["price"].unit_amount) * Number(item["quantity"]);
    return {
      id: core.id("il"), object: "line_item", amount, currency: sub["currency"],
      description: `${String(item["quantity"])} × ${describe(core, item["price"])}`, discount_amounts: [],
      discountable: true, discounts: [], invoice: id, livemode: false, metadata: {},
      parent: {
        invoice_item_details: null, type: "subscription_item_details",
        subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: sub["id"], subscription_item: item["id"] },
      },
      period: { start: input.period.start, end: input.period.end }, pretax_credit_amounts: [],
      pricing: { price_details: { price: item["price"].id, product: item["price"].product }, type: "price_details", unit_amount_decimal: item["price"].unit_amount_decimal },
      quantity: item["quantity"], quantity_decimal: String(item["quantity"]), subscription: sub["id"], subtotal: amount, taxes: [],
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discount = Math.min(input.discount ?? 0, subtotal);
  const total = subtotal - discount;
  const usagePeriod = input.billingReason === "subscription_create" ? { start: now, end: now } : previousPeriod(sub, input.period.start);
  const invoice: StripeObject = {
    id, object: "invoice", account_country: "US", account_name: "Guildhall (fake)", account_tax_ids: null,
    amount_due: total, amount_overpaid: 0, amount_paid: 0, amount_remaining: total, amount_shipping: 0,
    application: null, attempt_count: 0, attempted: false, auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null, billing_reason: input.billingReason, collection_method: "charge_automatically",
    created: now, currency: sub["currency"], custom_fields: null, customer: sub["customer"], customer_account: null,
    customer_address: null, customer_email: customer?.["email"] ?? null, customer_name: customer?.["name"] ?? null,
    customer_phone: null, customer_shipping: null, customer_tax_exempt: "none", customer_tax_ids: [],
    default_payment_method: null, default_source: null, default_tax_rates: [], description: null, discounts: [],
    due_date: null, effective_at: null, ending_balance: null, footer: null, from_invoice: null,
    hosted_invoice_url: `${core.baseUrl}/invoices/${id}`, invoice_pdf: `${core.baseUrl}/invoices/${id}/pdf`,
    issuer: { type: "self" }, last_finalization_error: null, latest_revision: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false, metadata: {}, next_payment_attempt: null, number: null, on_behalf_of: null,
    parent: { quote_details: null, subscription_details: { metadata: structuredClone(sub["metadata"]), subscription: sub["id"] }, type: "subscription_details" },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    payments: { object: "list", data: [], has_more: false, url: `/v1/invoice_payments?invoice=${id}` },
    period_end: usagePeriod.end, period_start: usagePeriod.start, post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0, receipt_number: null, rendering: null, shipping_cost: null,
    shipping_details: null, starting_balance: 0, statement_descriptor: null, status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal, subtotal_excluding_tax: subtotal, test_clock: null, total,
    total_discount_amounts: discount > 0 ? [{ amount: discount, discount: core.id("di") }] : [],
    total_excluding_tax: total, total_pretax_credit_amounts: [], total_taxes: [], webhooks_delivered_at: now,
  };
  core.state.invoices.set(id, invoice);
  sub["latest_invoice"] = id;
  return invoice;
}

function describe(core: FakeCore, price: StripeObject): string {
  const product = core.state.products.get(String(price["product"]));
  return String(product?.["name"] ?? price["product"]);
}

function previousPeriod(sub: StripeObject, newStart: number): { start: number; end: number } {
  const item = (sub["items"].data as StripeObject[])[0];
  const start = Number(item?.["current_period_start"] ?? newStart);
  return { start: Math.min(start, newStart), end: newStart };
}

/** Draft to open, emitting `invoice.finalized`. */
export function finalizeInvoice(core: FakeCore, invoice: StripeObject): void {
  const customer = core.state.customers.get(String(invoice["customer"]));
  const sequence = Number(customer?.["next_invoice_sequence"] ?? 1);
  if (customer) customer["next_invoice_sequence"] = sequence + 1;
  invoice["number"] = `${String(customer?.["invoice_prefix"] ?? "FAKE")}-${String(sequence).padStart(4, "0")}`;
  invoice["status"] = "open";
  invoice["status_transitions"].finalized_at = core.now();
  invoice["effective_at"] = core.now();
  core.emit("invoice.finalized", invoice);
}

function markPaid(core: FakeCore, invoice: StripeObject): void {
  Object.assign(invoice, { status: "paid", amount_paid: invoice["amount_due"], amount_remaining: 0, attempted: true, next_payment_attempt: null });
  invoice["status_transitions"].paid_at = core.now();
  for (const payment of invoice["payments"].data as StripeObject[]) {
    if (payment["status"] !== "paid") Object.assign(payment, { status: "paid", amount_paid: payment["amount_requested"], status_transitions: { canceled_at: null, paid_at: core.now() } });
  }
  core.emit("invoice.paid", invoice);
  core.emit("invoice.payment_succeeded", invoice);
}

function markFailed(core: FakeCore, invoice: StripeObject): void {
  invoice["attempted"] = true;
  invoice["next_payment_attempt"] = core.now() + 3 * 86_400;
  core.emit("invoice.payment_failed", invoice);
}

/**
 * Attempts to pay an open invoice. Free invoices are paid at once; otherwise a payment intent
 * and charge go to `outcome`. A `processing` payment leaves the invoice open.
 */
export function attemptInvoicePayment(core: FakeCore, invoice: StripeObject, outcome: PaymentOutcome): StripeObject | null {
  invoice["attempt_count"] = Number(invoice["attempt_count"]) + 1;
  if (Number(invoice["amount_due"]) === 0) {
    markPaid(core, invoice);
    return null;
  }
  const { paymentIntent } = collectPayment(core, {
    amount: Number(invoice["amount_remaining"]), currency: String(invoice["currency"]),
    customer: String(invoice["customer"]), email: invoice["customer_email"] ?? null,
    description: invoice["billing_reason"] === "subscription_create" ? "Subscription creation" : "Subscription update",
    outcome,
  });
  const payments = invoice["payments"];
  payments.data.unshift({
    id: core.id("inpay"), object: "invoice_payment", amount_paid: null, amount_requested: invoice["amount_remaining"],
    created: core.now(), currency: invoice["currency"], invoice: invoice["id"], is_default: true, livemode: false,
    payment: { payment_intent: paymentIntent["id"], type: "payment_intent" }, status: "open",
    status_transitions: { canceled_at: null, paid_at: null },
  });
  if (outcome === "succeeded") markPaid(core, invoice);
  else if (outcome === "failed") markFailed(core, invoice);
  return paymentIntent;
}

/** Ends the `processing` payment of an invoice. */
export function settleInvoicePayment(core: FakeCore, invoice: StripeObject, ok: boolean): void {
  const latest = (invoice["payments"].data as StripeObject[])[0];
  const pi = latest && core.state.paymentIntents.get(String(latest["payment"].payment_intent));
  if (!pi) throw new Error(`invoice ${String(invoice["id"])} has no pending payment`);
  settlePayment(core, pi, ok);
  if (ok) markPaid(core, invoice);
  else markFailed(core, invoice);
}
