/**
 * Keeping the lease on a stored work item while it runs. A fan-out of reminders to thousands
 * of members can run longer than the lease (at 48 requests a second, 7,000 members take about
 * five minutes); without renewal another process would take the item over mid-send. The
 * holder renews a few times per lease, so it survives a missed renewal or two; when a renewal
 * finds the item no longer ours (moved, or taken over after we stalled past the lease), the
 * run's signal aborts so the handler stops starting new sends.
 */
import type { Clock } from "../services.js";
import type { Db } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import { InternalError } from "../errors.js";

/** Calls `tick` every `ms` (each call after the previous one settled) until stopped. */
export interface RenewalTimer {
  every(ms: number, tick: () => Promise<void>): () => void;
}

/** Real timers; unref'd so a renewal never keeps a finished process alive. */
export const realRenewalTimer: RenewalTimer = {
  every(ms, tick) {
    let stopped = false;
    let handle: NodeJS.Timeout | undefined;
    const next = () => {
      handle = setTimeout(() => void tick().finally(() => !stopped && next()), ms);
      handle.unref();
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(handle);
    };
  },
};

export interface LeaseKeeperDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly holder: string;
  readonly leaseMs: number;
  readonly renewEveryMs: number;
  readonly timer: RenewalTimer;
}

/** A running item's lease, renewed until {@link HeldLease.release}; `signal` aborts once it is lost. */
export interface HeldLease {
  readonly signal: AbortSignal;
  release(): void;
}

/** Starts renewing the lease of item `id` (claimed by `deps.holder` until `heldUntil`). */
export function keepLease(deps: LeaseKeeperDeps, id: string, key: string, heldUntil: Date): HeldLease {
  const lost = new AbortController();
  let until = heldUntil;
  let released = false;
  const renew = async () => {
    if (lost.signal.aborted || released) return;
    const next = new Date(deps.clock.now().getTime() + deps.leaseMs);
    try {
      const { count } = await deps.db.scheduledWork.updateMany({ where: { id, status: "running", lockedBy: deps.holder }, data: { lockedUntil: next } });
      if (count === 1) until = next;
      else lose("moved, cancelled or taken over by another process");
    } catch (error) {
      // A database blip: the next renewal may succeed, as long as the lease has not run out.
      deps.log.warn({ err: error, work: key }, "could not renew the lease of running work");
      if (deps.clock.now() >= until) lose("its lease ran out while the database was unreachable");
    }
  };
  const lose = (why: string) => {
    // A renewal still in flight when the run ended finds the item finished: nothing was lost.
    if (released) return;
    deps.log.warn({ work: key, why }, "running work lost its lease; stopping it");
    lost.abort(new InternalError("work_lease_lost", `scheduled work ${key} is no longer held by this process: ${why}`));
  };
  const stop = deps.timer.every(deps.renewEveryMs, renew);
  return {
    signal: lost.signal,
    release: () => {
      released = true;
      stop();
    },
  };
}
