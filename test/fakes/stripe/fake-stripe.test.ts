import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverWebhook, signedWebhook, startFakeStripe, type FakeStripe, type StripeObject } from "./index.js";

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY = 86_400;

let fake: FakeStripe;
let stripe: Stripe;
let monthly: StripeObject;
let course: StripeObject;

beforeEach(async () => {
  fake = await startFakeStripe({ now: T0 });
  stripe = new Stripe("sk_test_x", { ...fake.clientOptions, maxNetworkRetries: 0 });
  const membership = fake.createProduct({ name: "Membership", id: "prod_membership" });
  monthly = fake.createPrice({ product: membership["id"], unit_amount: 1500, currency: "usd", recurring: { interval: "month" }, id: "price_monthly" });
  const product = fake.createProduct({ name: "TypeScript course" });
  course = fake.createPrice({ product: product["id"], unit_amount: 9900, currency: "usd" });
});

afterEach(async () => {
  await fake.close();
});

async function subscriptionCheckout(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: monthly["id"], quantity: 1 }],
    client_reference_id: "member_1",
    metadata: { memberId: "m1" },
    subscription_data: { metadata: { memberId: "m1" } },
    success_url: "https://example.test/ok?cs={CHECKOUT_SESSION_ID}",
    cancel_url: "https://example.test/cancel",
    ...extra,
  });
}

describe("catalog", () => {
  it("serves seeded prices and inlines the product with expand[]", async () => {
    const price = await stripe.prices.retrieve(monthly["id"], { expand: ["product"] });
    expect(price.recurring).toMatchObject({ interval: "month", interval_count: 1 });
    expect(price.product).toMatchObject({ id: "prod_membership", name: "Membership", object: "product" });
    const listed = await stripe.prices.list({ product: "prod_membership", active: true });
    expect(listed.data.map((p) => p.id)).toEqual(["price_monthly"]);
  });

  it("answers unknown ids and routes with Stripe's 404 errors", async () => {
    await expect(stripe.prices.retrieve("price_nope")).rejects.toMatchObject({
      type: "StripeInvalidRequestError", statusCode: 404, code: "resource_missing", param: "id",
    });
    await expect(stripe.rawRequest("GET", "/v1/nothing_here")).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe("checkout sessions", () => {
  it("replays the same idempotency key and refuses it with different params", async () => {
    const params: Stripe.Checkout.SessionCreateParams = { mode: "payment", line_items: [{ price: course["id"], quantity: 1 }], customer_email: "a@example.test" };
    const first = await stripe.checkout.sessions.create(params, { idempotencyKey: "buy-1" });
    const again = await stripe.checkout.sessions.create(params, { idempotencyKey: "buy-1" });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ status: "open", payment_status: "unpaid", amount_total: 9900, currency: "usd", url: `${fake.url}/pay/${first.id}` });
    expect(first.id).toMatch(/^cs_test_/);
    await expect(stripe.checkout.sessions.create({ ...params, customer_email: "b@example.test" }, { idempotencyKey: "buy-1" }))
      .rejects.toMatchObject({ type: "StripeIdempotencyError", statusCode: 400 });
    expect(fake.state.checkoutSessions.size).toBe(1);
    expect(fake.calls.filter((c) => c.path === "/v1/checkout/sessions").map((c) => c.idempotencyKey)).toEqual(["buy-1", "buy-1", "buy-1"]);
    expect(fake.calls[0]?.body).toMatchObject({ line_items: [{ price: course["id"], quantity: "1" }] });
  });

  it("refuses a recurring price in payment mode like Stripe", async () => {
    await expect(stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: monthly["id"], quantity: 1 }] }))
      .rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400, param: "mode" });
  });

  it("completing a subscription checkout activates a subscription whose period is on its items", async () => {
    const session = await subscriptionCheckout();
    const events = fake.completeCheckout(session.id, { email: "buyer@example.test" });
    const types = events.map((e) => e["type"]);
    expect(types).toEqual(expect.arrayContaining(["customer.created", "checkout.session.completed", "customer.subscription.created", "invoice.paid", "customer.subscription.updated"]));
    expect(types.indexOf("checkout.session.completed")).toBeLessThan(types.indexOf("invoice.paid"));

    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", client_reference_id: "member_1", metadata: { memberId: "m1" } });
    const sub = await stripe.subscriptions.retrieve(String(done.subscription), { expand: ["latest_invoice"] });
    expect(sub).toMatchObject({ status: "active", cancel_at_period_end: false, metadata: { memberId: "m1" }, customer: done.customer });
    const item = sub.items.data[0];
    expect(item?.current_period_start).toBe(T0);
    expect(item?.current_period_end).toBe(T0 + 31 * DAY);
    expect(sub).not.toHaveProperty("current_period_end");
    expect((sub.latest_invoice as Stripe.Invoice).status).toBe("paid");
    expect((sub.latest_invoice as Stripe.Invoice).parent?.subscription_details?.subscription).toBe(sub.id);
  });

  it("starts a trial without payment when trial_period_days is set", async () => {
    const session = await subscriptionCheckout({ subscription_data: { trial_period_days: 7 } });
    fake.completeCheckout(session.id);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done.payment_status).toBe("no_payment_required");
    const sub = await stripe.subscriptions.retrieve(String(done.subscription));
    expect(sub).toMatchObject({ status: "trialing", trial_end: T0 + 7 * DAY });
    expect(sub.items.data[0]?.current_period_end).toBe(T0 + 7 * DAY);
    fake.renewSubscription(sub.id);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
  });

  it("expires sessions through the API and when the clock passes expires_at", async () => {
    const manual = await subscriptionCheckout();
    await stripe.checkout.sessions.expire(manual.id);
    await expect(stripe.checkout.sessions.expire(manual.id)).rejects.toMatchObject({ statusCode: 400 });
    const timed = await subscriptionCheckout({ expires_at: T0 + 3600 });
    fake.setNow(T0 + 3600);
    expect((await stripe.checkout.sessions.retrieve(timed.id)).status).toBe("expired");
    const expired = await stripe.checkout.sessions.list({ status: "expired", created: { gte: T0, lte: T0 } });
    expect(expired.data.map((s) => s.id)).toEqual([timed.id, manual.id]);
    expect(fake.events.filter((e) => e["type"] === "checkout.session.expired")).toHaveLength(2);
  });

  it("settles a delayed payment later", async () => {
    const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course["id"], quantity: 1 }], customer_creation: "always" });
    fake.completeCheckout(session.id, { paymentStatus: "unpaid" });
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("unpaid");
    const events = fake.asyncPaymentResult(session.id, true);
    expect(events.map((e) => e["type"])).toContain("checkout.session.async_payment_succeeded");
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
  });
});

