/**
 * One-off work stored in the database: due at a moment, run once by whichever process claims
 * it first, and still there after a restart. Handlers are registered by kind; a handler that
 * fails is retried with backoff a few times, then the item is marked failed with the error.
 * The holder renews an item's lease while it runs (work-lease.ts), so a long fan-out is not
 * taken over mid-send; a process that dies while running an item stops renewing, its lease
 * runs out, and the item runs again elsewhere, so handlers keep their own per-recipient
 * records when a repeat would be visible (DeliveryQueue claims each direct message).
 */
import type { Clock } from "../services.js";
import type { Db } from "../../db/database.js";
import { PROCESS_HOLDER } from "../../db/lease.js";
import type { Tx } from "../../db/transaction.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Logger } from "../../log/logger.js";
import type { Job } from "./jobs.js";
import { InternalError } from "../errors.js";
import { type HeldLease, keepLease, realRenewalTimer, type RenewalTimer } from "./work-lease.js";

export interface WorkItem {
  readonly id: string;
  readonly kind: string;
  readonly key: string;
  readonly runAt: Date;
  readonly payload: unknown;
  readonly attempts: number;
}

/** What a handler gets besides its item. */
export interface WorkRun {
  /**
   * Aborts when this process no longer holds the item (moved, or taken over after its lease
   * ran out): stop starting new effects, another run will do them.
   */
  readonly signal: AbortSignal;
}

export interface WorkHandler {
  readonly kind: string;
  run(item: WorkItem, run: WorkRun): Promise<void>;
}

export interface ScheduleInput {
  readonly kind: string;
  /** Scheduling a key again moves the existing item (an edited event), never adds a second. */
  readonly key: string;
  readonly runAt: Date;
  readonly payload: Prisma.InputJsonValue;
}

export interface WorkQueueOptions {
  readonly holder?: string;
  /** How long a claim lasts before another process may take the item over, unless renewed. */
  readonly leaseMs?: number;
  /** How often a running item's lease is renewed; a third of the lease by default. */
  readonly renewEveryMs?: number;
  /** The renewal's timer (tests pass one that follows a manual clock). */
  readonly renewalTimer?: RenewalTimer;
  readonly maxAttempts?: number;
  /** Items claimed per pass. */
  readonly batch?: number;
}

type ClaimedItem = WorkItem & { readonly lockedUntil: Date };

