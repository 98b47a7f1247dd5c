/**
 * The fake's contract: every response it sends and every webhook payload it emits has Stripe's
 * published shape. Shapes come from two sources Stripe publishes: the types in the installed
 * stripe-node (generated from Stripe's OpenAPI spec; turned into JSON Schemas here) and the
 * official fixtures (../shared/specs/stripe-fixtures3.json, one example of every object).
 * The fake is driven through stripe-node itself, over HTTP, along the paths Guildhall uses.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStripeSchemas, loadStripeValidators, type StripeSchemas } from "./contract/stripe-schemas.js";
import { startFakeStripe, type FakeStripe, type StripeObject } from "./index.js";

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY = 86_400;

/**
 * Where the fixtures disagree with what the API sends now, each entry names the field and why;
 * nothing else may be missing. (Disagreements with stripe-node's types are in WIRE_FORMAT.)
 */
const FIXTURE_ALLOW: readonly { object: string; field: string; why: string }[] = [
  // Stripe moved the invoice's subscription under parent.subscription_details (API 2025-03-31);
  // the fixture still lists the old top-level field, which the API no longer sends.
  { object: "invoice", field: "subscription", why: "removed in API 2025-03-31, now parent.subscription_details.subscription" },
  // Since API 2022-11-15 a charge's refunds are sent only when expanded; the fixture shows them expanded.
  { object: "charge", field: "refunds", why: "includable since API 2022-11-15 (expand[]=refunds); Guildhall lists refunds instead" },
];

/**
 * Definitions of stripe-node's types replaced by the wire format, where the types describe what
 * the library hands back rather than what the API sends.
 */
const WIRE_FORMAT: Record<string, object> = {
  // stripe-node 23 turns decimal strings ("9900", "12.5") into its own Decimal class; the API sends strings.
  Decimal: { type: "string", pattern: "^-?[0-9]+(\\.[0-9]+)?$" },
  // EventBase types data.object as an empty interface; the object is checked against its own type instead.
  "Event.Data.Object": { type: "object" },
  "Event.Data.PreviousAttributes": { type: "object" },
};

/** Fields Guildhall reads (src/commerce, src/points): each must be present whenever the object is sent. */
const READ_BY_GUILDHALL: Record<string, readonly string[]> = {
  "checkout.session": ["id", "mode", "status", "payment_status", "customer", "metadata", "subscription", "payment_intent", "expires_at", "created", "url", "customer_details"],
  subscription: ["id", "customer", "metadata", "status", "items", "start_date", "created", "cancel_at_period_end", "latest_invoice"],
  subscription_item: ["current_period_start", "current_period_end", "price"],
  invoice: ["id", "customer", "status", "parent"],
  invoice_payment: ["payment"],
  charge: ["id", "amount", "amount_refunded", "refunded", "disputed", "payment_intent", "metadata", "customer", "created"],
  refund: ["id", "charge", "amount", "created"],
  dispute: ["id", "charge", "status", "created"],
  price: ["id", "unit_amount", "currency", "recurring", "product", "active"],
  product: ["id", "name", "active"],
  customer: ["id", "email", "metadata"],
  coupon: ["id"],
  promotion_code: ["id", "code"],
  event: ["id", "type", "created", "data"],
};

/**
 * Stripe's fixtures live beside the repository (../shared/specs from the main checkout, further
 * up from a worktree), or where STRIPE_FIXTURES points; they are Stripe's text, not copied here.
 */
function fixturesFile(): string {
  if (process.env["STRIPE_FIXTURES"]) return process.env["STRIPE_FIXTURES"];
  for (let dir = process.cwd(); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "shared", "specs", "stripe-fixtures3.json");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("Stripe's fixtures (shared/specs/stripe-fixtures3.json) were not found above the repository: set STRIPE_FIXTURES to the file.");
}

interface Seen {
  /** Where the object was seen: "GET /v1/invoices/in_1" or "event invoice.paid". */
  where: string;
  object: StripeObject;
}

let fake: FakeStripe;
let stripe: Stripe;
let schemas: StripeSchemas;
let validators: ReadonlyMap<string, ValidateFunction>;

/** The schema key of an object: its `object`, or `deleted_<object>` for a deletion tombstone. */
function kindOf(object: StripeObject): string {
  return object["deleted"] === true ? `deleted_${String(object["object"])}` : String(object["object"]);
}