describe("events", () => {
  it("filters by type and created, newest first, with exact has_more", async () => {
    const session = await subscriptionCheckout();
    fake.completeCheckout(session.id);
    const subId = String(fake.state.checkoutSessions.get(session.id)?.["subscription"]);

    const completed = await stripe.events.list({ types: ["checkout.session.completed", "invoice.paid"] });
    expect(completed.data.map((e) => e.type).sort()).toEqual(["checkout.session.completed", "invoice.paid"]);

    fake.setNow(T0 + 40 * DAY);
    fake.renewSubscription(subId);
    const recent = await stripe.events.list({ created: { gte: T0 + 40 * DAY } });
    expect(recent.data.length).toBeGreaterThan(0);
    expect(recent.data.every((e) => e.created >= T0 + 40 * DAY)).toBe(true);
    expect(recent.data.map((e) => e.type)).toContain("invoice.paid");

    const total = fake.events.length;
    const all = await stripe.events.list({ limit: 100 });
    expect(all.data.map((e) => e.id)).toEqual(fake.events.map((e) => e["id"]));
    expect(all.has_more).toBe(false);
    const exact = await stripe.events.list({ limit: total });
    expect(exact.has_more).toBe(false);
    const seen: string[] = [];
    let page = await stripe.events.list({ limit: 3 });
    seen.push(...page.data.map((e) => e.id));
    while (page.has_more) {
      page = await stripe.events.list({ limit: 3, starting_after: seen[seen.length - 1] ?? "" });
      seen.push(...page.data.map((e) => e.id));
    }
    expect(seen).toEqual(all.data.map((e) => e.id));
    const before = await stripe.events.list({ limit: 2, ending_before: seen[4] ?? "" });
    expect(before.data.map((e) => e.id)).toEqual(seen.slice(2, 4));
    expect(before.has_more).toBe(true);
    expect((await stripe.events.retrieve(seen[0] ?? "")).api_version).toBe(Stripe.API_VERSION);
  });
});

