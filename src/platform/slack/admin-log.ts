// Problems an admin must fix (a channel Guildhall is not in, say), posted to a channel each
// workspace configures. Reporting never fails the work that found the problem.
import type { webApi } from "@slack/bolt";
import type { AdminLog } from "../../core/platform-services.js";
import type { Logger } from "../../log/logger.js";

/** Slack accepts far longer texts, but a report past this is not being read anyway. */
const MAX_REPORT_LENGTH = 3000;

/** Posts admin reports to the admin log channel of each workspace. */
export class SlackAdminLog implements AdminLog {
  /**
   * @param client a WebClient with the bot token (createAccessWebClient, or the Bolt app's client)
   * @param channels team id -> admin log channel id (the bot must be a member of private ones)
   * @param log where reports go when a workspace has no channel or posting fails
   */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly channels: ReadonlyMap<string, string>,
    private readonly log: Logger,
  ) {}

  async report(platform: "discord" | "slack", spaceId: string, message: string): Promise<void> {
    const channel = this.channels.get(spaceId);
    // The report goes into the log line so it is not lost when no channel can carry it.
    if (!channel) return void this.log.warn({ platform, spaceId, report: message }, "no admin log channel configured; report not posted");
    try {
      const text = message.length <= MAX_REPORT_LENGTH ? message : `${message.slice(0, MAX_REPORT_LENGTH - 1)}…`;
      await this.client.chat.postMessage({ channel, text, unfurl_links: false, unfurl_media: false });
    } catch (error) {
      this.log.error({ err: error, platform, spaceId, channel, report: message }, "could not post to the admin log channel");
    }
  }
}
