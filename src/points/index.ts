/**
 * Points: an append-only ledger, peer kudos (/thanks), creators' awards, leaderboards,
 * badges and rewards bought with points. Q&A and review pay points through the ledger.
 */
import { labelWhenSimulated } from "../commerce/index.js";
import { defineCapability } from "../core/capability.js";
import { pointsDigestSections } from "./digest-sections.js";
import { pointsCounts } from "./insight-counts.js";
import { interruptedRedemptionsJob, levelsJob } from "./jobs.js";
import { levelsAfterMergeWork, mergeLevels } from "./level-merge.js";
import { LevelService } from "./levels.js";
import { PointsLedger } from "./ledger.js";
import { awardCommand, leaderboardCommand, pointsCommand } from "./points-commands.js";
import { PointsService } from "./points-service.js";
import { redeemCommand, rewardCommand } from "./reward-commands.js";
import { thanksCommand } from "./thanks-command.js";
import { pointsSettingsSection } from "./settings-schema.js";
export { pointsSettingsSection, type PointsConfig } from "./settings-schema.js";

export { badgeAnnouncement, type EarnedBadge } from "./badges.js";
export { type EntryInput, escrowAccount, type PointsLedger } from "./ledger.js";
export type { PointsService } from "./points-service.js";
export type { LevelService } from "./levels.js";

declare module "../core/services.js" {
  interface Services {
    /** The append-only points ledger every capability pays points through. */
    readonly ledger: PointsLedger;
    /** Kudos, awards, leaderboards, badges and rewards. */
    readonly points: PointsService;
    /** Levels by lifetime points, and the access they grant. */
    readonly levels: LevelService;
  }
}

export const points = defineCapability({
  name: "points",
  settings: [pointsSettingsSection],
  provide(services, deps) {
    const { db, clock, stripe } = services;
    const ledger = new PointsLedger(db, clock);
    // A /link merge moves the merged member's points in the merge's own transaction.
    services.identity.onMerge(async (tx, merge) => {
      await ledger.moveMember(tx, merge.communityId, merge.fromId, merge.intoId);
      // Rewards redeemed (a custom one waiting for a creator, an unused priority review) are the person's too.
      await tx.$executeRaw`UPDATE "Redemption" SET "memberId" = ${merge.intoId} WHERE "communityId" = ${merge.communityId} AND "memberId" = ${merge.fromId}`;
    });
    const levels = new LevelService({
      db,
      clock,
      communities: deps.communities,
      entitlements: () => services.entitlements,
      syncAccess: (memberId) => services.accessSync.syncMember(memberId),
      itemId: (communityId, name) => services.catalog.find(communityId, name, { includeArchived: true }).then((item) => item.id, () => undefined),
      log: deps.log.child({ module: "levels" }),
    });
    // The remaining member keeps the higher level of the two, not announced again (level-merge.ts).
    services.identity.onMerge((tx, merge) => mergeLevels(tx, services, merge));
    // Level roles and channels reach the platforms through commerce's access sync, unioned with purchases.
    services.entitlements.addAccessSource(levels);
    return { ledger, levels, points: new PointsService(db, ledger, clock, { stripe, catalog: services.catalog, checkout: services.checkout }, () => services.qa) };
  },
  // Rewards can be Stripe promotion codes: while payments are simulated, their replies say so.
  commands: [thanksCommand, pointsCommand, leaderboardCommand, labelWhenSimulated(redeemCommand), awardCommand, labelWhenSimulated(rewardCommand)],
  jobs(services, deps) {
    const log = deps.log.child({ module: "points" });
    return [interruptedRedemptionsJob(services.points.rewards, services.clock, log), levelsJob(services, deps.communities, log)];
  },
  work: (services, deps) => [levelsAfterMergeWork(services, deps.log.child({ module: "levels" }))],
  counts: pointsCounts,
  digestSections: pointsDigestSections,
});
