/**
 * A small stateful fake of the Stripe API for the endpoints a course and membership bot calls,
 * with simulations of what buyers and billing do (paying, renewals, refunds) and signed webhook
 * delivery. Point stripe-node at it with `new Stripe(key, { ...fake.clientOptions })`.
 */
export { startFakeStripe, type FakeStripe } from "./fake.js";
export { deliverWebhook, postWebhook, signedWebhook } from "./webhooks.js";
export { FAKE_API_VERSION } from "./core.js";
export type { CustomerInput, PriceInput, ProductInput } from "./catalog.js";
export type { CompleteCheckoutOptions } from "./simulate-checkout.js";
export type { FakeStripeState, InjectedResponse, Params, RecordedCall, StripeObject } from "./types.js";
