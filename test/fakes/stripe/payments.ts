import type { FakeCore } from "./core.js";
import type { StripeObject } from "./types.js";

/** How a simulated payment ends: at once, or later for a delayed method (bank debit). */
export type PaymentOutcome = "succeeded" | "processing" | "failed";

export interface PaymentInput {
  amount: number;
  currency: string;
  customer: string | null;
  email: string | null;
  metadata?: Record<string, string>;
  description?: string | null;
  outcome: PaymentOutcome;
}

function paymentMethodDetails(delayed: boolean): StripeObject {
  return delayed
    ? { type: "us_bank_account", us_bank_account: { bank_name: "STRIPE TEST BANK", last4: "6789", account_type: "checking" } }
    : { type: "card", card: { brand: "visa", country: "US", exp_month: 12, exp_year: 2034, funding: "credit", last4: "4242" } };
}

function makePaymentIntent(core: FakeCore, input: PaymentInput, paymentMethod: string, delayed: boolean): StripeObject {
  const id = core.id("pi");
  const pi: StripeObject = {
    id, object: "payment_intent", amount: input.amount, amount_capturable: 0, amount_received: 0, application: null,
    application_fee_amount: null, automatic_payment_methods: null, canceled_at: null, cancellation_reason: null,
    capture_method: "automatic_async", client_secret: `${id}_secret_${core.id("s").slice(2)}`,
    confirmation_method: "automatic", created: core.now(), currency: input.currency, customer: input.customer,
    customer_account: null, description: input.description ?? null, excluded_payment_method_types: null,
    last_payment_error: null, latest_charge: null, livemode: false, metadata: input.metadata ?? {}, next_action: null,
    on_behalf_of: null, payment_method: paymentMethod, payment_method_configuration_details: null,
    payment_method_options: {}, payment_method_types: [delayed ? "us_bank_account" : "card"], processing: null,
    receipt_email: input.email, review: null, setup_future_usage: null, shipping: null, source: null,
    statement_descriptor: null, statement_descriptor_suffix: null, status: "requires_payment_method",
    transfer_data: null, transfer_group: null,
  };
  core.state.paymentIntents.set(id, pi);
  return pi;
}

