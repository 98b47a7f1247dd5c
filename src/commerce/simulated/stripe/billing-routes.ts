import { getOr404, previousAttributes, type FakeCore } from "./core.js";
import { invalid, missingParam, noSuch, noSuchParam } from "./errors.js";
import { render } from "./expand.js";
import { applyMetadata, listParam, objParam, optBool, optInt, optString } from "./form.js";
import { cancelNow, refund, setCancelAtPeriodEnd } from "./lifecycle.js";
import { allOf, createdFilter, fieldEquals, paginate } from "./lists.js";
import { LIST_PARAMS, route, type Route } from "./router.js";
import type { Params, StripeObject } from "./types.js";

/** `status` of subscriptions.list: canceled ones are hidden unless asked for. */
function subscriptionStatusFilter(query: Params): (sub: StripeObject) => boolean {
  const status = optString(query, "status");
  if (status === undefined || status === null) return (sub) => sub["status"] !== "canceled";
  if (status === "all") return () => true;
  if (status === "ended") return (sub) => sub["status"] === "canceled" || sub["status"] === "incomplete_expired";
  return (sub) => sub["status"] === status;
}

/** `type` of events.list, where `*` is a wildcard (`customer.subscription.*`). */
function eventTypeFilter(query: Params): ((event: StripeObject) => boolean) | undefined {
  const type = optString(query, "type");
  const types = listParam(query, "types");
  if (types.length > 20) throw invalid("You may pass at most 20 types.", "types");
  const tests: ((event: StripeObject) => boolean)[] = [];
  if (type) {
    const pattern = new RegExp(`^${type.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    tests.push((event) => pattern.test(String(event["type"])));
  }
  if (types.length > 0) tests.push((event) => types.includes(String(event["type"])));
  return tests.length === 0 ? undefined : allOf(...tests);
}

function updateSubscription(core: FakeCore, body: Params, sub: StripeObject): StripeObject {
  const allowedWhenCanceled = new Set(["metadata", "cancellation_details", "expand"]);
  if (sub["status"] === "canceled" && Object.keys(body).some((key) => !allowedWhenCanceled.has(key))) {
    throw invalid("A canceled subscription can only update its cancellation_details and metadata.", Object.keys(body)[0]);
  }
  const before = structuredClone(sub);
  const cancel = optBool(body, "cancel_at_period_end");
  if (cancel !== undefined && cancel !== sub["cancel_at_period_end"]) setCancelAtPeriodEnd(core, sub, cancel);
  sub["metadata"] = applyMetadata(sub["metadata"] as Record<string, string>, body["metadata"]);
  const details = objParam(body, "cancellation_details");
  for (const field of ["comment", "feedback"]) {
    const value = optString(details, field);
    if (value !== undefined) sub["cancellation_details"] = { ...sub["cancellation_details"], [field]: value };
  }
  const description = optString(body, "description");
  if (description !== undefined) sub["description"] = description;
  const changed = previousAttributes(before, sub);
  if (Object.keys(changed).length > 0) core.emit("customer.subscription.updated", sub, changed);
  return render(core, sub, body);
}

/** Subscriptions, invoices, charges, payment intents, refunds, disputes and events. */
export const billingRoutes: Route[] = [
  route("GET", "/v1/subscriptions/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.subscriptions, "subscription", params["id"] ?? ""), query)),
  route("POST", "/v1/subscriptions/:id", ["cancel_at_period_end", "metadata", "cancellation_details", "description"], ({ core, params, body }) =>
    updateSubscription(core, body, getOr404(core.state.subscriptions, "subscription", params["id"] ?? ""))),
  route("DELETE", "/v1/subscriptions/:id", ["cancellation_details"], ({ core, params, query }) => {
    const sub = getOr404(core.state.subscriptions, "subscription", params["id"] ?? "");
    const comment = optString(objParam(query, "cancellation_details"), "comment");
    if (comment !== undefined) sub["cancellation_details"] = { ...sub["cancellation_details"], comment };
    cancelNow(core, sub);
    return render(core, sub, query);
  }),
  route("GET", "/v1/subscriptions", [...LIST_PARAMS, "customer", "status", "price"], ({ core, query }) => {
    const price = optString(query, "price");
    const page = paginate(core.state.subscriptions.values(), query, "/v1/subscriptions", allOf(
      createdFilter(query), fieldEquals(query, "customer"), subscriptionStatusFilter(query),
      price ? (sub) => (sub["items"].data as StripeObject[]).some((item) => item["price"].id === price) : undefined,
    ));
    return render(core, page, query);
  }),

  route("GET", "/v1/invoices/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.invoices, "invoice", params["id"] ?? ""), query)),
  route("GET", "/v1/invoices/:id/lines", ["limit", "starting_after", "ending_before"], ({ core, params }) =>
    getOr404(core.state.invoices, "invoice", params["id"] ?? "")["lines"]),
  route("GET", "/v1/invoices", [...LIST_PARAMS, "customer", "status", "subscription"], ({ core, query }) => {
    const subscription = optString(query, "subscription");
    const page = paginate(core.state.invoices.values(), query, "/v1/invoices", allOf(
      createdFilter(query), fieldEquals(query, "customer"), fieldEquals(query, "status"),
      subscription ? (invoice) => invoice["parent"]?.subscription_details?.subscription === subscription : undefined,
    ));
    return render(core, page, query);
  }),

  route("GET", "/v1/charges/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.charges, "charge", params["id"] ?? ""), query)),
  route("GET", "/v1/charges", [...LIST_PARAMS, "customer", "payment_intent"], ({ core, query }) =>
    render(core, paginate(core.state.charges.values(), query, "/v1/charges",
      allOf(createdFilter(query), fieldEquals(query, "customer"), fieldEquals(query, "payment_intent"))), query)),
  route("GET", "/v1/payment_intents/:id", ["client_secret"], ({ core, params, query }) =>
    render(core, getOr404(core.state.paymentIntents, "payment_intent", params["id"] ?? ""), query)),
  route("GET", "/v1/payment_intents", [...LIST_PARAMS, "customer"], ({ core, query }) =>
    paginate(core.state.paymentIntents.values(), query, "/v1/payment_intents", allOf(createdFilter(query), fieldEquals(query, "customer")))),
  route("GET", "/v1/disputes/:id", [], ({ core, params }) => getOr404(core.state.disputes, "dispute", params["id"] ?? "")),
  route("GET", "/v1/disputes", [...LIST_PARAMS, "charge", "payment_intent"], ({ core, query }) =>
    render(core, paginate(core.state.disputes.values(), query, "/v1/disputes",
      allOf(createdFilter(query), fieldEquals(query, "charge"), fieldEquals(query, "payment_intent"))), query)),

  route("POST", "/v1/refunds", ["charge", "payment_intent", "amount", "reason", "metadata"], ({ core, body }) => {
    let chargeId = optString(body, "charge");
    const paymentIntentId = optString(body, "payment_intent");
    if (!chargeId && paymentIntentId) {
      const pi = core.state.paymentIntents.get(paymentIntentId);
      if (pi === undefined) throw noSuchParam("payment_intent", paymentIntentId, "payment_intent");
      chargeId = pi["latest_charge"] ?? null;
      if (!chargeId) throw invalid(`PaymentIntent ${paymentIntentId} has no successful charge to refund.`, "payment_intent");
    }
    if (!chargeId) throw missingParam("charge");
    const target = core.state.charges.get(chargeId);
    if (target === undefined) throw noSuchParam("charge", chargeId, "charge");
    const amount = optInt(body, "amount") ?? undefined;
    return render(core, refund(core, target, amount, {
      reason: optString(body, "reason") ?? null, metadata: applyMetadata({}, body["metadata"]),
    }), body);
  }),
  route("GET", "/v1/refunds/:id", [], ({ core, params, query }) =>
    render(core, getOr404(core.state.refunds, "refund", params["id"] ?? ""), query)),
  route("GET", "/v1/refunds", [...LIST_PARAMS, "charge", "payment_intent"], ({ core, query }) =>
    render(core, paginate(core.state.refunds.values(), query, "/v1/refunds", allOf(createdFilter(query), fieldEquals(query, "charge"), fieldEquals(query, "payment_intent"))), query)),

  route("GET", "/v1/events/:id", [], ({ core, params }) => {
    const event = core.state.events.find((candidate) => candidate["id"] === params["id"]);
    if (event === undefined) throw noSuch("event", params["id"] ?? "");
    return event;
  }),
  route("GET", "/v1/events", [...LIST_PARAMS, "type", "types", "delivery_success"], ({ core, query }) =>
    // The log is newest first; `paginate` expects creation order.
    paginate([...core.state.events].reverse(), query, "/v1/events", allOf(createdFilter(query), eventTypeFilter(query)))),
];
