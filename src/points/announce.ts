import type { CommunityConfig } from "../config/communities.js";
import { pointsSettingsSection } from "./settings-schema.js";
import type { Services } from "../core/services.js";

/**
 * Posts points news that has no channel of its own (a badge earned when a scheduled job
 * settled a bounty, say) to the community's `points.announceChannels`, on each platform
 * that has one configured and is running. Returns how many posts were made; a platform
 * error is thrown to the caller, which knows whether to retry.
 */
export async function announcePointsNews(services: Services, community: { readonly id: string; readonly config: CommunityConfig | undefined }, text: string, where: "news" | "levels" = "news"): Promise<number> {
  const settings = community.config?.points ?? pointsSettingsSection.defaults;
  // Level-ups go to their own channels where set, else with the rest of the points news.
  const channels = where === "levels" ? { discord: settings.levelUpChannels.discord ?? settings.announceChannels.discord, slack: settings.levelUpChannels.slack ?? settings.announceChannels.slack } : settings.announceChannels;
  const spaces = await services.db.platformSpace.findMany({ where: { communityId: community.id }, select: { platform: true, externalId: true } });
  let posted = 0;
  for (const platform of ["discord", "slack"] as const) {
    const channel = channels[platform];
    const poster = services.chat[platform];
    const space = spaces.find((s) => s.platform === platform);
    if (!channel || !poster || !space) continue;
    await poster.post(space.externalId, channel, { text });
    posted += 1;
  }
  return posted;
}