describe("subscriptions", () => {
  it("subscriptions.list hides canceled ones unless status is all", async () => {
    const session = await subscriptionCheckout();
    fake.completeCheckout(session.id);
    const subId = String(fake.state.checkoutSessions.get(session.id)?.["subscription"]);
    const cancel = fake.cancelSubscriptionAtPeriodEnd(subId);
    expect(cancel[0]).toMatchObject({ type: "customer.subscription.updated", data: { previous_attributes: { cancel_at_period_end: false } } });
    const deleted = await stripe.subscriptions.cancel(subId);
    expect(deleted).toMatchObject({ status: "canceled", ended_at: T0 });
    expect(fake.events[0]?.["type"]).toBe("customer.subscription.deleted");

    expect((await stripe.subscriptions.list()).data).toHaveLength(0);
    expect((await stripe.subscriptions.list({ status: "all" })).data.map((s) => s.id)).toEqual([subId]);
    expect((await stripe.subscriptions.list({ status: "canceled", price: monthly["id"] })).data).toHaveLength(1);
  });

  it("a failed renewal makes the subscription past_due and a retry recovers it", async () => {
    const session = await subscriptionCheckout();
    fake.completeCheckout(session.id);
    const subId = String(fake.state.checkoutSessions.get(session.id)?.["subscription"]);
    const failed = fake.failSubscriptionPayment(subId).map((e) => e["type"]);
    expect(failed).toEqual(expect.arrayContaining(["invoice.payment_failed", "customer.subscription.updated"]));
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe("past_due");
    fake.renewSubscription(subId);
    const sub = await stripe.subscriptions.retrieve(subId);
    expect(sub.status).toBe("active");
    expect(sub.items.data[0]?.current_period_start).toBe(T0 + 31 * DAY);
  });
});

describe("payments", () => {
  it("a refund through the API emits charge.refunded", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment", line_items: [{ price: course["id"], quantity: 1 }], customer_creation: "always",
      payment_intent_data: { metadata: { memberId: "m1" } },
    });
    fake.completeCheckout(session.id, { email: "buyer@example.test" });
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ status: "succeeded", amount: 9900, metadata: { memberId: "m1" } });

    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 4900 });
    expect(refund).toMatchObject({ amount: 4900, status: "succeeded", charge: pi.latest_charge });
    const event = fake.events.find((e) => e["type"] === "charge.refunded");
    expect(event?.["data"].object).toMatchObject({ amount_refunded: 4900, refunded: false });
    expect(event?.["request"].id).toMatch(/^req_/);

    fake.refundCharge(String(pi.latest_charge));
    await expect(stripe.refunds.create({ charge: String(pi.latest_charge) }))
      .rejects.toMatchObject({ type: "StripeInvalidRequestError", code: "charge_already_refunded" });
  });

  it("failNext answers with the injected error", async () => {
    fake.failNext((call) => call.path.startsWith("/v1/customers"), { status: 500, body: { error: { type: "api_error", message: "boom" } } });
    await expect(stripe.customers.create({ email: "x@example.test" })).rejects.toMatchObject({ type: "StripeAPIError", statusCode: 500 });
    const customer = await stripe.customers.create({ email: "x@example.test" });
    expect((await stripe.customers.list({ email: "x@example.test" })).data.map((c) => c.id)).toEqual([customer.id]);
  });
});

