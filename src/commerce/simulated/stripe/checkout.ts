import { makePrice, makeProduct } from "./catalog.js";
import { getOr404, type FakeCore } from "./core.js";
import { exclusive, invalid, missingParam, noSuchParam } from "./errors.js";
import { render } from "./expand.js";
import { applyMetadata, objParam, optBool, optInt, optString } from "./form.js";
import { allOf, createdFilter, fieldEquals, paginate } from "./lists.js";
import { resolveDiscount } from "./promotions.js";
import { LIST_PARAMS, route, type Route } from "./router.js";
import type { Params, StripeObject } from "./types.js";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Resolves one `line_items[i]` entry to a stored price (creating one for `price_data`). */
function lineItemPrice(core: FakeCore, item: Params, index: number): StripeObject {
  const param = `line_items[${index}]`;
  const priceId = optString(item, "price");
  if (priceId) {
    const price = core.state.prices.get(priceId);
    if (price === undefined) throw noSuchParam("price", priceId, `${param}[price]`);
    if (price["active"] !== true) {
      throw invalid("The price specified is inactive. This field only accepts active prices.", `${param}[price]`);
    }
    return price;
  }
  const data = objParam(item, "price_data");
  if (Object.keys(data).length === 0) throw missingParam(`${param}[price]`);
  let product = optString(data, "product");
  if (!product) {
    const name = optString(objParam(data, "product_data"), "name");
    if (!name) throw missingParam(`${param}[price_data][product_data][name]`);
    product = String(makeProduct(core, { name, active: false })["id"]);
  }
  const currency = optString(data, "currency");
  if (!currency) throw missingParam(`${param}[price_data][currency]`);
  const recurring = objParam(data, "recurring");
  const interval = optString(recurring, "interval");
  const price = makePrice(core, {
    product, currency, unit_amount: optInt(data, "unit_amount") ?? 0,
    ...(interval ? { recurring: { interval: interval as "month", interval_count: optInt(recurring, "interval_count") ?? 1 } } : {}),
  });
  price["active"] = false; // Stripe archives inline prices at once.
  return price;
}

function validateExpiresAt(core: FakeCore, body: Params): number {
  const expiresAt = optInt(body, "expires_at");
  if (expiresAt === undefined || expiresAt === null) return core.now() + 24 * HOUR;
  if (expiresAt < core.now() + 30 * MINUTE) {
    throw invalid("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", "expires_at");
  }
  if (expiresAt > core.now() + 24 * HOUR) {
    throw invalid("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", "expires_at");
  }
  return expiresAt;
}

/** Checks the params Stripe refuses in combination, before anything is created. */
function validateCombination(core: FakeCore, body: Params, mode: string): string | null {
  if (mode !== "payment" && mode !== "subscription") {
    throw invalid(`Invalid mode: the fake supports \`payment\` and \`subscription\`, got '${mode}'.`, "mode");
  }
  const customer = optString(body, "customer") ?? null;
  if (customer !== null && optString(body, "customer_email")) {
    throw exclusive(["customer", "customer_email"]);
  }
  if (customer !== null && !core.state.customers.has(customer)) throw noSuchParam("customer", customer, "customer");
  if (body["discounts"] !== undefined && body["discounts"] !== "" && optBool(body, "allow_promotion_codes")) {
    throw exclusive(["allow_promotion_codes", "discounts"]);
  }
  if (mode === "payment" && body["subscription_data"] !== undefined) {
    throw invalid("You can not pass `subscription_data` in `payment` mode.", "subscription_data");
  }
  if (mode === "subscription" && body["payment_intent_data"] !== undefined) {
    throw invalid("You can not pass `payment_intent_data` in `subscription` mode.", "payment_intent_data");
  }
  const trialDays = optInt(objParam(body, "subscription_data"), "trial_period_days", "subscription_data[trial_period_days]");
  if (trialDays !== undefined && trialDays !== null && (trialDays < 1 || trialDays > 730)) {
    throw invalid("trial_period_days must be between 1 and 730.", "subscription_data[trial_period_days]");
  }
  return customer;
}

