import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import { type Clock, systemClock } from "../services.js";
import type { Logger } from "../../log/logger.js";
import type { Metrics } from "../metrics.js";
import { catchUp, type FiringRecords } from "./catch-up.js";

/** A recurring job: a name for logs, a cron expression, a time zone and the work. */
export interface Job {
  readonly name: string;
  readonly cron: string;
  readonly timezone?: string;
  /**
   * A firing missed while no process ran is run once at start if it is at most this late
   * (a daily digest: 6 hours); without it, missed firings are simply skipped.
   */
  readonly catchUpWithinMs?: number;
  /**
   * State sweep: one run at the latest firing equals every firing in between (it reads what is
   * due or stale now and brings it up to date). The playground's clock, moving days at once,
   * runs such a job once per move instead of at each firing it passes. Leave it unset for work
   * tied to wall time (a digest at the community's hour, business-hour review rounds).
   */
  readonly sweep?: true;
  run(firedAt: Date): Promise<void>;
}

export interface StartJobsOptions {
  /** Each firing runs in one process among those sharing it; also records firings for catch-up. */
  readonly coordinator?: RunCoordinator & FiringRecords;
  readonly clock?: Clock;
  /** Counts each run by job and outcome. */
  readonly metrics?: Pick<Metrics, "jobRun">;
}

/**
 * Starts each job on node-cron, never overlapping itself; failures are logged, not thrown.
 * With a coordinator, each firing runs in exactly one of the processes that share it, and
 * firings missed while every process was down are caught up (see catch-up.ts).
 * `stop` is the graceful shutdown: no new firing starts, running ones get `graceMs` to finish.
 */
export function startJobs(jobs: readonly Job[], log: Logger, opts: StartJobsOptions = {}): { stop(graceMs?: number): Promise<void> } {
  const { coordinator } = opts;
  const running = new Map<Promise<void>, string>();
  let stopping = false;
  const track = (name: string, work: Promise<unknown>) => {
    const done = work.then(
      () => opts.metrics?.jobRun(name, "ok"),
      (error: unknown) => {
        opts.metrics?.jobRun(name, "failed");
        log.error({ err: error, job: name }, "scheduled job failed");
      },
    );
    running.set(done, name);
    void done.finally(() => running.delete(done));
    return done;
  };
  if (coordinator) track("catch-up", catchUp(jobs, coordinator, (opts.clock ?? systemClock).now(), log));
  // node-cron claims a firing before calling us and records it finished after: once stopping,
  // claim nothing (a claimed firing we then skipped would be recorded as run), and count the
  // finishing write as running work, so `stop` returns after the record is complete.
  const runCoordinator: RunCoordinator | undefined = coordinator && {
    shouldRun: async (key, ttlMs) => !stopping && (await coordinator.shouldRun(key, ttlMs)),
    onComplete: async (key) => {
      const finishing = Promise.resolve(coordinator.onComplete?.(key));
      const settled = finishing.then(
        () => {},
        () => {},
      );
      running.set(settled, "recording a finished firing");
      void settled.finally(() => running.delete(settled));
      await finishing; // node-cron logs a failure
    },
  };
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async (ctx) => {
        // A firing this process claimed runs even if stopping began meanwhile: no other process will.
        if (stopping && !runCoordinator) return;
        await track(job.name, job.run(ctx.date));
      },
      { name: job.name, noOverlap: true, timezone: job.timezone ?? "UTC", ...(runCoordinator ? { distributed: true, runCoordinator } : {}) },
    ),
  );
  return {
    async stop(graceMs = 25_000) {
      stopping = true;
      await Promise.all(tasks.map((t) => t.stop()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
      // A finished run hands over to node-cron, which records it a few ticks later: wait until nothing is left.
      const drained = (async () => {
        for (;;) {
          await Promise.allSettled([...running.keys()]);
          await new Promise((resolve) => setImmediate(resolve));
          if (running.size === 0) return "done" as const;
        }
      })();
      const outcome = await Promise.race([drained, timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") log.warn({ jobs: [...running.values()] }, "stopping while scheduled jobs are still running");
    },
  };
}