describe("portal and promotions", () => {
  it("creates a billing portal session for a customer", async () => {
    const customer = fake.createCustomer({ email: "m@example.test" });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer["id"], return_url: "https://example.test/back" });
    expect(portal).toMatchObject({ object: "billing_portal.session", customer: customer["id"], return_url: "https://example.test/back" });
    expect(portal.url).toBe(`${fake.url}/portal/${portal.id}`);
  });

  it("creates a promotion code that discounts a checkout session", async () => {
    const coupon = await stripe.coupons.create({ percent_off: 20, duration: "once" });
    const promo = await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: coupon.id }, code: "LAUNCH20", max_redemptions: 5 });
    expect(promo).toMatchObject({ object: "promotion_code", code: "LAUNCH20", active: true, promotion: { coupon: coupon.id } });
    expect((await stripe.promotionCodes.list({ code: "launch20" })).data.map((p) => p.id)).toEqual([promo.id]);
    const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course["id"], quantity: 1 }], discounts: [{ promotion_code: promo.id }] });
    expect(session).toMatchObject({ amount_subtotal: 9900, amount_total: 7920, total_details: { amount_discount: 1980 } });
    fake.completeCheckout(session.id);
    expect((await stripe.promotionCodes.retrieve(promo.id)).times_redeemed).toBe(1);
  });

  it("a coupon with applies_to[products] discounts only those products, and shows applies_to only when expanded", async () => {
    const other = fake.createProduct({ name: "Rust course" });
    const rust = fake.createPrice({ product: other["id"], unit_amount: 5000, currency: "usd" });
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: "once", applies_to: { products: [String(course["product"])] } });
    expect(coupon.applies_to).toBeUndefined();
    expect((await stripe.coupons.retrieve(coupon.id, { expand: ["applies_to"] })).applies_to).toEqual({ products: [course["product"]] });
    // Only the TypeScript course (9900) is halved; the Rust course (5000) is not.
    const both = await stripe.checkout.sessions.create({
      mode: "payment", line_items: [{ price: course["id"], quantity: 1 }, { price: rust["id"], quantity: 1 }], discounts: [{ coupon: coupon.id }],
    });
    expect(both).toMatchObject({ amount_subtotal: 14_900, amount_total: 14_900 - 4950, total_details: { amount_discount: 4950 } });
    await expect(stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: rust["id"], quantity: 1 }], discounts: [{ coupon: coupon.id }] }))
      .rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400, param: "discounts[0]" });
  });

  it("a buyer's promotion code applies at the payment page only when allowed, once, and before it expires", async () => {
    const coupon = await stripe.coupons.create({ amount_off: 1000, currency: "usd", duration: "once", applies_to: { products: [String(course["product"])] } });
    const promo = await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: coupon.id }, code: "TEN-OFF", max_redemptions: 1, expires_at: T0 + DAY });
    const buy = () => stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course["id"], quantity: 1 }], allow_promotion_codes: true, customer_creation: "always" });
    const closed = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course["id"], quantity: 1 }] });
    expect(() => fake.completeCheckout(closed.id, { promotionCode: "TEN-OFF" })).toThrow(/allow_promotion_codes/);

    const first = await buy();
    fake.completeCheckout(first.id, { promotionCode: "ten-off" });
    const paid = await stripe.checkout.sessions.retrieve(first.id);
    expect(paid).toMatchObject({ amount_total: 8900, total_details: { amount_discount: 1000 }, discounts: [{ promotion_code: promo.id }] });
    expect((await stripe.paymentIntents.retrieve(String(paid.payment_intent))).amount).toBe(8900);

    const second = await buy();
    expect(() => fake.completeCheckout(second.id, { promotionCode: "TEN-OFF" })).toThrow(/cannot be redeemed/);
    const code2 = await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: (await stripe.coupons.create({ percent_off: 10, duration: "once" })).id }, code: "LATE", expires_at: T0 + DAY });
    fake.setNow(T0 + 2 * DAY);
    const third = await buy();
    expect(() => fake.completeCheckout(third.id, { promotionCode: code2.code })).toThrow(/cannot be redeemed/);
  });
});