function createSession(core: FakeCore, body: Params): StripeObject {
  const mode = optString(body, "mode");
  if (!mode) throw missingParam("mode");
  const customer = validateCombination(core, body, mode);
  const rawItems: unknown = body["line_items"];
  if (!Array.isArray(rawItems) || rawItems.length === 0) throw missingParam("line_items");
  const items = rawItems.map((raw, index) => {
    const item = (raw ?? {}) as Params;
    const price = lineItemPrice(core, item, index);
    const quantity = optInt(item, "quantity", `line_items[${index}][quantity]`);
    if (quantity === undefined || quantity === null) throw missingParam(`line_items[${index}][quantity]`);
    if (quantity < 1) throw invalid("Quantity must be at least 1.", `line_items[${index}][quantity]`);
    return { price, quantity };
  });
  const recurring = items.filter(({ price }) => price["recurring"] !== null);
  if (mode === "payment" && recurring.length > 0) {
    throw invalid("You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.", "mode");
  }
  if (mode === "subscription" && recurring.length !== items.length) {
    throw invalid(recurring.length === 0
      ? "You must provide at least one recurring price in `subscription` mode when using prices."
      : "The fake does not support one-time prices in `subscription` mode.", "line_items");
  }
  const currency = String(items[0]?.price["currency"]);
  if (items.some(({ price }) => price["currency"] !== currency)) {
    throw invalid("All prices on a Checkout Session must use the same currency.", "line_items");
  }
  const subtotals = items.map(({ price, quantity }) => Number(price["unit_amount"]) * quantity);
  const subtotal = subtotals.reduce((a, b) => a + b, 0);
  const lines = items.map(({ price }, index) => ({ product: String(price["product"]), amount: subtotals[index] ?? 0 }));
  const discount = resolveDiscount(core, body["discounts"], { lines, currency, customer });
  const expiresAt = validateExpiresAt(core, body);
  const id = core.id("cs_test", 58);
  core.state.checkoutLineItems.set(id, items.map(({ price, quantity }, index) => ({
    id: core.id("li"), object: "item", adjustable_quantity: null, amount_discount: discount?.shares[index] ?? 0,
    amount_subtotal: subtotals[index] ?? 0, amount_tax: 0, amount_total: (subtotals[index] ?? 0) - (discount?.shares[index] ?? 0),
    currency, description: String(core.state.products.get(String(price["product"]))?.["name"] ?? ""), metadata: {},
    price: structuredClone(price), quantity,
  })));
  core.state.checkoutParams.set(id, structuredClone(body));
  const customerCreation = customer !== null ? null : mode === "subscription" ? "always" : (optString(body, "customer_creation") ?? "if_required");
  const session: StripeObject = {
    id, object: "checkout.session", adaptive_pricing: { enabled: false }, after_expiration: null, allowed_payment_method_types: null,
    allow_promotion_codes: optBool(body, "allow_promotion_codes") ?? null, amount_subtotal: subtotal,
    amount_total: subtotal - (discount?.amount ?? 0),
    automatic_tax: { enabled: false, liability: null, provider: null, status: null }, billing_address_collection: null,
    cancel_url: optString(body, "cancel_url") ?? null, client_reference_id: optString(body, "client_reference_id") ?? null,
    client_secret: null, collected_information: null, consent: null, consent_collection: null, created: core.now(),
    currency, currency_conversion: null, custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer, customer_account: null, customer_creation: customerCreation, customer_details: null,
    customer_email: optString(body, "customer_email") ?? null,
    discounts: discount === null ? [] : [{ coupon: discount.promotionCode ? null : discount.coupon["id"], promotion_code: discount.promotionCode?.["id"] ?? null }],
    expires_at: expiresAt, integration_identifier: null, invoice: null, invoice_creation: null, livemode: false, locale: null, managed_payments: null,
    metadata: applyMetadata({}, body["metadata"]), mode, origin_context: null, payment_intent: null,
    payment_link: null, payment_method_collection: mode === "subscription" ? "always" : null,
    payment_method_configuration_details: null, payment_method_options: { card: { request_three_d_secure: "automatic" } },
    payment_method_types: ["card"], payment_status: "unpaid", permissions: null, phone_number_collection: { enabled: false },
    recovered_from: null, saved_payment_method_options: null, setup_intent: null, shipping_address_collection: null,
    shipping_cost: null, shipping_options: [], status: "open", submit_type: null, subscription: null,
    success_url: optString(body, "success_url") ?? null,
    total_details: { amount_discount: discount?.amount ?? 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page", url: `${core.baseUrl}/pay/${id}`, wallet_options: null,
  };
  core.state.checkoutSessions.set(id, session);
  return session;
}

/** Open to expired, emitting `checkout.session.expired`; Stripe refuses other statuses. */
export function expireSession(core: FakeCore, session: StripeObject): StripeObject {
  if (session["status"] !== "open") {
    throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session["status"])}".`);
  }
  session["status"] = "expired";
  session["url"] = null;
  return core.emit("checkout.session.expired", session);
}

