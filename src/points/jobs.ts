import type { Clock } from "../core/services.js";
import type { Job } from "../core/jobs/jobs.js";
import type { Logger } from "../log/logger.js";
import type { RewardsService } from "./rewards-service.js";

/** Every minute: finish or roll back reward redemptions a restart interrupted (see RewardsService.recoverInterrupted). */
export function interruptedRedemptionsJob(rewards: RewardsService, clock: Clock, log: Logger): Job {
  return {
    name: "interrupted-redemptions",
    cron: "* * * * *",
    async run() {
      const { finished, refunded } = await rewards.recoverInterrupted(clock.now());
      if (finished.length + refunded.length > 0) {
        log.info({ finished: finished.map((r) => r.id), refunded: refunded.map((r) => r.id) }, "settled interrupted reward redemptions");
      }
    },
  };
}
