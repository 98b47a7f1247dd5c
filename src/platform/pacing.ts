// Pacing for fan-out: requests leave one at a time, evenly spaced, so a server that counts
// any sliding one-second window never sees more than the rate it allows. Bursting a whole
// second's allowance at once (what discord.js's own global limiter does at each window
// start) can put twice the limit into a window that straddles two of them.
import { InternalError } from "../core/errors.js";

/** Time as the pacer sees it; tests pass a fake one that never really sleeps. */
export interface PacerClock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacerClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Discord allows 50 requests per second per bot token across all routes. Two under leaves
 * room for the jitter between a request's start here and its arrival there (a GC pause, a
 * busy core): 51 starts in a row span more than 1.03 s. At 49 a second, the delivery
 * benchmark still drew a handful of 429s in 15,000 requests on a loaded machine.
 * The default: DISCORD_REQUESTS_PER_SECOND in the environment sets the pace for a bot whose
 * limit Discord has raised (config.discord.requestsPerSecond).
 */
export const DISCORD_REQUESTS_PER_SECOND = 48;
/** Slack allows about one message per second per channel (chat.postMessage). */
export const SLACK_POSTS_PER_CHANNEL_PER_SECOND = 1;

const WINDOW_MS = 1000;
/**
 * How close two starts may come, in beats, while a late start is being made up. Slightly under
 * one beat absorbs the millisecond or two a timer usually fires late without ever bunching
 * requests up: `perSecond + 1` starts in a row still span more than a second by 0.9 of a beat.
 */
const MIN_GAP_BEATS = 0.9;

/** What requests wait at before they go on the wire: a Pacer here, or a SharedPacer across processes (shared-pacing.ts). */
export interface PaceGate {
  wait(signal?: AbortSignal): Promise<void>;
}

/** A gate per key (a Slack channel): a KeyedPacer, or a SharedKeyedPacer. */
export interface KeyedPaceGate {
  wait(key: string, signal?: AbortSignal): Promise<void>;
}

export interface PacerOptions {
  readonly perSecond: number;
  readonly clock?: PacerClock;
}

/**
 * Lets requests start one at a time, first come first served, on an even beat of
 * `1000 / perSecond` ms, and guarantees on the times starts really happened that:
 * - no window of one second holds more than `perSecond` starts (the last `perSecond` are kept);
 * - no two starts are closer than {@link MIN_GAP_BEATS} of a beat.
 * A timer that fires late (a busy event loop) delays a start, and the next ones are still due
 * on the beat, so the delay is made up (within both guarantees) instead of piling up into a
 * lower rate; a caller arriving after a quiet spell starts at once.
 */
export class Pacer implements PaceGate {
  readonly intervalMs: number;
  readonly #perWindow: number;
  readonly #clock: PacerClock;
  /** When the last start was due on the beat (it may have happened a little later). */
  #due = Number.NEGATIVE_INFINITY;
  /** When the last `#perWindow` starts happened, oldest first. */
  readonly #starts: number[] = [];
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;

  constructor(opts: PacerOptions) {
    if (!(opts.perSecond > 0)) throw new InternalError("bad_pacer_rate", `a pacer needs a positive rate, not ${opts.perSecond}`);
    this.intervalMs = WINDOW_MS / opts.perSecond;
    this.#perWindow = Math.max(1, Math.floor(opts.perSecond));
    this.#clock = opts.clock ?? realPacerClock;
  }

  /**
   * Resolves when the caller may start its request. A caller whose `signal` aborts before its
   * turn comes is rejected with the abort reason and uses no slot.
   */
  wait(signal?: AbortSignal): Promise<void> {
    this.#waiting += 1;
    const arrived = this.#clock.now();
    const turn = this.#tail.then(() => this.#take(arrived, signal)).finally(() => (this.#waiting -= 1));
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** Requests waiting for their turn. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Nobody is waiting and a request arriving now would start at once. */
  get idle(): boolean {
    const now = this.#clock.now();
    return this.#waiting === 0 && this.#earliest(Math.max(this.#due + this.intervalMs, now)) <= now;
  }

  async #take(arrived: number, signal: AbortSignal | undefined): Promise<void> {
    // On the beat after the last one, or when the caller came if the pacer was quiet then.
    const due = Math.max(this.#due + this.intervalMs, arrived);
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.#earliest(due) - this.#clock.now();
      // Float sums can leave a remainder no clock would notice; it is not worth a sleep.
      if (waitMs <= 1e-6) break;
      await this.#clock.sleep(waitMs);
    }
    this.#due = due;
    this.#starts.push(this.#clock.now());
    if (this.#starts.length > this.#perWindow) this.#starts.shift();
  }

  /** The earliest a start due at `due` may happen without breaking either guarantee. */
  #earliest(due: number): number {
    const last = this.#starts.at(-1) ?? Number.NEGATIVE_INFINITY;
    const windowFull = this.#starts.length >= this.#perWindow;
    return Math.max(due, last + this.intervalMs * MIN_GAP_BEATS, windowFull ? this.#starts[0]! + WINDOW_MS : Number.NEGATIVE_INFINITY);
  }
}

/** What a {@link PacerMap} keeps per key: a gate that can say when it has nothing to do. */
export interface IdlePacer {
  wait(signal?: AbortSignal): Promise<void>;
  readonly idle: boolean;
}

/**
 * One pacer per key, made on first use: requests for different keys never wait on each
 * other. Pacers with nothing to do are dropped as the map grows; `onSweep` runs after each
 * drop (the shared pacer also forgets idle keys in the database then).
 */
export class PacerMap<P extends IdlePacer> implements KeyedPaceGate {
  readonly #pacers = new Map<string, P>();
  #sweepAt: number;

  constructor(
    private readonly make: (key: string) => P,
    private readonly sweepAbove = 1000,
    private readonly onSweep: () => void = () => undefined,
  ) {
    this.#sweepAt = sweepAbove;
  }

  wait(key: string, signal?: AbortSignal): Promise<void> {
    let pacer = this.#pacers.get(key);
    if (!pacer) {
      if (this.#pacers.size >= this.#sweepAt) this.#sweep();
      pacer = this.make(key);
      this.#pacers.set(key, pacer);
    }
    return pacer.wait(signal);
  }

  /** Keys currently remembered (busy or recently used). */
  get size(): number {
    return this.#pacers.size;
  }

  #sweep(): void {
    for (const [key, pacer] of this.#pacers) if (pacer.idle) this.#pacers.delete(key);
    // When most keys are busy, sweeping again on the very next key would cost O(n) per key.
    this.#sweepAt = Math.max(this.sweepAbove, this.#pacers.size * 2);
    this.onSweep();
  }
}

/** One {@link Pacer} per key (a Slack channel, say), in this process. */
export class KeyedPacer extends PacerMap<Pacer> {
  constructor(opts: PacerOptions, sweepAbove = 1000) {
    super(() => new Pacer(opts), sweepAbove);
  }
}