/** ajv's errors for one object, as short lines grouped by what is wrong. */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  const missing = new Map<string, string[]>();
  const other: string[] = [];
  for (const error of errors) {
    if (error.keyword === "required") {
      const at = error.instancePath || "/";
      missing.set(at, [...(missing.get(at) ?? []), String(error.params["missingProperty"])]);
    } else if (error.keyword === "additionalProperties") {
      other.push(`${error.instancePath || "/"}: field not in Stripe's types: ${String(error.params["additionalProperty"])}`);
    } else if (error.keyword !== "anyOf" && error.keyword !== "if") {
      other.push(`${error.instancePath || "/"}: ${error.message ?? error.keyword}`);
    }
  }
  return [...[...missing].map(([at, fields]) => `${at}: missing required ${fields.join(", ")}`), ...new Set(other)];
}

/** Every object a response or event carries at its top (lists unwrapped). */
function collect(): Seen[] {
  const seen: Seen[] = [];
  for (const call of fake.calls) {
    if (call.status === undefined || call.status >= 400) continue;
    const body = call.response as StripeObject;
    const where = `${call.method} ${call.path}`;
    if (body["object"] === "list") for (const item of body["data"] as StripeObject[]) seen.push({ where, object: item });
    else seen.push({ where, object: body });
  }
  for (const event of fake.events) {
    seen.push({ where: `event ${String(event["type"])}`, object: event });
    seen.push({ where: `event ${String(event["type"])} data.object`, object: event["data"].object as StripeObject });
  }
  return seen;
}

