import type { Logger } from "../log/logger.js";
import type { Job } from "../core/jobs/jobs.js";
import type { InsightsService } from "./insights-service.js";

/** Every 10 minutes: rebuild each community's rollups, so pages and /stats read fresh figures. */
export function insightsRollupJob(insights: InsightsService, log: Logger): Job {
  return {
    name: "insights-rollups",
    sweep: true,
    cron: "*/10 * * * *",
    async run() {
      const started = performance.now();
      const communities = await insights.rebuildAll();
      log.debug({ communities, ms: Math.round(performance.now() - started) }, "insights rollups rebuilt");
    },
  };
}
