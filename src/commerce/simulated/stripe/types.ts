/**
 * Shared types of the Stripe fake. Stripe objects are loose JSON here on purpose: the fake
 * shapes what the API returns, and tests read it the way a webhook handler would.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Stripe JSON is read freely in tests
export type StripeObject = Record<string, any>;

/** A decoded form or query: bracket notation turned into nested objects and arrays. */
export type Params = StripeObject;

/** Everything the fake stores, by id, in creation order. Tests may read and seed it directly. */
export interface FakeStripeState {
  products: Map<string, StripeObject>;
  prices: Map<string, StripeObject>;
  customers: Map<string, StripeObject>;
  coupons: Map<string, StripeObject>;
  promotionCodes: Map<string, StripeObject>;
  checkoutSessions: Map<string, StripeObject>;
  /** Line items of each checkout session; Stripe returns them only through expand or the sub-list. */
  checkoutLineItems: Map<string, StripeObject[]>;
  /** The create params of each checkout session (subscription_data and the like), used on completion. */
  checkoutParams: Map<string, Params>;
  subscriptions: Map<string, StripeObject>;
  invoices: Map<string, StripeObject>;
  paymentIntents: Map<string, StripeObject>;
  charges: Map<string, StripeObject>;
  refunds: Map<string, StripeObject>;
  disputes: Map<string, StripeObject>;
  portalSessions: Map<string, StripeObject>;
  /** Newest first, as `GET /v1/events` returns them. */
  events: StripeObject[];
}

export function createState(): FakeStripeState {
  return {
    products: new Map(),
    prices: new Map(),
    customers: new Map(),
    coupons: new Map(),
    promotionCodes: new Map(),
    checkoutSessions: new Map(),
    checkoutLineItems: new Map(),
    checkoutParams: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    disputes: new Map(),
    portalSessions: new Map(),
    events: [],
  };
}

/** A recorded request, in arrival order. */
export interface RecordedCall {
  method: string;
  /** Path without the query string, e.g. `/v1/checkout/sessions`. */
  path: string;
  body: Params;
  query: Params;
  idempotencyKey?: string;
  /** Wall-clock milliseconds (Date.now()) when the request arrived: useful to measure retries. */
  at: number;
  /** The HTTP status and JSON body the fake answered with (pages other than the API leave them unset). */
  status?: number;
  response?: unknown;
}

/** A canned answer for `failNext`. */
export interface InjectedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
