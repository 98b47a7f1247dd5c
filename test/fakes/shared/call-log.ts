// The part every fake shares: an ordered log of the calls it received, and a way for a test
// to wait until a call it expects has arrived.

interface Waiter<C> {
  pred: (c: C) => boolean;
  resolve: (c: C) => void;
}

/** Calls in arrival order, with waiters woken as matching calls are recorded. */
export class CallLog<C> {
  readonly calls: C[] = [];
  readonly #waiters = new Set<Waiter<C>>();

  /**
   * @param service names the fake in timeout messages ("Discord", "Slack").
   * @param describeCall one line per call, listed when a wait times out.
   */
  constructor(
    private readonly service: string,
    private readonly describeCall: (c: C) => string,
  ) {}

  record(call: C): void {
    this.calls.push(call);
    for (const waiter of [...this.#waiters]) {
      if (safeMatch(waiter.pred, call)) {
        this.#waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  /** The first call matching `pred`, already recorded or still to come; rejects after `timeoutMs` listing what arrived. */
  waitForCall(pred: (c: C) => boolean, timeoutMs = 5000): Promise<C> {
    const already = this.calls.find((c) => safeMatch(pred, c));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<C> = {
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No matching ${this.service} call within ${timeoutMs} ms. Recorded calls:\n${this.describe()}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** One line per call, for error messages. */
  describe(): string {
    if (this.calls.length === 0) return "  (none)";
    return this.calls.map((c) => `  ${this.describeCall(c)}`).join("\n");
  }
}

/** A predicate that throws on an unexpected shape (c.body.type on a GET) is a non-match, not a crash. */
export function safeMatch<C>(pred: (c: C) => boolean, call: C): boolean {
  try {
    return pred(call);
  } catch {
    return false;
  }
}

/** JSON shortened for one-line descriptions. */
export function abbreviate(value: unknown, max = 120): string {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
