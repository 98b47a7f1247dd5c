import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { noSuch } from "./errors.js";
import { publicView } from "./views.js";
import { createState, type FakeStripeState, type StripeObject } from "./types.js";

/** The API version stamped on events: the one the installed stripe-node pins by default. */
export const FAKE_API_VERSION: string = Stripe.API_VERSION;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export interface RequestContext {
  id: string | null;
  idempotency_key: string | null;
}

const NO_REQUEST: RequestContext = { id: null, idempotency_key: null };

/**
 * State, clock, ids and the event log shared by the HTTP routes and the test-side simulations.
 * The clock is frozen: it only moves through `setNow` (or a renewal that reaches a period end).
 */
export class FakeCore {
  readonly state: FakeStripeState = createState();
  baseUrl = "";
  /** The API request being handled, recorded on the events it causes. */
  request: RequestContext = NO_REQUEST;
  private clock: number;

  constructor(now: number) {
    this.clock = Math.floor(now);
  }

  now(): number {
    return this.clock;
  }

  setNow(seconds: number): void {
    this.clock = Math.floor(seconds);
  }

  /** Runs `work` with `request` as the cause of the events it emits. */
  withRequest<T>(request: RequestContext, work: () => T): T {
    const previous = this.request;
    this.request = request;
    try {
      return work();
    } finally {
      this.request = previous;
    }
  }

  id(prefix: string, length = 24): string {
    const bytes = randomBytes(length);
    let suffix = "";
    for (const byte of bytes) suffix += BASE62[byte % 62];
    return `${prefix}_${suffix}`;
  }

  /** Records an event with a snapshot of `object` as it is now, and returns the event. */
  emit(type: string, object: StripeObject, previousAttributes?: StripeObject): StripeObject {
    // A snapshot: later changes to the object must not reach events already sent.
    const data: StripeObject = { object: structuredClone(publicView(object)) };
    if (previousAttributes !== undefined) data["previous_attributes"] = structuredClone(previousAttributes);
    const event: StripeObject = {
      id: this.id("evt"),
      object: "event",
      api_version: FAKE_API_VERSION,
      created: this.clock,
      data,
      livemode: false,
      pending_webhooks: 1,
      request: { ...this.request },
      type,
    };
    this.state.events.unshift(event);
    return event;
  }

  /** Looks an id up in every object store; used by `expand[]`. */
  find(id: string): StripeObject | undefined {
    const s = this.state;
    const stores = [s.products, s.prices, s.customers, s.coupons, s.promotionCodes, s.checkoutSessions, s.subscriptions,
      s.invoices, s.paymentIntents, s.charges, s.refunds, s.disputes, s.portalSessions];
    for (const store of stores) {
      const found = store.get(id);
      if (found !== undefined) return found;
    }
    return s.events.find((event) => event["id"] === id);
  }
}

/** Gets an object or throws Stripe's 404 `resource_missing`. */
export function getOr404(store: Map<string, StripeObject>, objectName: string, id: string): StripeObject {
  const found = store.get(id);
  if (found === undefined) throw noSuch(objectName, id);
  return found;
}

/** Top-level fields of `before` that differ in `after`: an event's `previous_attributes`. */
export function previousAttributes(before: StripeObject, after: StripeObject): StripeObject {
  const changed: StripeObject = {};
  for (const [key, value] of Object.entries(before)) {
    if (JSON.stringify(value) !== JSON.stringify(after[key])) changed[key] = structuredClone(value);
  }
  return changed;
}
