import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import type { Logger } from "../log/logger.js";

/** A recurring job: a name for logs, a cron expression, a time zone and the work. */
export interface Job {
  readonly name: string;
  readonly cron: string;
  readonly timezone?: string;
  run(firedAt: Date): Promise<void>;
}

/**
 * Starts each job on node-cron, never overlapping itself; failures are logged, not thrown.
 * With a coordinator, each firing runs in exactly one of the processes that share it.
 * Returns a function that stops the jobs and waits for running ones.
 */
export function startJobs(jobs: readonly Job[], log: Logger, coordinator?: RunCoordinator): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async (ctx) => {
        const work = job.run(ctx.date).catch((error: unknown) => log.error({ err: error, job: job.name }, "scheduled job failed"));
        running.add(work);
        await work.finally(() => running.delete(work));
      },
      { name: job.name, noOverlap: true, timezone: job.timezone ?? "UTC", ...(coordinator ? { distributed: true, runCoordinator: coordinator } : {}) },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.allSettled([...running]);
    },
  };
}
