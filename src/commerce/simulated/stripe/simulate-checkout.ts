import { makeCustomer } from "./catalog.js";
import type { FakeCore } from "./core.js";
import { expireSession } from "./checkout.js";
import { objParam, optInt } from "./form.js";
import { attemptInvoicePayment, finalizeInvoice, makeSubscriptionInvoice, settleInvoicePayment } from "./invoices.js";
import { collectPayment, settlePayment } from "./payments.js";
import { applyDiscount, redeem } from "./promotions.js";
import { makeSubscription } from "./subscriptions.js";
import type { StripeObject } from "./types.js";

export interface CompleteCheckoutOptions {
  /** The email the buyer types; defaults to the session's customer_email, the customer's, or buyer@example.com. */
  email?: string;
  /** "unpaid" simulates a delayed payment method: settle it later with `asyncPaymentResult`. */
  paymentStatus?: "paid" | "unpaid";
  /** A promotion code the buyer types on the payment page (the session needs `allow_promotion_codes`). */
  promotionCode?: string;
}

/** Runs `work` and returns the events it emitted, oldest first (the order to deliver them). */
export function collectEvents(core: FakeCore, work: () => void): StripeObject[] {
  const before = core.state.events.length;
  work();
  return core.state.events.slice(0, core.state.events.length - before).reverse();
}

function session(core: FakeCore, id: string): StripeObject {
  const found = core.state.checkoutSessions.get(id);
  if (found === undefined) throw new Error(`fake stripe: no checkout session ${id}`);
  return found;
}

/** Reapplies the session's discount to the coupon and promotion code counters. */
function redeemSessionDiscount(core: FakeCore, checkout: StripeObject): void {
  const applied = (checkout["discounts"] as StripeObject[])[0];
  if (applied === undefined) return;
  const promotionCode = applied["promotion_code"] ? core.state.promotionCodes.get(String(applied["promotion_code"])) ?? null : null;
  const couponId = promotionCode ? promotionCode["promotion"].coupon : applied["coupon"];
  const coupon = core.state.coupons.get(String(couponId));
  if (coupon) redeem({ coupon, promotionCode });
}

/**
 * Applies the promotion code a buyer types on the payment page, as Stripe's page does when the
 * session has `allow_promotion_codes`: refused (thrown) unless the code is active, unexpired, not
 * used up, for this customer, and its coupon applies to at least one product being bought; the
 * discount only reduces the lines of the coupon's products.
 */
function enterPromotionCode(core: FakeCore, checkout: StripeObject, typed: string): void {
  const id = String(checkout["id"]);
  if (checkout["allow_promotion_codes"] !== true) throw new Error(`fake stripe: session ${id} does not take promotion codes (allow_promotion_codes is not set)`);
  const promo = [...core.state.promotionCodes.values()]
    .find((p) => p["active"] === true && String(p["code"]).toLowerCase() === typed.toLowerCase());
  if (promo === undefined) throw new Error(`fake stripe: "${typed}" is not a valid promotion code`);
  const items = core.state.checkoutLineItems.get(id) ?? [];
  const lines = items.map((item) => ({ product: String(item["price"].product), amount: Number(item["amount_subtotal"]) }));
  const discount = applyDiscount(core, { promotionCode: String(promo["id"]) }, {
    lines, currency: String(checkout["currency"]), customer: checkout["customer"] ?? null, param: "promotion_code",
  });
  items.forEach((item, index) => {
    item["amount_discount"] = discount.shares[index] ?? 0;
    item["amount_total"] = Number(item["amount_subtotal"]) - Number(item["amount_discount"]);
  });
  checkout["discounts"] = [{ coupon: null, promotion_code: promo["id"] }];
  checkout["amount_total"] = Number(checkout["amount_subtotal"]) - discount.amount;
  checkout["total_details"] = { ...checkout["total_details"], amount_discount: discount.amount };
}

/**
 * Simulates the buyer paying an open checkout session. See `FakeStripe.completeCheckout`.
 * Like Stripe, a `payment` session with the default `customer_creation: if_required` creates no
 * Customer (a guest payment): pass `customer` or `customer_creation: "always"` to get one.
 */
export function completeCheckout(core: FakeCore, sessionId: string, opts: CompleteCheckoutOptions = {}): StripeObject[] {
  const checkout = session(core, sessionId);
  if (checkout["status"] !== "open") throw new Error(`fake stripe: session ${sessionId} is ${String(checkout["status"])}, not open`);
  const params = core.state.checkoutParams.get(sessionId) ?? {};
  if (opts.promotionCode !== undefined) enterPromotionCode(core, checkout, opts.promotionCode);
  return collectEvents(core, () => {
    const existing = checkout["customer"] ? core.state.customers.get(String(checkout["customer"])) : undefined;
    const email = opts.email ?? checkout["customer_email"] ?? existing?.["email"] ?? "buyer@example.com";
    let customerId: string | null = existing ? String(existing["id"]) : null;
    if (customerId === null && checkout["customer_creation"] === "always") {
      const customer = makeCustomer(core, { email });
      core.emit("customer.created", customer);
      customerId = String(customer["id"]);
    }
    Object.assign(checkout, {
      customer: customerId, status: "complete", url: null,
      customer_details: { address: null, business_name: null, email, individual_name: null, name: null, phone: null, tax_exempt: "none", tax_ids: [] },
    });
    redeemSessionDiscount(core, checkout);
    const outcome = opts.paymentStatus === "unpaid" ? "processing" : "succeeded";
    if (checkout["mode"] === "payment") completePayment(core, checkout, params, email, outcome);
    else completeSubscription(core, checkout, params, outcome);
  });
}

