// Verified Stripe webhook events applied per second: members buy through /buy, the Stripe
// thread completes their checkouts and delivers the resulting events, signed, to the bot's
// own HTTP server with a fixed number in flight.
import { HANDLED_EVENTS } from "../src/commerce/stripe-event-applier.js";
import { STRIPE_WEBHOOK_PATH, stripeWebhookRoute } from "../src/commerce/stripe-webhook.js";
import type { DatabaseTarget } from "../src/db/target.js";
import { HttpServer } from "../src/http/http-server.js";
import { memoryLogger } from "../test/support/logger.js";
import { inParallel } from "./commerce-parallel.js";
import { discordUserIds, openShop, type StripeThread } from "./commerce-setup.js";
import type { Completed, Delivered } from "./commerce-worker.js";
import { percentile } from "./stats.js";

const SECRET = "whsec_bench_guildhall";
/** Handled events one subscription checkout causes on the fake: checkout.session.completed, customer.subscription.created and .updated, invoice.paid. */
const EVENTS_PER_CHECKOUT = 4;

export interface WebhookRow {
  readonly backend: string;
  readonly inFlight: number;
  readonly events: number;
  /** Answers by outcome: "applied" for all of them when every event was new and verified. */
  readonly outcomes: Record<string, number>;
  /** Events applied (answered 200 "applied") per second of the whole delivery. */
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Bot event-loop time per event (ms). */
  readonly busy: number;
  /** Errors the bot logged while answering, by message. */
  readonly errors: Record<string, number>;
}

export async function measureWebhooks(backend: string, target: DatabaseTarget, thread: StripeThread, opts: { events: number; warmup: number; inFlight: number }): Promise<WebhookRow> {
  const { log, lines } = memoryLogger({ level: "error" });
  const shop = await openShop(target, thread, log);
  const http = new HttpServer(log);
  try {
    const total = opts.warmup + opts.events;
    const sessions = await inParallel(discordUserIds(Math.ceil(total / EVENTS_PER_CHECKOUT)), 10, (id) => shop.buy(id));
    const completed = await thread.call<Completed>({ kind: "complete-checkouts", sessionIds: sessions, types: [...HANDLED_EVENTS], deliverLater: true });
    if (completed.events.length < total) throw new Error(`${sessions.length} checkouts caused ${completed.events.length} events, fewer than ${total}`);

    // Wired as src/app.ts wires it: access follows each applied event, after the answer.
    const syncs = new Set<Promise<void>>();
    const onMembersChanged = (members: string[]) => {
      const sync = shop.runtime.services.accessSync.syncMembers(members).finally(() => syncs.delete(sync));
      syncs.add(sync);
    };
    http.route("POST", STRIPE_WEBHOOK_PATH, stripeWebhookRoute({ secret: SECRET, applier: shop.applier, log, onMembersChanged }));
    const url = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}${STRIPE_WEBHOOK_PATH}`;
    const deliver = (count: number) => thread.call<Delivered>({ kind: "deliver", url, secret: SECRET, inFlight: opts.inFlight, count });

    await deliver(opts.warmup); // JIT, connections, Prisma's query plans
    await Promise.all(syncs);
    const logged = lines().length;
    const elu = performance.eventLoopUtilization();
    const delivered = await deliver(opts.events);
    const busy = performance.eventLoopUtilization(elu).active / opts.events;
    await Promise.all(syncs);

    return {
      backend,
      inFlight: opts.inFlight,
      events: opts.events,
      outcomes: delivered.outcomes,
      perSecond: (delivered.outcomes.applied ?? 0) / (delivered.wallMs / 1000),
      p50: percentile(delivered.latencies, 50),
      p99: percentile(delivered.latencies, 99),
      busy,
      errors: countErrors(lines().slice(logged)),
    };
  } finally {
    await http.close();
    await shop.close();
  }
}

function countErrors(lines: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    const message = `${entry.msg ?? "error"}: ${entry.err?.message ?? "?"}`;
    counts[message] = (counts[message] ?? 0) + 1;
  }
  return counts;
}
