import type Stripe from "stripe";

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads Stripe lists page by page (100 a page), counting every API call so a run can
 * report what it cost, and backing off on 429 (stripe-node does not retry those itself).
 */
export class StripeLister {
  calls = 0;

  constructor(
    private readonly sleep: Sleep = realSleep,
    private readonly maxAttempts = 5,
  ) {}

  async *all<T extends { id: string }>(page: (params: { limit: number; starting_after?: string }) => Promise<Stripe.ApiList<T>>): AsyncGenerator<T> {
    let after: string | undefined;
    for (;;) {
      const list = await this.#withBackoff(() => page({ limit: 100, ...(after ? { starting_after: after } : {}) }));
      for (const item of list.data) yield item;
      if (!list.has_more || list.data.length === 0) return;
      after = list.data[list.data.length - 1]!.id;
    }
  }

  /** One call, counted and retried on 429. */
  async one<T>(call: () => Promise<T>): Promise<T> {
    return this.#withBackoff(call);
  }

  async #withBackoff<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.calls++;
      try {
        return await call();
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== 429 || attempt >= this.maxAttempts) throw error;
        await this.sleep(Math.min(500 * 2 ** (attempt - 1), 8000));
      }
    }
  }
}
