import { AsyncLocalStorage } from "node:async_hooks";
import type Stripe from "stripe";

/** The tally of the work being measured (each `request` stripe-node sends, retries included). */
const tally = new AsyncLocalStorage<{ calls: number }>();
const counted = new WeakSet<Stripe>();

/**
 * Runs `work` and counts every request it makes through `stripe`, at the client: list pages,
 * retries after a 429, and the re-reads of the applier it calls alike. Requests made at the
 * same time by other work (webhooks in the same process) are not counted, as the tally follows
 * the async context of `work`.
 */
export async function countStripeCalls<T>(stripe: Stripe, work: (calls: () => number) => Promise<T>): Promise<T> {
  if (!counted.has(stripe)) {
    counted.add(stripe);
    stripe.on("request", () => {
      const current = tally.getStore();
      if (current) current.calls++;
    });
  }
  const mine = { calls: 0 };
  return tally.run(mine, () => work(() => mine.calls));
}
