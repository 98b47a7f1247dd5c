// One purchase sends a burst of webhooks (checkout.session.completed,
// customer.subscription.created, invoice.paid, …), each naming the same member, within a
// second or two. Syncing after each costs a full platform sync per webhook; waiting for the
// burst to end costs one. A lone webhook waits only the quiet period.

/** How a burst is recognised: webhooks for one member with gaps shorter than `quietMs`. */
export interface BurstSettings {
  /** A member's sync starts once no webhook has named them for this long. */
  readonly quietMs: number;
  /** …or this long after the burst's first webhook, so a steady stream still gets synced. */
  readonly maxWaitMs: number;
}

/** One second of quiet: long enough for Stripe's burst for a checkout, short next to a redirect back from Checkout. */
export const DEFAULT_BURST: BurstSettings = { quietMs: 1000, maxWaitMs: 5000 };

interface Pending {
  readonly firstAt: number;
  timer: NodeJS.Timeout;
}

/**
 * Calls `run(key)` once per burst of `request(key)` calls: after `quietMs` without another
 * request for that key, or `maxWaitMs` after the first. `run` must not throw.
 */
export class BurstCoalescer {
  readonly #pending = new Map<string, Pending>();
  readonly #running = new Set<Promise<void>>();

  constructor(
    private readonly settings: BurstSettings,
    private readonly run: (key: string) => Promise<void>,
  ) {}

  request(key: string): void {
    const now = performance.now();
    const pending = this.#pending.get(key);
    if (pending) {
      clearTimeout(pending.timer);
      pending.timer = this.#arm(key, Math.min(this.settings.quietMs, pending.firstAt + this.settings.maxWaitMs - now));
      return;
    }
    this.#pending.set(key, { firstAt: now, timer: this.#arm(key, this.settings.quietMs) });
  }

  /** Resolves once every burst requested so far has been run (tests, and shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0 || this.#running.size > 0) {
      if (this.#running.size > 0) await Promise.all(this.#running);
      else await new Promise((resolve) => setTimeout(resolve, this.settings.quietMs / 4));
    }
  }

  #arm(key: string, delayMs: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.#pending.delete(key);
      const running = this.run(key).finally(() => this.#running.delete(running));
      this.#running.add(running);
    }, Math.max(0, delayMs));
  }
}
