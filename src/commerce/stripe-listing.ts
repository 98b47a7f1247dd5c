import type Stripe from "stripe";
import { type Retrier, retrier, type Sleep } from "../core/retry.js";

/** stripe-node does not retry a 429 itself: wait and try again, up to 5 tries in all. */
const RATE_LIMITED = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/**
 * Reads Stripe lists page by page (100 a page), counting every API call so a run can
 * report what it cost, and backing off on 429.
 */
export class StripeLister {
  calls = 0;
  readonly #retry: Retrier;

  constructor(sleep?: Sleep) {
    this.#retry = retrier({ retry: RATE_LIMITED, ...(sleep ? { sleep } : {}) }, (error) => ((error as { statusCode?: number }).statusCode === 429 ? 0 : undefined));
  }

  async *all<T extends { id: string }>(page: (params: { limit: number; starting_after?: string }) => Promise<Stripe.ApiList<T>>): AsyncGenerator<T> {
    let after: string | undefined;
    for (;;) {
      const list = await this.one(() => page({ limit: 100, ...(after ? { starting_after: after } : {}) }));
      for (const item of list.data) yield item;
      if (!list.has_more || list.data.length === 0) return;
      after = list.data[list.data.length - 1]!.id;
    }
  }

  /** One call, counted (each try counts) and retried on 429. */
  one<T>(call: () => Promise<T>): Promise<T> {
    return this.#retry(() => {
      this.calls++;
      return call();
    });
  }
}