function makeCharge(core: FakeCore, pi: StripeObject, input: PaymentInput, delayed: boolean): StripeObject {
  const id = core.id("ch");
  const charge: StripeObject = {
    id, object: "charge", amount: input.amount, amount_captured: 0, amount_refunded: 0, application: null,
    application_fee: null, application_fee_amount: null, balance_transaction: null,
    billing_details: { address: null, email: input.email, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "GUILDHALL", captured: false, created: core.now(), currency: input.currency,
    customer: input.customer, description: input.description ?? null, disputed: false,
    failure_balance_transaction: null, failure_code: null, failure_message: null, fraud_details: {}, livemode: false,
    metadata: input.metadata ?? {}, on_behalf_of: null, outcome: null, paid: false, payment_intent: pi["id"],
    payment_method: pi["payment_method"], payment_method_details: paymentMethodDetails(delayed),
    receipt_email: input.email, receipt_number: null, receipt_url: `${core.baseUrl}/receipts/${id}`, refunded: false,
    review: null, shipping: null, source: null, source_transfer: null, statement_descriptor: null,
    statement_descriptor_suffix: null, status: "pending", transfer_group: null,
  };
  core.state.charges.set(id, charge);
  pi["latest_charge"] = id;
  return charge;
}

function succeed(core: FakeCore, pi: StripeObject, charge: StripeObject): void {
  Object.assign(charge, {
    status: "succeeded", paid: true, captured: true, amount_captured: charge["amount"],
    balance_transaction: core.id("txn"),
    outcome: { network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
  });
  Object.assign(pi, { status: "succeeded", amount_received: pi["amount"], processing: null });
  core.emit("charge.succeeded", charge);
  core.emit("payment_intent.succeeded", pi);
}

function fail(core: FakeCore, pi: StripeObject, charge: StripeObject): void {
  const error = { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." };
  Object.assign(charge, {
    status: "failed", paid: false, failure_code: error.code, failure_message: error.message,
    outcome: { network_status: "declined_by_network", reason: "insufficient_funds", risk_level: "normal", seller_message: "The bank returned the decline code `insufficient_funds`.", type: "issuer_declined" },
  });
  Object.assign(pi, {
    status: "requires_payment_method", processing: null,
    last_payment_error: { ...error, type: "card_error", charge: charge["id"], payment_method: { id: pi["payment_method"] } },
  });
  core.emit("charge.failed", charge);
  core.emit("payment_intent.payment_failed", pi);
}

/**
 * Creates a payment intent and its charge and takes them to `outcome`, emitting what Stripe
 * emits on the way (`payment_intent.created`, then `charge.*` and `payment_intent.*`).
 */
export function collectPayment(core: FakeCore, input: PaymentInput): { paymentIntent: StripeObject; charge: StripeObject } {
  const delayed = input.outcome === "processing";
  const pi = makePaymentIntent(core, input, core.id("pm"), delayed);
  core.emit("payment_intent.created", pi);
  const charge = makeCharge(core, pi, input, delayed);
  if (input.outcome === "succeeded") succeed(core, pi, charge);
  else if (input.outcome === "failed") fail(core, pi, charge);
  else {
    pi["status"] = "processing";
    pi["processing"] = { type: "us_bank_account" };
    core.emit("charge.pending", charge);
    core.emit("payment_intent.processing", pi);
  }
  return { paymentIntent: pi, charge };
}

/** Ends a payment that was `processing`. */
export function settlePayment(core: FakeCore, pi: StripeObject, ok: boolean): StripeObject {
  const charge = core.state.charges.get(String(pi["latest_charge"]));
  if (charge === undefined || pi["status"] !== "processing") {
    throw new Error(`payment intent ${String(pi["id"])} is not processing (status ${String(pi["status"])})`);
  }
  if (ok) succeed(core, pi, charge);
  else fail(core, pi, charge);
  return charge;
}

/** A succeeded refund of `amount` on `charge`; the caller validates the amount. */
export function makeRefund(core: FakeCore, charge: StripeObject, amount: number, extra: { reason?: string | null; metadata?: Record<string, string> } = {}): StripeObject {
  const refund: StripeObject = {
    id: core.id("re"), object: "refund", amount, balance_transaction: core.id("txn"), charge: charge["id"],
    created: core.now(), currency: charge["currency"], customer: charge["customer"] ?? null, customer_account: null,
    destination_details: { type: "card", card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" } },
    metadata: extra.metadata ?? {}, payment_intent: charge["payment_intent"], payment_method: charge["payment_method"] ?? null,
    reason: extra.reason ?? null, receipt_number: null, source_transfer_reversal: null, status: "succeeded",
    transfer_reversal: null,
  };
  core.state.refunds.set(String(refund["id"]), refund);
  charge["amount_refunded"] = Number(charge["amount_refunded"]) + amount;
  charge["refunded"] = charge["amount_refunded"] === charge["amount"];
  return refund;
}

/** A new dispute on `charge`, waiting for the merchant's response. */
export function makeDispute(core: FakeCore, charge: StripeObject, reason: string): StripeObject {
  const dispute: StripeObject = {
    id: core.id("dp"), object: "dispute", amount: charge["amount"], balance_transactions: [], charge: charge["id"],
    created: core.now(), currency: charge["currency"], enhanced_eligibility_types: [], evidence: {},
    evidence_details: { due_by: core.now() + 7 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false, livemode: false, metadata: {}, payment_intent: charge["payment_intent"],
    reason, status: "needs_response",
  };
  core.state.disputes.set(String(dispute["id"]), dispute);
  charge["disputed"] = true;
  return dispute;
}
