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
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async (ctx) => {
        if (stopping) return;
        await track(job.name, job.run(ctx.date));
      },
      { name: job.name, noOverlap: true, timezone: job.timezone ?? "UTC", ...(coordinator ? { distributed: true, runCoordinator: coordinator } : {}) },
    ),
  );
  return {
    async stop(graceMs = 25_000) {
      stopping = true;
      await Promise.all(tasks.map((t) => t.stop()));
      if (running.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
      const outcome = await Promise.race([Promise.allSettled([...running.keys()]).then(() => "done" as const), timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") log.warn({ jobs: [...running.values()] }, "stopping while scheduled jobs are still running");
    },
  };
}
