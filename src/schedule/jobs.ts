import cron, { type ScheduledTask } from "node-cron";
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
 * Returns a function that stops them and waits for running ones. (Running each firing once
 * across several processes is the scheduler's next step; the jobs here are idempotent.)
 */
export function startJobs(jobs: readonly Job[], log: Logger): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async (ctx) => {
        const work = job.run(ctx.date).catch((error: unknown) => log.error({ err: error, job: job.name }, "scheduled job failed"));
        running.add(work);
        await work.finally(() => running.delete(work));
      },
      { name: job.name, noOverlap: true, timezone: job.timezone ?? "UTC" },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.allSettled([...running]);
    },
  };
}