/** Walks the customer's journey along the paths Guildhall takes, plus the errors it can meet. */
async function journey(): Promise<void> {
  const product = await stripe.products.create({ name: "Async Rust", metadata: { slug: "async-rust" } });
  const other = await stripe.products.create({ name: "Membership" });
  const course = await stripe.prices.create({ product: product.id, unit_amount: 9900, currency: "usd" });
  const monthly = await stripe.prices.create({ product: other.id, unit_amount: 1500, currency: "usd", recurring: { interval: "month" } });
  await stripe.products.retrieve(product.id);
  await stripe.products.update(product.id, { description: "Futures from the ground up" });
  await stripe.products.list({ limit: 5 });
  await stripe.prices.retrieve(course.id, { expand: ["product"] });
  await stripe.prices.list({ product: product.id, active: true, expand: ["data.product"] });

  const customer = await stripe.customers.create({ email: "ada@example.test", name: "Ada", metadata: { guildhall_member: "m1" } });
  await stripe.customers.update(customer.id, { metadata: { note: "vip" } });
  await stripe.customers.retrieve(customer.id);
  await stripe.customers.list({ email: "ada@example.test" });
  const gone = await stripe.customers.create({ email: "gone@example.test" });
  await stripe.customers.del(gone.id);

  // A reward: a coupon only for the course, and a single-use code for one customer.
  const coupon = await stripe.coupons.create({ name: "20% off Async Rust", percent_off: 20, duration: "once", max_redemptions: 1, applies_to: { products: [product.id] }, metadata: { guildhall_redemption: "r1" } });
  await stripe.coupons.retrieve(coupon.id, { expand: ["applies_to"] });
  const promo = await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: coupon.id }, max_redemptions: 1, customer: customer.id, metadata: { guildhall_redemption: "r1" } });
  await stripe.promotionCodes.retrieve(promo.id);
  await stripe.promotionCodes.list({ coupon: coupon.id });
  const fixed = await stripe.coupons.create({ amount_off: 500, currency: "usd", duration: "once" });
  await stripe.coupons.list({ limit: 3 });
  await stripe.promotionCodes.update((await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: fixed.id }, code: "FIVE" })).id, { active: false });
  await stripe.coupons.del((await stripe.coupons.create({ percent_off: 5, duration: "forever" })).id);

  // A purchase with the promotion code typed at Checkout.
  const buy = await stripe.checkout.sessions.create({
    mode: "payment", line_items: [{ price: course.id, quantity: 1 }], customer: customer.id, allow_promotion_codes: true,
    client_reference_id: "m1", metadata: { guildhall_member: "m1" }, payment_intent_data: { metadata: { guildhall_member: "m1" } },
    success_url: "https://example.test/ok", cancel_url: "https://example.test/cancel",
  });
  fake.completeCheckout(buy.id, { promotionCode: promo.code });
  const paid = await stripe.checkout.sessions.retrieve(buy.id, { expand: ["line_items"] });
  await stripe.checkout.sessions.listLineItems(buy.id);
  await stripe.checkout.sessions.list({ customer: customer.id });
  await stripe.paymentIntents.retrieve(String(paid.payment_intent));
  await stripe.paymentIntents.list({ customer: customer.id });
  const charges = await stripe.charges.list({ payment_intent: String(paid.payment_intent) });
  const chargeId = charges.data[0]!.id;
  await stripe.charges.retrieve(chargeId);
  const refund = await stripe.refunds.create({ charge: chargeId, amount: 1000, reason: "requested_by_customer" });
  await stripe.refunds.retrieve(refund.id);
  await stripe.refunds.list({ charge: chargeId });

  // A guest purchase that is disputed, and a session left to expire.
  const guest = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course.id, quantity: 1 }], customer_creation: "always", customer_email: "bo@example.test" });
  fake.completeCheckout(guest.id);
  const guestPi = String((await stripe.checkout.sessions.retrieve(guest.id)).payment_intent);
  const guestCharge = (await stripe.charges.list({ payment_intent: guestPi })).data[0]!.id;
  fake.disputeCharge(guestCharge);
  await stripe.disputes.retrieve(String(fake.events.find((e) => e["type"] === "charge.dispute.created")?.["data"].object.id));
  const walkAway = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course.id, quantity: 1 }] });
  await stripe.checkout.sessions.expire(walkAway.id);

  // A membership: paid, renewed, a failed renewal recovered, then cancelled.
  const join = await stripe.checkout.sessions.create({
    mode: "subscription", line_items: [{ price: monthly.id, quantity: 1 }], customer: customer.id,
    subscription_data: { metadata: { guildhall_member: "m1" } }, metadata: { guildhall_member: "m1" },
  });
  fake.completeCheckout(join.id);
  const subId = String((await stripe.checkout.sessions.retrieve(join.id)).subscription);
  fake.renewSubscription(subId);
  fake.failSubscriptionPayment(subId);
  fake.renewSubscription(subId);
  await stripe.subscriptions.retrieve(subId, { expand: ["latest_invoice"] });
  await stripe.subscriptions.list({ customer: customer.id, status: "all" });
  await stripe.subscriptions.update(subId, { cancel_at_period_end: true, metadata: { reason: "moving" } });
  const sub = await stripe.subscriptions.retrieve(subId);
  await stripe.invoices.retrieve(String(sub.latest_invoice));
  await stripe.invoices.retrieve(String(sub.latest_invoice), { expand: ["payments"] });
  await stripe.invoices.list({ customer: customer.id, limit: 10, expand: ["data.payments"] });
  await stripe.invoices.listLineItems(String(sub.latest_invoice));
  await stripe.subscriptions.cancel(subId);

  // A trial.
  const trial = await stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: monthly.id, quantity: 1 }], customer: customer.id, subscription_data: { trial_period_days: 7 } });
  fake.completeCheckout(trial.id);

  await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "https://example.test/back" });
  const events = await stripe.events.list({ limit: 100, created: { gte: T0 } });
  await stripe.events.retrieve(events.data[0]!.id);
  await stripe.events.list({ type: "customer.subscription.*", limit: 3 });

  // Refusals Guildhall may meet; each is caught so the journey goes on.
  const refusals: Promise<unknown>[] = [
    stripe.customers.create({ email: "x@example.test", nickname: "x" } as Stripe.CustomerCreateParams),
    stripe.products.create({} as Stripe.ProductCreateParams),
    stripe.subscriptions.retrieve("sub_does_not_exist"),
    stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: "price_nope", quantity: 1 }] }),
    stripe.rawRequest("GET", "/v1/nothing_here", {}),
    stripe.refunds.create({ charge: chargeId, amount: 1_000_000 }),
    stripe.customers.list({ limit: 1000 }),
    stripe.prices.list({ starting_after: "price_x", ending_before: "price_y" }),
    stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course.id, quantity: 1 }] }, { idempotencyKey: "k" })
      .then(() => stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: course.id, quantity: 2 }] }, { idempotencyKey: "k" })),
    new Stripe("sk_test_revoked", fake.clientOptions).customers.list(),
  ];
  fake.rejectKey("sk_test_revoked");
  const settled = await Promise.allSettled(refusals);
  expect(settled.map((s) => s.status)).toEqual(refusals.map(() => "rejected"));
}

beforeAll(async () => {
  schemas = loadStripeSchemas();
  validators = loadStripeValidators(schemas, WIRE_FORMAT);
  fake = await startFakeStripe({ now: T0 });
  stripe = new Stripe("sk_test_contract", { ...fake.clientOptions, maxNetworkRetries: 0 });
  fake.setNow(T0 + DAY);
  await journey();
}, 600_000);

afterAll(async () => {
  await fake?.close();
});

