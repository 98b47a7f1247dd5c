// Pacing shared by every process on one token, through PostgreSQL: the rate is a budget per
// bot token (Discord) or per token and channel (Slack), not per process, so N processes do not
// send N times it. Each process reserves slots on the key's timeline (db/pace-timeline.ts), a
// few at a time, and starts one request per slot at the slot's moment. With PGlite there is one
// process and the in-process Pacer (pacing.ts) does the same without a database.
import { createHash } from "node:crypto";
import { InternalError } from "../core/errors.js";
import type { ReservedSlots } from "../db/pace-timeline.js";
import type { Logger } from "../log/logger.js";
import { type PaceGate, PacerMap, type PacerClock, realPacerClock } from "./pacing.js";

/** Where slots come from: PaceTimeline over the database. */
export interface SlotSource {
  reserve(key: string, count: number, intervalMs: number): Promise<ReservedSlots>;
  prune?(prefix: string, idleMs: number): Promise<number>;
}

/** A short, stable name for a token in the timeline's keys; the token itself is never stored. */
export function tokenKey(platform: string, token: string): string {
  return `${platform}:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
}

export interface SharedPacerOptions {
  /** The timeline's key, e.g. `discord:<tokenKey>`. */
  readonly key: string;
  readonly perSecond: number;
  readonly slots: SlotSource;
  /**
   * Most slots reserved per statement. More means fewer statements, but a process may hold
   * slots it ends up not using (they are lost, lowering the rate a little) and others queue
   * behind them. Default: about a sixth of a second's worth (8 for Discord's 48).
   */
  readonly batch?: number;
  readonly clock?: PacerClock;
  readonly log?: Logger;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  done: boolean;
}

/** How far apart the database's clock and ours are, from the reservation with the shortest round trip. */
interface Offset {
  readonly ms: number;
  readonly roundTrip: number;
  readonly at: number;
}

/** A measured offset is trusted this long before a slower round trip may replace it (clocks drift). */
const OFFSET_TRUST_MS = 60_000;
/**
 * The shortest span a start may use, in ms: one beat at Discord's default pace of 48 a second.
 * At a raised pace (hundreds a second) a slot is a few milliseconds, shorter than a busy
 * process's timers are late, so nearly every slot would be missed; consecutive slots are
 * therefore grouped into spans at least this long, whose starts may happen anywhere in them.
 */
const MIN_SPAN_MS = 1000 / 48;

/** How many slots a span groups at `perSecond`: 1 up to 48 a second, 5 at 240. */
export function slotsPerSpan(perSecond: number): number {
  return Math.max(1, Math.ceil((MIN_SPAN_MS * perSecond) / 1000 - 1e-9));
}

/**
 * Requests wait for a slot on the key's shared timeline. Slots are disjoint spans of the
 * database's clock, each at least `1000 / perSecond` ms long, handed out to all processes in
 * turn. A request starts within its slot's span on this process's clock (converted with the
 * offset measured on the fastest reservation, so off by at most half that round trip); a slot
 * whose span has passed by the time its timer fired (a busy event loop) is skipped rather than
 * used late. One start per span, spans at least an interval long and never overlapping: at
 * most `perSecond + 1` starts in any sliding second across every process on the token (49 for
 * Discord's 48, under its 50). Above 48 a second a span groups `k` = {@link slotsPerSpan}
 * consecutive slots of one reservation (at least 1/48 s) and its `k` requests start together
 * when it begins, so a timer a few milliseconds late still finds its span open: at most `k`
 * starts per span, and at most `perSecond + k` in any sliding second (245 at a pace of 240).
 *
 * A process whose timers keep firing too late for its slots widens them (doubling, up to a
 * second; narrowing again once on time), so it still gets its turn under load: it spends more
 * of the budget per request, never more than the budget.
 *
 * Cost: one single-row UPDATE per `batch` requests at most (for Discord at full speed, about
 * 6 a second across all processes), plus one round trip of waiting when a batch runs out.
 */
export class SharedPacer implements PaceGate {
  readonly intervalMs: number;
  readonly #batch: number;
  readonly #maxWidth: number;
  readonly #perSpan: number;
  readonly #clock: PacerClock;
  readonly #waiters: Waiter[] = [];
  /** Reserved slots not used yet, on this process's clock, earliest first. */
  #slots: { start: number; end: number }[] = [];
  /** Each slot's length in intervals: 1, more while this process wakes up too late for them. */
  #width = 1;
  #offset: Offset | undefined;
  /** The next reservation, asked for while the last span of the current one is being used. */
  #ahead: Promise<void> | undefined;
  #pumping = false;
  #skipped = 0;

  constructor(private readonly opts: SharedPacerOptions) {
    if (!(opts.perSecond > 0)) throw new InternalError("bad_pacer_rate", `a pacer needs a positive rate, not ${opts.perSecond}`);
    this.intervalMs = 1000 / opts.perSecond;
    this.#batch = Math.max(1, Math.floor(opts.batch ?? Math.ceil(opts.perSecond / 6)));
    this.#maxWidth = Math.max(1, opts.perSecond);
    this.#perSpan = slotsPerSpan(opts.perSecond);
    this.#clock = opts.clock ?? realPacerClock;
  }

  wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, done: false };
      signal?.addEventListener("abort", () => this.#settle(waiter, signal.reason), { once: true });
      this.#waiters.push(waiter);
      if (!this.#pumping) void this.#pump();
    });
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Nobody is waiting and no slot is held: the pacer can be dropped. */
  get idle(): boolean {
    return this.#waiters.length === 0 && !this.#pumping && !this.#ahead;
  }

  /** Slots skipped because their span had passed when the timer fired (a busy process). */
  get skipped(): number {
    return this.#skipped;
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (;;) {
        this.#dropSettled();
        if (this.#waiters.length === 0) break;
        if (this.#slots.length === 0) await (this.#ahead ?? this.#reserve());
        const slot = this.#slots.shift()!;
        // More requests wait than slots are left: reserve the next ones now, so they are on hand
        // when these run out instead of a round trip later (by when, on a busy process, a span
        // of a few ms starting at the database's "now" would be over).
        if (!this.#ahead && this.#slots.length < this.#perSpan && this.#waiters.length > this.#slots.length + 1) {
          const ahead = this.#reserve().finally(() => (this.#ahead = undefined));
          ahead.catch(() => undefined); // a failure shows when the slots are needed: the next reservation fails too
          this.#ahead = ahead;
        }
        // Never before the span (a timer may fire a fraction of a millisecond early).
        for (let early = slot.start - this.#clock.now(); early > 0; early = slot.start - this.#clock.now()) await this.#clock.sleep(early);
        const late = this.#clock.now() - slot.start;
        if (this.#clock.now() >= slot.end) {
          this.#skipped += 1;
          this.#width = Math.min(this.#width * 2, this.#maxWidth);
          continue;
        }
        // On time for a span of the narrowest width: narrow again.
        if (late < this.intervalMs * this.#perSpan) this.#width = Math.max(1, this.#width / 2);
        this.#dropSettled();
        // A slot nobody waits for any more (its request aborted) is simply not used.
        const waiter = this.#waiters.shift();
        if (waiter) this.#settle(waiter);
      }
    } catch (error) {
      // The database is unreachable: without a slot no request may go; they fail and are retried by their callers.
      this.opts.log?.warn({ err: error, key: this.opts.key }, "could not reserve request slots");
      for (const waiter of this.#waiters.splice(0)) this.#settle(waiter, error);
    } finally {
      this.#pumping = false;
    }
    // A request that came in as the pump was stopping.
    if (this.#waiters.length > 0) void this.#pump();
  }

  /**
   * Reserves slots for the requests waiting beyond those already held, at most a batch; while
   * slots are widened, fewer, so a reservation never holds more of the timeline than a batch of
   * narrow slots (a wide batch of 40 at 240 a second held 40 s of it, for 40 requests).
   */
  async #reserve(): Promise<void> {
    const count = Math.max(1, Math.min(this.#waiters.length - this.#slots.length, this.#batch, Math.floor(this.#batch / this.#width)));
    const before = this.#clock.now();
    const length = this.intervalMs * this.#width;
    const { first, dbNow } = await this.opts.slots.reserve(this.opts.key, count, length);
    const after = this.#clock.now();
    const roundTrip = after - before;
    const best = this.#offset;
    if (!best || roundTrip <= best.roundTrip || after - best.at > OFFSET_TRUST_MS) this.#offset = { ms: dbNow - (before + after) / 2, roundTrip, at: after };
    const offset = this.#offset!.ms;
    // A slot may be used anywhere in its span: the `#perSpan` slots it is grouped with (fewer at the batch's end).
    const spanStart = (i: number) => Math.floor(i / this.#perSpan) * this.#perSpan;
    const spanEnd = (i: number) => Math.min(count, spanStart(i) + this.#perSpan);
    this.#slots.push(...Array.from({ length: count }, (_, i) => ({ start: first + spanStart(i) * length - offset, end: first + spanEnd(i) * length - offset })));
  }

  #dropSettled(): void {
    while (this.#waiters[0]?.done) this.#waiters.shift();
  }

  #settle(waiter: Waiter, error?: unknown): void {
    if (waiter.done) return;
    waiter.done = true;
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

/**
 * One {@link SharedPacer} per key under a prefix (a Slack token's channels, one a second each):
 * requests for different keys never wait on each other. Pacers with nothing to do are dropped
 * as the map grows, and now and then the database forgets keys idle for a minute.
 */
export class SharedKeyedPacer extends PacerMap<SharedPacer> {
  constructor(opts: Omit<SharedPacerOptions, "key"> & { readonly prefix: string }, sweepAbove = 1000) {
    super(
      (key) => new SharedPacer({ ...opts, key: `${opts.prefix}:${key}` }),
      sweepAbove,
      () => void opts.slots.prune?.(`${opts.prefix}:`, 60_000).catch((error: unknown) => opts.log?.warn({ err: error }, "could not forget idle request paces")),
    );
  }
}
