// One purchase sends a burst of webhooks (checkout.session.completed,
// customer.subscription.created, invoice.paid, …), each naming the same member, within a
// second or two. Syncing after each costs a full platform sync per webhook; waiting for the
// burst to end costs one. A lone webhook waits only the quiet period.

/** How a burst is recognised: webhooks for one member with gaps shorter than `quietMs`. */
export interface BurstSettings {
  /** A member's sync starts once no webhook has named them for this long… */
  readonly quietMs: number;
  /** …and none is still being applied, or at the latest this long after the burst's first webhook. */
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
 * request for that key and with no hold open, or `maxWaitMs` after the first request. A hold
 * covers work that may still request a key it cannot name yet (a webhook being applied, whose
 * members are known only at the end), so a slow member of a burst does not split it. `run`
 * must not throw.
 */
export class BurstCoalescer {
  readonly #pending = new Map<string, Pending>();
  /** Keys whose quiet period is over, waiting for the holds to close. */
  readonly #waiting = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  #holds = 0;

  constructor(
    private readonly settings: BurstSettings,
    private readonly run: (key: string) => Promise<void>,
  ) {}

  request(key: string): void {
    const now = performance.now();
    const pending = this.#pending.get(key);
    this.#waiting.delete(key);
    if (pending) {
      clearTimeout(pending.timer);
      pending.timer = this.#arm(key, Math.min(this.settings.quietMs, pending.firstAt + this.settings.maxWaitMs - now));
      return;
    }
    this.#pending.set(key, { firstAt: now, timer: this.#arm(key, this.settings.quietMs) });
  }

  /** Opens a hold; call the returned function (once) when the held work is done. */
  hold(): () => void {
    this.#holds += 1;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.#holds -= 1;
      if (this.#holds === 0) for (const key of [...this.#waiting]) this.#start(key);
    };
  }

  /** Resolves once every burst requested so far has been run (tests, and shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0 || this.#running.size > 0) {
      if (this.#running.size > 0) await Promise.all(this.#running);
      else await new Promise((resolve) => setTimeout(resolve, this.settings.quietMs / 4));
    }
  }

  #arm(key: string, delayMs: number): NodeJS.Timeout {
    return setTimeout(() => this.#quiet(key), Math.max(0, delayMs));
  }

  /** The key's quiet period (or its longest wait) is over. */
  #quiet(key: string): void {
    const pending = this.#pending.get(key);
    if (!pending) return;
    const left = pending.firstAt + this.settings.maxWaitMs - performance.now();
    if (this.#holds === 0 || left <= 0) return this.#start(key);
    this.#waiting.add(key);
    pending.timer = this.#arm(key, left);
  }

  #start(key: string): void {
    const pending = this.#pending.get(key);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(key);
    this.#waiting.delete(key);
    const running = this.run(key).finally(() => this.#running.delete(running));
    this.#running.add(running);
  }
}
