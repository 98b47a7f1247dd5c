import type { Clock } from "../core/services.js";
import type { Job } from "../core/jobs/jobs.js";
import type { Logger } from "../log/logger.js";
import type { RewardsService } from "./rewards-service.js";
import type { Services } from "../core/services.js";
import type { CommunityConfig } from "../config/communities.js";
import { announceLevelUps } from "./level-news.js";

/** Every minute: finish or roll back reward redemptions a restart interrupted (see RewardsService.recoverInterrupted). */
export function interruptedRedemptionsJob(rewards: RewardsService, clock: Clock, log: Logger): Job {
  return {
    name: "interrupted-redemptions",
    sweep: true,
    cron: "* * * * *",
    async run() {
      const { finished, refunded } = await rewards.recoverInterrupted(clock.now());
      if (finished.length + refunded.length > 0) {
        log.info({ finished: finished.map((r) => r.id), refunded: refunded.map((r) => r.id) }, "settled interrupted reward redemptions");
      }
    },
  };
}

/**
 * Every minute: members whose points crossed a level since (points from Q&A, reviews,
 * bounties and reversals arrive through the ledger from other capabilities) get their level,
 * its access, and a level-up announcement. Members already up to date cost nothing but one
 * grouped read of the kept totals per community with levels.
 */
export function levelsJob(services: Services, communities: readonly CommunityConfig[], log: Logger): Job {
  return {
    name: "points-levels",
    sweep: true,
    cron: "* * * * *",
    async run() {
      for (const config of communities) {
        const community = await services.db.community.findUnique({ where: { slug: config.slug }, select: { id: true } });
        if (!community) continue;
        // A community without levels is skipped, unless its file dropped levels members still hold.
        if (config.points.levels.length === 0 && (await services.db.memberLevel.count({ where: { communityId: community.id, rank: { gt: 0 } } })) === 0) continue;
        const changes = await services.levels.refreshCommunity(community.id);
        if (changes.length > 0) log.info({ community: config.slug, changes: changes.length }, "levels changed");
        await announceLevelUps(services, { id: community.id, config }, changes, log);
      }
    },
  };
}
