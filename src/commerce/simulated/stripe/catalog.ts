import { getOr404, previousAttributes, type FakeCore } from "./core.js";
import { invalid, missingParam, noSuchParam, StripeApiError } from "./errors.js";
import { render } from "./expand.js";
import { applyMetadata, listParam, objParam, optBool, optInt, optString } from "./form.js";
import { allOf, createdFilter, fieldEquals, paginate } from "./lists.js";
import { LIST_PARAMS, route, type Route } from "./router.js";
import type { Params, StripeObject } from "./types.js";

/** Seed input for a product. */
export interface ProductInput {
  name: string;
  id?: string;
  active?: boolean;
  description?: string | null;
  metadata?: Record<string, string>;
}

/** Seed input for a price; one-time unless `recurring` is given. */
export interface PriceInput {
  product: string;
  unit_amount: number;
  currency: string;
  recurring?: { interval: "day" | "week" | "month" | "year"; interval_count?: number };
  id?: string;
  active?: boolean;
  lookup_key?: string | null;
  nickname?: string | null;
  metadata?: Record<string, string>;
}

/** Seed input for a customer. */
export interface CustomerInput {
  email?: string | null;
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  id?: string;
}

function claimId(store: Map<string, StripeObject>, id: string | undefined, fallback: () => string): string {
  if (id === undefined) return fallback();
  if (store.has(id)) {
    throw new StripeApiError(400, "invalid_request_error", `Object already exists: '${id}'`, "resource_already_exists", "id");
  }
  return id;
}

/** Stores a product (no event, as seeding is not an API call). */
export function makeProduct(core: FakeCore, input: ProductInput): StripeObject {
  const id = claimId(core.state.products, input.id, () => core.id("prod", 14));
  const product: StripeObject = {
    id, object: "product", active: input.active ?? true, created: core.now(), default_price: null,
    description: input.description ?? null, images: [], livemode: false, marketing_features: [],
    metadata: input.metadata ?? {}, name: input.name, package_dimensions: null, shippable: null,
    statement_descriptor: null, tax_code: null, tax_details: null, type: "service", unit_label: null, updated: core.now(), url: null,
  };
  core.state.products.set(id, product);
  return product;
}

/** Stores a price of an existing product (no event). */
export function makePrice(core: FakeCore, input: PriceInput): StripeObject {
  if (!core.state.products.has(input.product)) throw noSuchParam("product", input.product, "product");
  if (!Number.isInteger(input.unit_amount) || input.unit_amount < 0) throw invalid("Invalid unit_amount", "unit_amount");
  const id = claimId(core.state.prices, input.id, () => core.id("price"));
  const recurring = input.recurring && {
    interval: input.recurring.interval, interval_count: input.recurring.interval_count ?? 1,
    meter: null, trial_period_days: null, usage_type: "licensed",
  };
  const price: StripeObject = {
    id, object: "price", active: input.active ?? true, billing_scheme: "per_unit", created: core.now(),
    currency: input.currency.toLowerCase(), custom_unit_amount: null, livemode: false,
    lookup_key: input.lookup_key ?? null, metadata: input.metadata ?? {}, nickname: input.nickname ?? null,
    product: input.product, recurring: recurring ?? null, tax_behavior: "unspecified", tiers_mode: null,
    transform_quantity: null, type: recurring ? "recurring" : "one_time", unit_amount: input.unit_amount,
    unit_amount_decimal: String(input.unit_amount),
  };
  core.state.prices.set(id, price);
  return price;
}

/** Stores a customer (no event). */
export function makeCustomer(core: FakeCore, input: CustomerInput): StripeObject {
  const id = claimId(core.state.customers, input.id, () => core.id("cus", 14));
  const customer: StripeObject = {
    id, object: "customer", address: null, balance: 0, created: core.now(), currency: null, default_source: null,
    delinquent: false, description: input.description ?? null, discount: null, email: input.email ?? null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false, metadata: input.metadata ?? {}, name: input.name ?? null, next_invoice_sequence: 1, phone: null,
    preferred_locales: [], shipping: null, tax_exempt: "none", test_clock: null,
  };
  core.state.customers.set(id, customer);
  return customer;
}

/** The legacy `plan` view of a recurring price, still present on subscription items. */
export function planOf(price: StripeObject): StripeObject {
  return {
    id: price["id"], object: "plan", active: price["active"], amount: price["unit_amount"],
    amount_decimal: price["unit_amount_decimal"], billing_scheme: "per_unit", created: price["created"],
    currency: price["currency"], interval: price["recurring"]?.interval ?? null,
    interval_count: price["recurring"]?.interval_count ?? null, livemode: false, metadata: price["metadata"],
    meter: null, nickname: price["nickname"], product: price["product"], tiers_mode: null, transform_usage: null,
    trial_period_days: null, usage_type: "licensed",
  };
}

function required(body: Params, key: string): string {
  const value = optString(body, key);
  if (value === undefined || value === null) throw missingParam(key);
  return value;
}

/** Updates the listed string fields and `metadata`, and emits `<type>.updated` if anything changed. */
function update(core: FakeCore, object: StripeObject, body: Params, fields: string[]): StripeObject {
  const before = structuredClone(object);
  for (const field of fields) {
    const value = optString(body, field);
    if (value !== undefined) object[field] = value;
  }
  const active = optBool(body, "active");
  if (active !== undefined && "active" in object) object["active"] = active;
  object["metadata"] = applyMetadata(object["metadata"] as Record<string, string>, body["metadata"]);
  const changed = previousAttributes(before, object);
  if (Object.keys(changed).length > 0) core.emit(`${String(object["object"])}.updated`, object, changed);
  return object;
}

