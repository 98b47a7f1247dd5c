import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { billingRoutes } from "../../../src/commerce/simulated/stripe/billing-routes.js";
import { catalogRoutes, makeCustomer, makePrice, makeProduct, type CustomerInput, type PriceInput, type ProductInput } from "../../../src/commerce/simulated/stripe/catalog.js";
import { checkoutRoutes } from "../../../src/commerce/simulated/stripe/checkout.js";
import { FakeCore } from "../../../src/commerce/simulated/stripe/core.js";
import {
  cancelSubscriptionAtPeriodEnd, deleteSubscription, disputeCharge, failSubscriptionPayment, refundCharge, renewSubscription,
} from "../../../src/commerce/simulated/stripe/lifecycle.js";
import { exhaustRetries } from "../../../src/commerce/simulated/stripe/dunning.js";
import { createPages } from "../../../src/commerce/simulated/stripe/pages.js";
import { promotionRoutes } from "../../../src/commerce/simulated/stripe/promotions.js";
import { createListener, type FailureRule } from "../../../src/commerce/simulated/stripe/server.js";
import { asyncPaymentResult, completeCheckout, expireCheckout, expireDueSessions, type CompleteCheckoutOptions } from "../../../src/commerce/simulated/stripe/simulate-checkout.js";
import type { FakeStripeState, InjectedResponse, RecordedCall, StripeObject } from "../../../src/commerce/simulated/stripe/types.js";

/** A running fake of the Stripe API on 127.0.0.1. */
export interface FakeStripe {
  /** `http://127.0.0.1:PORT` (what STRIPE_API_URL should be). */
  url: string;
  /** Spread into `new Stripe(key, { ...fake.clientOptions })`. Retries are off unless a test turns them on. */
  clientOptions: { host: string; port: number; protocol: "http"; maxNetworkRetries: number };
  /** Every request, in arrival order (including replays and `failNext` answers). */
  calls: RecordedCall[];
  /** The stored objects, for assertions and for seeding shapes the helpers do not cover. */
  state: FakeStripeState;
  createProduct(p: ProductInput): StripeObject;
  createPrice(p: PriceInput): StripeObject;
  createCustomer(c: CustomerInput): StripeObject;
  /**
   * Simulates the buyer paying a checkout session and returns the events it caused, oldest first.
   * Subscriptions are created `incomplete` and activated when the first invoice is paid (or
   * `trialing` with `subscription_data[trial_period_days]`). `paymentStatus: "unpaid"` simulates
   * a delayed payment method; settle it with `asyncPaymentResult`.
   */
  completeCheckout(sessionId: string, opts?: CompleteCheckoutOptions): StripeObject[];
  asyncPaymentResult(sessionId: string, ok: boolean): StripeObject[];
  expireCheckout(sessionId: string): StripeObject[];
  /** A paid renewal: next period and a paid invoice (from past_due: the retry succeeds; with cancel_at_period_end: the subscription ends). */
  renewSubscription(subId: string): StripeObject[];
  /** A failed renewal: next period, `invoice.payment_failed`, status past_due (from past_due: another failed retry). */
  failSubscriptionPayment(subId: string): StripeObject[];
  cancelSubscriptionAtPeriodEnd(subId: string): StripeObject[];
  /** Retries of a past-due renewal ran out: the subscription is canceled for non-payment, or left `unpaid`. */
  exhaustRetries(subId: string, then: "cancel" | "unpaid"): StripeObject[];
  deleteSubscription(subId: string): StripeObject[];
  refundCharge(chargeId: string, amount?: number): StripeObject[];
  disputeCharge(chargeId: string): StripeObject[];
  /** Sets the fake's clock (seconds); open checkout sessions past `expires_at` expire. */
  setNow(seconds: number): void;
  now(): number;
  /** All events, newest first (the same array as `state.events`). */
  readonly events: StripeObject[];
  /** Answers the next `times` requests matching `pred` with `response` instead of handling them. */
  failNext(pred: (call: { method: string; path: string }) => boolean, response: InjectedResponse, times?: number): void;
  /** From now on, requests with this secret key get Stripe's 401 (a key rolled or deleted in the dashboard). */
  rejectKey(secretKey: string): void;
  close(): Promise<void>;
}

/** Starts a fake on a free port. `now` (seconds) sets the clock, which otherwise starts at the real time and stays there. */
export async function startFakeStripe(opts: { now?: number } = {}): Promise<FakeStripe> {
  const core = new FakeCore(opts.now ?? Date.now() / 1000);
  const calls: RecordedCall[] = [];
  const failures: FailureRule[] = [];
  const rejectedKeys = new Set<string>();
  const server = createServer(createListener({
    core, calls, failures, rejectedKeys, routes: [...catalogRoutes, ...promotionRoutes, ...checkoutRoutes, ...billingRoutes],
    pages: createPages(core),
  }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  core.baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: core.baseUrl,
    clientOptions: { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 },
    calls,
    state: core.state,
    createProduct: (p) => makeProduct(core, p),
    createPrice: (p) => makePrice(core, p),
    createCustomer: (c) => makeCustomer(core, c),
    completeCheckout: (id, options) => completeCheckout(core, id, options),
    asyncPaymentResult: (id, ok) => asyncPaymentResult(core, id, ok),
    expireCheckout: (id) => expireCheckout(core, id),
    renewSubscription: (id) => renewSubscription(core, id),
    failSubscriptionPayment: (id) => failSubscriptionPayment(core, id),
    cancelSubscriptionAtPeriodEnd: (id) => cancelSubscriptionAtPeriodEnd(core, id),
    exhaustRetries: (id, then) => exhaustRetries(core, id, then),
    deleteSubscription: (id) => deleteSubscription(core, id),
    refundCharge: (id, amount) => refundCharge(core, id, amount),
    disputeCharge: (id) => disputeCharge(core, id),
    setNow: (seconds) => {
      core.setNow(seconds);
      expireDueSessions(core);
    },
    now: () => core.now(),
    get events() {
      return core.state.events;
    },
    failNext: (pred, response, times = 1) => {
      failures.push({ pred, response, remaining: times });
    },
    rejectKey: (secretKey) => {
      rejectedKeys.add(secretKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
