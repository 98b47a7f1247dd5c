/** Telling the community about level-ups: the level channels (or points news channels), and the reply that caused them. */
import type { CommunityConfig } from "../config/communities.js";
import type { Services } from "../core/services.js";
import type { Logger } from "../log/logger.js";
import { announcePointsNews } from "./announce.js";
import { name } from "./format.js";
import { type LevelChange, levelUpText } from "./levels.js";

/** One line per level reached (a level lost is not news), for a reply or a post. */
export function levelUpLines(changes: readonly LevelChange[]): string | undefined {
  const ups = changes.filter((c) => c.to > c.from);
  return ups.length > 0 ? ups.map((c) => levelUpText(c, name)).join("\n") : undefined;
}

/** Posts level-ups to the community's level channels; a failed post is logged, the level stays. */
export async function announceLevelUps(services: Services, community: { readonly id: string; readonly config: CommunityConfig | undefined }, changes: readonly LevelChange[], log: Logger): Promise<void> {
  const text = levelUpLines(changes);
  if (!text) return;
  await announcePointsNews(services, community, text, "levels").catch((error: unknown) => log.warn({ err: error, community: community.id }, "could not announce a level-up"));
}

/**
 * After a command changed members' points: refresh their levels and return the level-up
 * lines for its reply (also posted to the level channels).
 */
export async function levelUpsAfter(services: Services, community: { readonly id: string; readonly config: CommunityConfig | undefined }, memberIds: readonly string[], log: Logger): Promise<string | undefined> {
  const changes = await services.levels.refresh(community.id, memberIds).catch((error: unknown) => {
    // The points are recorded; the minute job will bring the level up to date.
    log.warn({ err: error, community: community.id }, "could not refresh levels after a points change");
    return [];
  });
  await announceLevelUps(services, community, changes, log);
  return levelUpLines(changes);
}
