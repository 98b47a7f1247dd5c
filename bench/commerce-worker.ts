// Stripe's side of the commerce benchmarks, on a thread of its own: the fake Stripe API the
// bot calls, the buyers who complete their checkouts, and Stripe's webhook delivery with a
// fixed number of requests in flight. The measured event loop then carries only the bot.
import { Agent } from "node:http";
import { parentPort } from "node:worker_threads";
import Stripe from "stripe";
import { META } from "../src/commerce/checkout-service.js";
import { type FakeStripe, postWebhook, signedWebhook, type StripeObject, startFakeStripe } from "../test/fakes/stripe/index.js";
import { inParallel } from "./commerce-parallel.js";

export type StripeRequest =
  | { id: number; kind: "start"; now?: number }
  | { id: number; kind: "open-checkouts"; buyers: Buyer[]; priceId: string }
  | { id: number; kind: "complete-checkouts"; sessionIds: string[]; types: string[]; deliverLater: boolean }
  | { id: number; kind: "deliver"; url: string; secret: string; inFlight: number; count: number }
  | { id: number; kind: "stop" };

/** A running fake, with the monthly price the community sells. */
export interface Started {
  url: string;
  priceId: string;
}

/** Who buys what, as Guildhall names them in its Checkout Sessions' metadata. */
export interface Buyer {
  memberId: string;
  communityId: string;
  itemId: string;
}

/** An open Checkout Session, as the bot stores it. */
export interface Opened {
  id: string;
  url: string;
  expiresAt: number;
}

/** What completing checkouts produced: the subscriptions, and the events of the types asked for. */
export interface Completed {
  subscriptions: StripeObject[];
  events: { id: string; type: string; created: number }[];
}

/** Per-delivery latency (ms), answers counted by outcome (or HTTP status), and the wall time. */
export interface Delivered {
  latencies: number[];
  outcomes: Record<string, number>;
  wallMs: number;
}

let stripe: FakeStripe | undefined;
/** Events completed checkouts caused, oldest first, waiting to be delivered. */
let queue: StripeObject[] = [];

async function handle(request: StripeRequest): Promise<unknown> {
  switch (request.kind) {
    case "start": {
      await stripe?.close();
      stripe = await startFakeStripe(request.now === undefined ? {} : { now: request.now });
      queue = [];
      const product = stripe.createProduct({ name: "Pro membership" });
      const price = stripe.createPrice({ product: product.id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } });
      return { url: stripe.url, priceId: price.id } satisfies Started;
    }
    case "open-checkouts":
      return openCheckouts(request.buyers, request.priceId);
    case "complete-checkouts":
      return completeCheckouts(request.sessionIds, new Set(request.types), request.deliverLater);
    case "deliver":
      return deliver(request.url, request.secret, request.inFlight, queue.splice(0, request.count));
    case "stop":
      await stripe?.close();
      stripe = undefined;
      return null;
  }
}

/**
 * Opens a subscription Checkout Session per buyer through the fake's API, with the
 * parameters CheckoutService sends: a quicker stand-in for thousands of /buy commands.
 */
async function openCheckouts(buyers: Buyer[], priceId: string): Promise<Opened[]> {
  const client = new Stripe("sk_test_bench", stripe!.clientOptions);
  return inParallel(buyers, 50, async (buyer) => {
    const metadata = { [META.member]: buyer.memberId, [META.community]: buyer.communityId, [META.item]: buyer.itemId };
    const session = await client.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: priceId, quantity: 1 }],
      client_reference_id: buyer.memberId,
      metadata,
      subscription_data: { metadata },
      success_url: "https://example.com/back",
      cancel_url: "https://example.com/back",
    });
    return { id: session.id, url: session.url!, expiresAt: session.expires_at };
  });
}

/** Completes each session as its buyer would; the events of `types` are returned, and queued for `deliver` if asked. */
function completeCheckouts(sessionIds: string[], types: Set<string>, deliverLater: boolean): Completed {
  const fake = stripe!;
  const completed: Completed = { subscriptions: [], events: [] };
  for (const sessionId of sessionIds) {
    const events = fake.completeCheckout(sessionId).filter((e) => types.has(String(e.type)));
    if (deliverLater) queue.push(...events);
    completed.events.push(...events.map((e) => ({ id: String(e.id), type: String(e.type), created: Number(e.created) })));
    const subscriptionId = fake.state.checkoutSessions.get(sessionId)?.["subscription"];
    const subscription = subscriptionId ? fake.state.subscriptions.get(String(subscriptionId)) : undefined;
    if (subscription) completed.subscriptions.push(subscription);
  }
  return completed;
}

/** POSTs each event, signed as Stripe signs it, with exactly `inFlight` requests outstanding. */
async function deliver(url: string, secret: string, inFlight: number, events: StripeObject[]): Promise<Delivered> {
  const bodies = events.map((event) => signedWebhook(event, secret));
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const delivered: Delivered = { latencies: [], outcomes: {}, wallMs: 0 };
  let next = 0;
  const sender = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const started = performance.now();
      const answer = await postWebhook(url, body.payload, body.header, agent);
      delivered.latencies.push(performance.now() - started);
      const outcome = answer.status === 200 ? String((JSON.parse(answer.body) as { outcome?: unknown }).outcome) : `HTTP ${answer.status}`;
      delivered.outcomes[outcome] = (delivered.outcomes[outcome] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, sender));
  delivered.wallMs = performance.now() - started;
  agent.destroy();
  return delivered;
}

parentPort!.on("message", (request: StripeRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