export class ScheduledWorkQueue {
  readonly #handlers = new Map<string, WorkHandler>();
  readonly #holder: string;
  readonly #leaseMs: number;
  readonly #maxAttempts: number;
  readonly #batch: number;
  readonly #renewEveryMs: number;
  readonly #renewalTimer: RenewalTimer;
  /** Aborted by {@link ScheduledWorkQueue.stop}: no new claim, and running handlers stop between effects. */
  readonly #draining = new AbortController();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: WorkQueueOptions = {},
  ) {
    this.#holder = opts.holder ?? PROCESS_HOLDER;
    this.#leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.#maxAttempts = opts.maxAttempts ?? 5;
    this.#batch = opts.batch ?? 50;
    this.#renewEveryMs = opts.renewEveryMs ?? this.#leaseMs / 3;
    this.#renewalTimer = opts.renewalTimer ?? realRenewalTimer;
  }

  register(handler: WorkHandler): this {
    if (this.#handlers.has(handler.kind)) throw new InternalError("duplicate_work_handler", `scheduled work ${handler.kind} has two handlers`);
    this.#handlers.set(handler.kind, handler);
    return this;
  }

  /** Stores (or moves) an item; pass the caller's transaction so it commits with what caused it. */
  async schedule(db: Db | Tx, input: ScheduleInput): Promise<void> {
    const data = { kind: input.kind, runAt: input.runAt, payload: input.payload, status: "pending", attempts: 0, lockedBy: null, lockedUntil: null, lastError: null, doneAt: null };
    await db.scheduledWork.upsert({ where: { key: input.key }, create: { key: input.key, ...data }, update: data });
  }

  /** Cancels pending items whose key starts with `prefix` (an event's reminders); returns how many. */
  async cancel(db: Db | Tx, prefix: string): Promise<number> {
    const { count } = await db.scheduledWork.updateMany({ where: { key: { startsWith: prefix }, status: "pending" }, data: { status: "cancelled" } });
    return count;
  }

  /**
   * Shutdown: claims nothing more, and tells every running handler to stop (its signal aborts
   * with `work_draining`): a fan-out stops between sends, and its item goes back to pending,
   * due at once, with this process's claim released, so another process continues it at its
   * next poll instead of after the lease. Items claimed and not started go back the same way.
   */
  stop(): void {
    this.#draining.abort(new InternalError("work_draining", "this process is shutting down; its stored work is handed to another"));
  }

  /** Claims due items (and items whose holder's lease ran out) and runs them; returns how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      if (this.#draining.signal.aborted) return ran;
      const claimed = await this.#claim();
      // Every claimed item's lease is kept from now on, not from its turn: the items of a
      // batch run one after another, behind a fan-out that may take longer than the lease.
      const held = claimed.map(({ lockedUntil, ...item }) => ({ item, lease: this.#keep(item, lockedUntil) }));
      try {
        for (const { item, lease } of held) {
          if (lease.signal.aborted) continue; // moved or taken over while it waited its turn
          if (this.#draining.signal.aborted) {
            await this.#handBack(item);
            continue;
          }
          if (await this.#runOne(item, lease)) ran++;
        }
      } finally {
        // After a failure (the database gone), items not run are left to expire and be taken over.
        for (const { lease } of held) lease.release();
      }
      if (claimed.length < this.#batch) return ran;
    }
  }

  /** When the next pending item is due after `after` (the playground walks its clock from one to the next). */
  async nextRunAfter(after: Date): Promise<Date | undefined> {
    const next = await this.db.scheduledWork.findFirst({ where: { status: "pending", runAt: { gt: after } }, orderBy: { runAt: "asc" }, select: { runAt: true } });
    return next?.runAt;
  }

  /** A job that runs due work every 15 seconds (so a 15-minute reminder is at most that late). */
  job(): Job {
    return { name: "scheduled-work", cron: "*/15 * * * * *", run: async () => void (await this.runDue()) };
  }

  async #claim(): Promise<ClaimedItem[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.#leaseMs);
    return this.db.$queryRaw<ClaimedItem[]>`
      UPDATE "ScheduledWork" SET "status" = 'running', "lockedBy" = ${this.#holder}, "lockedUntil" = ${until}, "attempts" = "attempts" + 1
      WHERE "id" IN (
        SELECT "id" FROM "ScheduledWork"
        WHERE ("status" = 'pending' AND "runAt" <= ${now}) OR ("status" = 'running' AND "lockedUntil" < ${now})
        ORDER BY "runAt" LIMIT ${this.#batch}
        FOR UPDATE SKIP LOCKED)
      RETURNING "id", "kind", "key", "runAt", "payload", "attempts", "lockedUntil"`;
  }

  #keep(item: WorkItem, lockedUntil: Date): HeldLease {
    return keepLease({ db: this.db, clock: this.clock, log: this.log, holder: this.#holder, leaseMs: this.#leaseMs, renewEveryMs: this.#renewEveryMs, timer: this.#renewalTimer }, item.id, item.key, lockedUntil);
  }

  /** Runs the item and records how it ended; false when it was handed back instead (shutdown). */
  async #runOne(item: WorkItem, lease: HeldLease): Promise<boolean> {
    const handler = this.#handlers.get(item.kind);
    try {
      if (!handler) throw new InternalError("no_work_handler", `no handler for scheduled work of kind ${item.kind}`);
      await handler.run(item, { signal: AbortSignal.any([lease.signal, this.#draining.signal]) }).finally(() => lease.release());
      await this.#finish(item, { status: "done", doneAt: this.clock.now() });
    } catch (error) {
      // Stopped for a shutdown, not failed: handed back whole (its effects keep their own records).
      if (this.#draining.signal.aborted && !lease.signal.aborted) {
        await this.#handBack(item);
        return false;
      }
      const message = String((error as Error).message ?? error).slice(0, 500);
      const final = item.attempts >= this.#maxAttempts || !handler;
      this.log.warn({ err: error, work: item.key, attempt: item.attempts, final }, "scheduled work failed");
      const retryAt = new Date(this.clock.now().getTime() + 30_000 * 2 ** (item.attempts - 1));
      await this.#finish(item, final ? { status: "failed", lastError: message } : { status: "pending", runAt: retryAt, lastError: message });
    } finally {
      lease.release();
    }
    return true;
  }

  /** Back to pending, due as it was, unclaimed and without counting this attempt: another process takes it at its next poll. */
  async #handBack(item: WorkItem): Promise<void> {
    await this.#finish(item, { status: "pending", attempts: Math.max(0, item.attempts - 1) });
    this.log.info({ work: item.key }, "handed stored work back for another process: shutting down");
  }

  /** Records the outcome unless the item was moved or cancelled while it ran. */
  async #finish(item: WorkItem, data: Prisma.ScheduledWorkUpdateManyMutationInput): Promise<void> {
    await this.db.scheduledWork.updateMany({ where: { id: item.id, status: "running", lockedBy: this.#holder }, data: { ...data, lockedBy: null, lockedUntil: null } });
  }
}