describe(`the Stripe fake against stripe-node ${Stripe.PACKAGE_VERSION}'s types and Stripe's fixtures`, () => {
  it("every object in every response and webhook payload matches its schema (required fields, types, no invented fields)", () => {
    const problems: string[] = [];
    for (const { where, object } of collect()) {
      const kind = kindOf(object);
      const validate = validators.get(kind);
      if (!validate) {
        problems.push(`${where}: no schema checked for object "${kind}": add its type to the contract`);
        continue;
      }
      if (validate(object)) continue;
      problems.push(`${kind} (${where}):\n    ${describeErrors(validate.errors ?? []).join("\n    ")}`);
    }
    for (const call of fake.calls) {
      if (call.status !== undefined && call.status < 400 && (call.response as StripeObject)["object"] === "list") {
        const list = validators.get("list")!;
        if (!list(call.response)) problems.push(`list (${call.method} ${call.path}): ${describeErrors(list.errors ?? []).join("; ")}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it("every webhook payload is an event type Stripe publishes", () => {
    expect(fake.events.length).toBeGreaterThan(20);
    const unknown = fake.events.map((e) => String(e["type"])).filter((type) => !schemas.eventTypes.has(type));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("every error has Stripe's shape, with a published error type and code (or none)", () => {
    const errors = fake.calls.filter((call) => (call.status ?? 0) >= 400);
    expect(errors.length).toBeGreaterThanOrEqual(10);
    const problems: string[] = [];
    for (const call of errors) {
      const error = (call.response as { error?: Record<string, unknown> }).error;
      const where = `${call.method} ${call.path} (${String(call.status)})`;
      if (!error) {
        problems.push(`${where}: no error object`);
        continue;
      }
      const extra = Object.keys(error).filter((key) => !["type", "message", "code", "param", "doc_url", "decline_code", "charge", "payment_intent", "payment_method", "request_log_url"].includes(key));
      if (extra.length > 0) problems.push(`${where}: fields Stripe errors do not have: ${extra.join(", ")}`);
      if (!schemas.errorTypes.has(String(error["type"]))) problems.push(`${where}: unpublished error type ${String(error["type"])}`);
      if (error["code"] !== undefined && !schemas.errorCodes.has(String(error["code"]))) problems.push(`${where}: invented error code ${String(error["code"])}`);
      if (typeof error["message"] !== "string" || error["message"] === "") problems.push(`${where}: no message`);
    }
    expect(problems).toEqual([]);
    // The refusals the journey provoked, by code.
    const codes = errors.map((call) => (call.response as { error: { code?: string } }).error.code);
    expect(codes).toEqual(expect.arrayContaining(["parameter_unknown", "parameter_missing", "resource_missing", "amount_too_large"]));
  });

  it("every object has at least the keys of Stripe's fixture for its type", () => {
    const fixtures = (JSON.parse(readFileSync(fixturesFile(), "utf8")) as { resources: Record<string, StripeObject> }).resources;
    const allowed = new Set(FIXTURE_ALLOW.map((a) => `${a.object}.${a.field}`));
    const missing = new Map<string, Set<string>>();
    for (const { object } of collect()) {
      const kind = kindOf(object);
      const fixture = fixtures[kind];
      if (!fixture) continue;
      for (const key of Object.keys(fixture)) {
        if (!(key in object) && !allowed.has(`${kind}.${key}`)) missing.set(kind, new Set([...(missing.get(kind) ?? []), key]));
      }
    }
    expect(Object.fromEntries([...missing].map(([kind, keys]) => [kind, [...keys].sort()]))).toEqual({});
  });

  it("every field Guildhall reads is present, wherever the object is sent", () => {
    const missing: string[] = [];
    const visit = (object: StripeObject, where: string) => {
      for (const field of READ_BY_GUILDHALL[kindOf(object)] ?? []) {
        if (object[field] === undefined) missing.push(`${kindOf(object)}.${field} (${where})`);
      }
      for (const value of Object.values(object)) {
        if (Array.isArray(value)) for (const item of value) if (typeof item === "object" && item !== null) visit(item as StripeObject, where);
        if (typeof value === "object" && value !== null && !Array.isArray(value)) visit(value as StripeObject, where);
      }
    };
    for (const { where, object } of collect()) visit(object, where);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("every kind of object Guildhall reads was sent at least once", () => {
    const kinds = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === "object" && value !== null) {
        if (typeof (value as StripeObject)["object"] === "string") kinds.add(kindOf(value as StripeObject));
        Object.values(value).forEach(visit);
      }
    };
    for (const { object } of collect()) visit(object);
    expect([...Object.keys(READ_BY_GUILDHALL)].filter((kind) => kind !== "subscription_item" && !kinds.has(kind))).toEqual([]);
  });
});
