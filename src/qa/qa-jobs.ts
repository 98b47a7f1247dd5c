import type { Services } from "../core/services.js";
import type { Logger } from "../log/logger.js";
import type { Job } from "../core/jobs/jobs.js";

/**
 * The scheduled Q&A passes. Each reads the database for what is due (so a restart misses
 * nothing) and marks what it did, so a second run does nothing.
 */
export function qaJobs(services: Pick<Services, "qa" | "clock">, log: Logger): Job[] {
  const pass = (name: string, cron: string, work: (now: Date) => Promise<number>): Job => ({
    name,
    cron,
    async run() {
      const done = await work(services.clock.now());
      if (done > 0) log.info({ job: name, done }, "Q&A pass done");
    },
  });
  return [
    pass("qa-stale-questions", "*/15 * * * *", (now) => services.qa.repostStale(now)),
    pass("qa-asker-reminders", "5-59/15 * * * *", (now) => services.qa.remindAskers(now)),
    pass("qa-bounty-expiry", "10-59/15 * * * *", (now) => services.qa.settleBounties(now)),
  ];
}
