// Bounded retries with exponential backoff, shared by the platform gateways and messengers
// and by the Stripe lists reconciliation reads.

/** How often and how patiently a transient failure is retried. */
export interface RetryPolicy {
  /** Tries in all, the first included (3 means up to 2 retries). */
  readonly attempts: number;
  /** Wait before the first retry; doubled before each further one. */
  readonly baseDelayMs: number;
  /** Upper bound of the backoff (a platform's Retry-After is honoured even when longer). */
  readonly maxDelayMs: number;
}

/** 3 tries, waiting 200 ms then 400 ms: long enough for a blip, short enough for a sync job. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5000 };

/** How retries wait; tests pass one that records the delays and resolves at once. */
export type Sleep = (ms: number) => Promise<void>;

/** Waits on a real timer. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether an error is worth another try: `undefined` when it is permanent, otherwise the
 * minimum wait in ms the platform asked for (0 when it did not say).
 */
export type TransientCheck = (error: unknown) => number | undefined;

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly transient: TransientCheck;
  /** Told before each wait, for logging. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `task`, retrying transient failures; the last error is rethrown for the caller to classify. */
export async function withRetry<T>(task: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      const askedMs = opts.transient(error);
      if (askedMs === undefined || attempt >= opts.policy.attempts) throw error;
      const backoffMs = Math.min(opts.policy.maxDelayMs, opts.policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.max(askedMs, backoffMs);
      opts.onRetry?.(error, attempt, delayMs);
      await opts.sleep(delayMs);
    }
  }
}

/** The retry knobs a gateway or messenger takes; both have production defaults. */
export interface RetrySettings {
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: Sleep;
}

/** Runs a task with the retries it was configured with. */
export type Retrier = <T>(task: () => Promise<T>) => Promise<T>;

/** A {@link withRetry} with its policy, wait and transient check fixed once. */
export function retrier(settings: RetrySettings, transient: TransientCheck, onRetry?: RetryOptions["onRetry"]): Retrier {
  const opts: RetryOptions = {
    policy: { ...DEFAULT_RETRY_POLICY, ...settings.retry },
    sleep: settings.sleep ?? realSleep,
    transient,
    ...(onRetry ? { onRetry } : {}),
  };
  return (task) => withRetry(task, opts);
}
