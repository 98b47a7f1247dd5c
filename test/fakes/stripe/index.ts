/**
 * A small stateful fake of the Stripe API for the endpoints a course and membership bot calls,
 * with simulations of what buyers and billing do (paying, renewals, refunds) and signed webhook
 * delivery. Point stripe-node at it with `new Stripe(key, { ...fake.clientOptions })`.
 */
export { startFakeStripe, type FakeStripe } from "./fake.js";
export { deliverWebhook, postWebhook, signedWebhook } from "../../../src/commerce/simulated/stripe/webhooks.js";
export { FAKE_API_VERSION } from "../../../src/commerce/simulated/stripe/core.js";
export type { CustomerInput, PriceInput, ProductInput } from "../../../src/commerce/simulated/stripe/catalog.js";
export type { CompleteCheckoutOptions } from "../../../src/commerce/simulated/stripe/simulate-checkout.js";
export type { FakeStripeState, InjectedResponse, Params, RecordedCall, StripeObject } from "../../../src/commerce/simulated/stripe/types.js";