/** Checkout sessions and billing portal sessions. */
export const checkoutRoutes: Route[] = [
  route("POST", "/v1/checkout/sessions", ["mode", "line_items", "customer", "customer_email", "customer_creation", "discounts", "allow_promotion_codes", "subscription_data", "payment_intent_data", "expires_at", "metadata", "client_reference_id", "success_url", "cancel_url"], ({ core, body }) => render(core, createSession(core, body), body)),
  route("GET", "/v1/checkout/sessions/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.checkoutSessions, "checkout.session", params["id"] ?? ""), query)),
  route("GET", "/v1/checkout/sessions/:id/line_items", ["limit", "starting_after", "ending_before"], ({ core, params, query }) => {
    const session = getOr404(core.state.checkoutSessions, "checkout.session", params["id"] ?? "");
    const data = core.state.checkoutLineItems.get(String(session["id"])) ?? [];
    return render(core, { object: "list", data, has_more: false, url: `/v1/checkout/sessions/${String(session["id"])}/line_items` }, query);
  }),
  route("POST", "/v1/checkout/sessions/:id/expire", [], ({ core, params, body }) => {
    const session = getOr404(core.state.checkoutSessions, "checkout.session", params["id"] ?? "");
    expireSession(core, session);
    return render(core, session, body);
  }),
  route("GET", "/v1/checkout/sessions", [...LIST_PARAMS, "customer", "status", "payment_intent", "subscription", "customer_details"], ({ core, query }) => {
    const email = optString(objParam(query, "customer_details"), "email");
    const page = paginate(core.state.checkoutSessions.values(), query, "/v1/checkout/sessions", allOf(
      createdFilter(query), fieldEquals(query, "customer"), fieldEquals(query, "status"),
      fieldEquals(query, "payment_intent"), fieldEquals(query, "subscription"),
      email ? (s) => s["customer_details"]?.email === email : undefined,
    ));
    return render(core, page, query);
  }),
  route("POST", "/v1/billing_portal/sessions", ["customer", "return_url", "configuration", "locale"], ({ core, body }) => {
    const customer = optString(body, "customer");
    if (!customer) throw missingParam("customer");
    if (!core.state.customers.has(customer)) throw noSuchParam("customer", customer, "customer");
    const id = core.id("bps");
    const session: StripeObject = {
      id, object: "billing_portal.session", configuration: optString(body, "configuration") ?? "bpc_fake_default",
      created: core.now(), customer, customer_account: null, flow: null, livemode: false,
      locale: optString(body, "locale") ?? null, on_behalf_of: null, return_url: optString(body, "return_url") ?? null,
      url: `${core.baseUrl}/portal/${id}`,
    };
    core.state.portalSessions.set(id, session);
    return session;
  }),
];