describe("includable fields", () => {
  it("an invoice carries payments only when expanded, and never in webhook payloads", async () => {
    const session = await subscriptionCheckout();
    fake.completeCheckout(session.id);
    const sub = await stripe.subscriptions.retrieve(String((await stripe.checkout.sessions.retrieve(session.id)).subscription));
    const invoiceId = String(sub.latest_invoice);
    expect((await stripe.invoices.retrieve(invoiceId)).payments).toBeUndefined();
    const expanded = await stripe.invoices.retrieve(invoiceId, { expand: ["payments"] });
    expect(expanded.payments?.data).toHaveLength(1);
    expect(expanded.payments?.data[0]).toMatchObject({ object: "invoice_payment", status: "paid" });
    const listed = await stripe.invoices.list({ customer: String(sub.customer), expand: ["data.payments"] });
    expect(listed.data[0]?.payments?.data).toHaveLength(1);
    expect((await stripe.invoices.list({ customer: String(sub.customer) })).data[0]?.payments).toBeUndefined();
    const invoiceEvents = fake.events.filter((e) => String(e["type"]).startsWith("invoice."));
    expect(invoiceEvents.length).toBeGreaterThan(0);
    for (const event of invoiceEvents) expect(event["data"].object).not.toHaveProperty("payments");
  });
});

describe("errors, as Stripe sends them", () => {
  it("refuses unknown parameters with parameter_unknown", async () => {
    await expect(stripe.customers.create({ email: "a@example.test", favourite_colour: "blue" } as Stripe.CustomerCreateParams)).rejects.toMatchObject({
      type: "StripeInvalidRequestError", statusCode: 400, code: "parameter_unknown", param: "favourite_colour", message: "Received unknown parameter: favourite_colour",
    });
    await expect(stripe.checkout.sessions.list({ colour: "x", size: "y" } as Stripe.Checkout.SessionListParams)).rejects.toMatchObject({
      code: "parameter_unknown", message: "Received unknown parameters: colour, size",
    });
  });

  it("refuses a missing parameter with parameter_missing and an unknown path with a 404 without a code", async () => {
    await expect(stripe.products.create({} as Stripe.ProductCreateParams)).rejects.toMatchObject({ statusCode: 400, code: "parameter_missing", param: "name" });
    const unknownPath = await stripe.rawRequest("POST", "/v1/frobnicators", {}).catch((error: unknown) => error);
    expect(unknownPath).toMatchObject({ statusCode: 404, type: "StripeInvalidRequestError", code: undefined });
    expect((unknownPath as Error).message).toMatch(/^Unrecognized request URL \(POST: \/v1\/frobnicators\)/);
    await expect(stripe.subscriptions.retrieve("sub_missing")).rejects.toMatchObject({ statusCode: 404, code: "resource_missing", message: "No such subscription: 'sub_missing'" });
  });

  it("answers a rejected key with a 401 that stripe-node reports as an authentication error", async () => {
    fake.rejectKey("sk_test_x");
    await expect(stripe.customers.list()).rejects.toMatchObject({ type: "StripeAuthenticationError", statusCode: 401 });
    await expect(new Stripe("not-a-key", fake.clientOptions).customers.list()).rejects.toMatchObject({ type: "StripeAuthenticationError" });
  });
});

describe("webhooks", () => {
  const secret = "whsec_test_secret";

  it("constructEvent accepts a signed event and rejects tampering, a wrong secret and an old timestamp", async () => {
    const session = await subscriptionCheckout();
    const event = fake.completeCheckout(session.id).find((e) => e["type"] === "checkout.session.completed");
    const { payload, header } = signedWebhook(event, secret);
    expect(stripe.webhooks.constructEvent(payload, header, secret)).toMatchObject({ id: event?.["id"], type: "checkout.session.completed" });
    expect(() => stripe.webhooks.constructEvent(payload.replace("member_1", "member_2"), header, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(payload, header, "whsec_other")).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(payload)), header, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const old = signedWebhook(event, secret, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(() => stripe.webhooks.constructEvent(old.payload, old.header, secret)).toThrow(/tolerance/i);
  });

  it("deliverWebhook posts the raw signed body", async () => {
    const received: string[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        try {
          const verified = stripe.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers["stripe-signature"]), secret);
          received.push(verified.type);
          res.writeHead(200).end("ok");
        } catch {
          res.writeHead(400).end("bad signature");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhook`;
    try {
      const event = { id: "evt_1", object: "event", type: "invoice.paid", data: { object: {} } };
      expect(await deliverWebhook(url, event, secret)).toEqual({ status: 200, body: "ok" });
      expect((await deliverWebhook(url, event, secret, { signatureHeader: "t=1,v1=bad" })).status).toBe(400);
      expect(received).toEqual(["invoice.paid"]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