function completePayment(core: FakeCore, checkout: StripeObject, params: StripeObject, email: string, outcome: "succeeded" | "processing"): void {
  const amount = Number(checkout["amount_total"]);
  if (amount === 0) {
    checkout["payment_status"] = "no_payment_required";
    core.emit("checkout.session.completed", checkout);
    return;
  }
  const metadata = objParam(objParam(params, "payment_intent_data"), "metadata") as Record<string, string>;
  const { paymentIntent } = collectPayment(core, {
    amount, currency: String(checkout["currency"]), customer: checkout["customer"], email, metadata, outcome,
  });
  checkout["payment_intent"] = paymentIntent["id"];
  checkout["payment_status"] = outcome === "succeeded" ? "paid" : "unpaid";
  core.emit("checkout.session.completed", checkout);
}

function completeSubscription(core: FakeCore, checkout: StripeObject, params: StripeObject, outcome: "succeeded" | "processing"): void {
  if (checkout["customer"] === null) throw new Error("fake stripe: a subscription session always has a customer");
  const subscriptionData = objParam(params, "subscription_data");
  const trialDays = optInt(subscriptionData, "trial_period_days") ?? null;
  const lineItems = core.state.checkoutLineItems.get(String(checkout["id"])) ?? [];
  const sub = makeSubscription(core, {
    customer: String(checkout["customer"]),
    items: lineItems.map((item) => ({ price: core.state.prices.get(String(item["price"].id)) ?? item["price"], quantity: Number(item["quantity"]) })),
    metadata: { ...(objParam(subscriptionData, "metadata") as Record<string, string>) },
    trialDays,
    // Stripe creates it incomplete and activates it once the first invoice is paid.
    status: trialDays ? "trialing" : "incomplete",
  });
  const period = { start: Number(sub["start_date"]), end: Number(sub["items"].data[0].current_period_end) };
  const invoice = makeSubscriptionInvoice(core, sub, {
    billingReason: "subscription_create", period, free: trialDays !== null,
    discount: Number(checkout["total_details"].amount_discount),
  });
  checkout["subscription"] = sub["id"];
  checkout["payment_status"] = trialDays || Number(invoice["amount_due"]) === 0 ? "no_payment_required" : outcome === "succeeded" ? "paid" : "unpaid";
  core.emit("checkout.session.completed", checkout);
  core.emit("customer.subscription.created", sub);
  core.emit("invoice.created", invoice);
  finalizeInvoice(core, invoice);
  attemptInvoicePayment(core, invoice, outcome);
  if (invoice["status"] === "paid" && sub["status"] === "incomplete") activate(core, sub);
}

function activate(core: FakeCore, sub: StripeObject): void {
  const previous = sub["status"];
  sub["status"] = "active";
  core.emit("customer.subscription.updated", sub, { status: previous });
}

/** Settles the delayed payment of a session completed with `paymentStatus: "unpaid"`. */
export function asyncPaymentResult(core: FakeCore, sessionId: string, ok: boolean): StripeObject[] {
  const checkout = session(core, sessionId);
  if (checkout["status"] !== "complete" || checkout["payment_status"] !== "unpaid") {
    throw new Error(`fake stripe: session ${sessionId} has no pending payment`);
  }
  return collectEvents(core, () => {
    if (checkout["mode"] === "payment") {
      const pi = core.state.paymentIntents.get(String(checkout["payment_intent"]));
      if (pi === undefined) throw new Error(`fake stripe: session ${sessionId} has no payment intent`);
      settlePayment(core, pi, ok);
    } else {
      const sub = core.state.subscriptions.get(String(checkout["subscription"]));
      const invoice = sub && core.state.invoices.get(String(sub["latest_invoice"]));
      if (!sub || !invoice) throw new Error(`fake stripe: session ${sessionId} has no subscription invoice`);
      settleInvoicePayment(core, invoice, ok);
      if (ok && sub["status"] === "incomplete") activate(core, sub);
    }
    if (ok) checkout["payment_status"] = "paid";
    core.emit(ok ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed", checkout);
  });
}

/** Expires an open session (`checkout.session.expired`), as when the buyer walks away. */
export function expireCheckout(core: FakeCore, sessionId: string): StripeObject[] {
  const checkout = session(core, sessionId);
  return collectEvents(core, () => expireSession(core, checkout));
}

/** Expires open sessions whose `expires_at` has passed, as Stripe does in the background. */
export function expireDueSessions(core: FakeCore): StripeObject[] {
  return collectEvents(core, () => {
    for (const checkout of core.state.checkoutSessions.values()) {
      if (checkout["status"] === "open" && Number(checkout["expires_at"]) <= core.now()) expireSession(core, checkout);
    }
  });
}
