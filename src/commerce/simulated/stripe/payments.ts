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
    : {
      type: "card",
      card: {
        amount_authorized: null, authorization_code: null, brand: "visa",
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" }, country: "US",
        electronic_commerce_indicator: null, exp_month: 12, exp_year: 2034, fingerprint: "FAKE4242visa", funding: "credit",
        installments: null, last4: "4242", mandate: null, network: "visa", network_transaction_id: null, regulated_status: "unregulated",
        three_d_secure: null, transaction_link_id: null, wallet: null,
      },
    };
}

/** The payment method a failed payment names in `last_payment_error` (Stripe sends the whole object). */
function paymentMethodObject(core: FakeCore, pi: StripeObject): StripeObject {
  const delayed = pi["payment_method_types"][0] === "us_bank_account";
  const details: StripeObject = delayed
    ? { type: "us_bank_account", us_bank_account: { account_holder_type: "individual", account_type: "checking", bank_name: "STRIPE TEST BANK", financial_connections_account: null, fingerprint: "FAKEbank6789", last4: "6789", networks: null, routing_number: "110000000", status_details: null } }
    : {
      type: "card",
      card: {
        brand: "visa", checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" }, country: "US",
        display_brand: "visa", exp_month: 12, exp_year: 2034, fingerprint: "FAKE4242visa", funding: "credit", generated_from: null,
        last4: "4242", networks: { available: ["visa"], preferred: null }, regulated_status: "unregulated",
        three_d_secure_usage: { supported: true }, wallet: null,
      },
    };
  return {
    id: pi["payment_method"], object: "payment_method", allow_redisplay: "unspecified",
    billing_details: { address: null, email: pi["receipt_email"] ?? null, name: null, phone: null, tax_id: null },
    created: pi["created"], customer: pi["customer"] ?? null, customer_account: null, livemode: false, metadata: {},
    type: details["type"], [String(details["type"])]: details[String(details["type"])],
  };
}

function makePaymentIntent(core: FakeCore, input: PaymentInput, paymentMethod: string, delayed: boolean): StripeObject {
  const id = core.id("pi");
  const pi: StripeObject = {
    id, object: "payment_intent", allowed_payment_method_types: null, amount: input.amount, amount_capturable: 0,
    amount_details: { tip: {} }, amount_received: 0, application: null,
    application_fee_amount: null, automatic_payment_methods: null, canceled_at: null, cancellation_reason: null,
    capture_method: "automatic_async", client_secret: `${id}_secret_${core.id("s").slice(2)}`,
    confirmation_method: "automatic", created: core.now(), currency: input.currency, customer: input.customer,
    customer_account: null, description: input.description ?? null, excluded_payment_method_types: null,
    last_payment_error: null, latest_charge: null, livemode: false, managed_payments: null, metadata: input.metadata ?? {}, next_action: null,
    on_behalf_of: null, payment_method: paymentMethod, payment_method_configuration_details: null,
    payment_method_options: {}, payment_method_types: [delayed ? "us_bank_account" : "card"], payment_record: null, processing: null,
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
    statement_descriptor_suffix: null, status: "pending", transfer_data: null, transfer_group: null,
  };
  core.state.charges.set(id, charge);
  pi["latest_charge"] = id;
  return charge;
}

function succeed(core: FakeCore, pi: StripeObject, charge: StripeObject): void {
  Object.assign(charge, {
    status: "succeeded", paid: true, captured: true, amount_captured: charge["amount"],
    balance_transaction: core.id("txn"),
    outcome: { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
  });
  Object.assign(pi, { status: "succeeded", amount_received: pi["amount"], processing: null });
  core.emit("charge.succeeded", charge);
  core.emit("payment_intent.succeeded", pi);
}

function fail(core: FakeCore, pi: StripeObject, charge: StripeObject): void {
  const error = { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." };
  Object.assign(charge, {
    status: "failed", paid: false, failure_code: error.code, failure_message: error.message,
    outcome: { advice_code: "try_again_later", network_advice_code: null, network_decline_code: "51", network_status: "declined_by_network", reason: "insufficient_funds", risk_level: "normal", seller_message: "The bank returned the decline code `insufficient_funds`.", type: "issuer_declined" },
  });
  Object.assign(pi, {
    status: "requires_payment_method", processing: null,
    last_payment_error: { ...error, type: "card_error", charge: charge["id"], payment_method: paymentMethodObject(core, pi) },
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
    created: core.now(), currency: charge["currency"], enhanced_eligibility_types: [], evidence: emptyEvidence(),
    evidence_details: { due_by: core.now() + 7 * 86_400, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0, submission_method: "not_submitted" },
    intended_submission_method: null, is_charge_refundable: false, livemode: false, metadata: {}, payment_intent: charge["payment_intent"],
    payment_method_details: charge["payment_method_details"]?.type === "card"
      ? { card: { brand: "visa", case_type: "chargeback", network: "visa", network_reason_code: "10.4" }, type: "card" }
      : { type: String(charge["payment_method_details"]?.type ?? "card") },
    reason, status: "needs_response",
  };
  core.state.disputes.set(String(dispute["id"]), dispute);
  charge["disputed"] = true;
  return dispute;
}

/** A dispute's evidence before the merchant answers: every field empty. */
function emptyEvidence(): StripeObject {
  const fields = ["access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure", "cancellation_rebuttal",
    "customer_communication", "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
    "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
    "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "service_documentation", "shipping_address",
    "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number", "uncategorized_file", "uncategorized_text"];
  return { ...Object.fromEntries(fields.map((field) => [field, null])), enhanced_evidence: {} };
}
