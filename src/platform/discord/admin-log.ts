// Problems an admin must fix (a role Guildhall cannot grant, say), posted to a channel each
// guild configures. Reporting never fails the work that found the problem.
import { type REST, Routes } from "discord.js";
import type { AdminLog } from "../../core/platform-services.js";
import { LIMITS, truncate } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";

/** Posts admin reports to the admin log channel of each guild. */
export class DiscordAdminLog implements AdminLog {
  /**
   * @param rest a discord.js REST with the bot token (the adapter's `client.rest` or createAccessRest)
   * @param channels guild id -> admin log channel id
   * @param log where reports go when a guild has no channel or posting fails
   */
  constructor(
    private readonly rest: REST,
    private readonly channels: ReadonlyMap<string, string>,
    private readonly log: Logger,
  ) {}

  async report(platform: "discord" | "slack", spaceId: string, message: string): Promise<void> {
    const channelId = this.channels.get(spaceId);
    // The report goes into the log line so it is not lost when no channel can carry it.
    if (!channelId) return void this.log.warn({ platform, spaceId, report: message }, "no admin log channel configured; report not posted");
    try {
      await this.rest.post(Routes.channelMessages(channelId), {
        // Reports name members and roles; none of them should be pinged.
        body: { content: truncate(message, LIMITS.discordContent), allowed_mentions: { parse: [] } },
      });
    } catch (error) {
      this.log.error({ err: error, platform, spaceId, channelId, report: message }, "could not post to the admin log channel");
    }
  }
}
