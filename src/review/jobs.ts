import type { Services } from "../core/services.js";
import type { Logger } from "../log/logger.js";
import type { Job } from "../core/jobs/jobs.js";

/** Code review's scheduled work: the hourly reminder, reassignment and assignment round. */
export function reviewJobs(services: Services, log: Logger): Job[] {
  return services.reviews.jobs(log.child({ module: "review" }));
}