function priceFromBody(core: FakeCore, body: Params): StripeObject {
  let product = optString(body, "product");
  if (!product) {
    const productData = objParam(body, "product_data");
    if (typeof productData["name"] !== "string") throw missingParam("product");
    product = makeProduct(core, { name: productData["name"] })["id"] as string;
  }
  const recurringParam = objParam(body, "recurring");
  const interval = optString(recurringParam, "interval");
  const input: PriceInput = {
    product, unit_amount: optInt(body, "unit_amount") ?? 0, currency: required(body, "currency"),
    lookup_key: optString(body, "lookup_key") ?? null, nickname: optString(body, "nickname") ?? null,
    metadata: applyMetadata({}, body["metadata"]), active: optBool(body, "active") ?? true,
  };
  if (interval) {
    if (!["day", "week", "month", "year"].includes(interval)) throw invalid(`Invalid interval: ${interval}`, "recurring[interval]");
    input.recurring = { interval: interval as "month", interval_count: optInt(recurringParam, "interval_count") ?? 1 };
  }
  return makePrice(core, input);
}

/** Products, prices and customers; API creations emit `<object>.created` like Stripe. */
export const catalogRoutes: Route[] = [
  route("POST", "/v1/products", ["id", "name", "active", "description", "metadata"], ({ core, body }) => {
    const id = optString(body, "id");
    const product = makeProduct(core, {
      name: required(body, "name"), ...(id ? { id } : {}), active: optBool(body, "active") ?? true,
      description: optString(body, "description") ?? null, metadata: applyMetadata({}, body["metadata"]),
    });
    core.emit("product.created", product);
    return product;
  }),
  route("GET", "/v1/products/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.products, "product", params["id"] ?? ""), query)),
  route("POST", "/v1/products/:id", ["name", "description", "active", "metadata"], ({ core, params, body }) =>
    update(core, getOr404(core.state.products, "product", params["id"] ?? ""), body, ["name", "description"])),
  route("GET", "/v1/products", [...LIST_PARAMS, "ids", "active"], ({ core, query }) => {
    const ids = listParam(query, "ids");
    const active = optBool(query, "active");
    return paginate(core.state.products.values(), query, "/v1/products", allOf(
      createdFilter(query),
      active === undefined ? undefined : (p) => p["active"] === active,
      ids.length === 0 ? undefined : (p) => ids.includes(String(p["id"])),
    ));
  }),

  route("POST", "/v1/prices", ["product", "product_data", "unit_amount", "currency", "recurring", "lookup_key", "nickname", "metadata", "active"], ({ core, body }) => {
    const price = priceFromBody(core, body);
    core.emit("price.created", price);
    return render(core, price, body);
  }),
  route("GET", "/v1/prices/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.prices, "price", params["id"] ?? ""), query)),
  route("POST", "/v1/prices/:id", ["nickname", "lookup_key", "active", "metadata"], ({ core, params, body }) =>
    update(core, getOr404(core.state.prices, "price", params["id"] ?? ""), body, ["nickname", "lookup_key"])),
  route("GET", "/v1/prices", [...LIST_PARAMS, "active", "lookup_keys", "product", "type", "currency"], ({ core, query }) => {
    const active = optBool(query, "active");
    const lookupKeys = listParam(query, "lookup_keys");
    const page = paginate(core.state.prices.values(), query, "/v1/prices", allOf(
      createdFilter(query), fieldEquals(query, "product"), fieldEquals(query, "type"), fieldEquals(query, "currency"),
      active === undefined ? undefined : (p) => p["active"] === active,
      lookupKeys.length === 0 ? undefined : (p) => lookupKeys.includes(String(p["lookup_key"])),
    ));
    return render(core, page, query);
  }),

  route("POST", "/v1/customers", ["email", "name", "description", "metadata", "phone"], ({ core, body }) => {
    const customer = makeCustomer(core, {
      email: optString(body, "email") ?? null, name: optString(body, "name") ?? null,
      description: optString(body, "description") ?? null, metadata: applyMetadata({}, body["metadata"]),
    });
    customer["phone"] = optString(body, "phone") ?? null;
    core.emit("customer.created", customer);
    return customer;
  }),
  route("GET", "/v1/customers/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.customers, "customer", params["id"] ?? ""), query)),
  route("POST", "/v1/customers/:id", ["email", "name", "description", "phone", "metadata"], ({ core, params, body }) => {
    const customer = getOr404(core.state.customers, "customer", params["id"] ?? "");
    if (customer["deleted"] === true) throw noSuchParam("customer", String(customer["id"]), "id");
    return update(core, customer, body, ["email", "name", "description", "phone"]);
  }),
  route("DELETE", "/v1/customers/:id", [], ({ core, params }) => {
    const customer = getOr404(core.state.customers, "customer", params["id"] ?? "");
    core.emit("customer.deleted", customer);
    const tombstone = { id: customer["id"], object: "customer", deleted: true };
    core.state.customers.set(String(customer["id"]), tombstone);
    return tombstone;
  }),
  route("GET", "/v1/customers", [...LIST_PARAMS, "email"], ({ core, query }) =>
    paginate(core.state.customers.values(), query, "/v1/customers",
      allOf(createdFilter(query), fieldEquals(query, "email"), (c) => c["deleted"] !== true))),
];
