import type { AdminLog, AccessGateways, Messengers } from "../core/platform-services.js";
import type { ChatPosters } from "../core/chat.js";
import { DiscordChatPoster } from "./discord/chat-poster.js";
import { SlackChatPoster } from "./slack/chat-poster.js";
import { DiscordDirectMessenger } from "./discord/direct-messenger.js";
import { SlackDirectMessenger } from "./slack/direct-messenger.js";
import type { Config } from "../config/config.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { DirectChannelStore } from "./direct-channels.js";
import type { Metrics } from "../core/metrics.js";
import { createPacedRest } from "./discord/paced-rest.js";
import { DISCORD_REQUESTS_PER_SECOND, type KeyedPaceGate, KeyedPacer, type PaceGate, Pacer, SLACK_POSTS_PER_CHANNEL_PER_SECOND } from "./pacing.js";
import { PaceTimeline } from "../db/pace-timeline.js";
import { SharedKeyedPacer, SharedPacer, tokenKey } from "./shared-pacing.js";
import { createPacedWebClient } from "./slack/paced-client.js";
import { DiscordAccessGateway } from "./discord/access-gateway.js";
import { DiscordAdminLog } from "./discord/admin-log.js";
import { SlackAccessGateway } from "./slack/access-gateway.js";
import { SlackAdminLog } from "./slack/admin-log.js";

/**
 * The access gateways, admin logs, direct messengers and chat posters for the platforms that
 * are configured, built from the tokens alone (they need no gateway connection). Everything
 * they send is paced (src/platform/pacing.ts): one pacer per bot token keeps all Discord
 * requests under its global 50 a second (48 by default, DISCORD_REQUESTS_PER_SECOND), and Slack posts go out at most one a second per
 * channel. With `db`, the messengers remember members' DM channels (DirectChannel); with
 * `sharedPace` too (PostgreSQL, several processes), the paces are budgets shared by every
 * process on the token (shared-pacing.ts) rather than one per process.
 */
export function accessGateways(
  config: Config,
  log: Logger,
  db?: Db,
  metrics?: Pick<Metrics, "platformRequest">,
  opts: { readonly sharedPace?: boolean } = {},
): { gateways: AccessGateways; adminLog: AdminLog; messengers: Messengers; chat: ChatPosters; discordPace?: PaceGate } {
  const discordChannels = new Map(config.communities.flatMap((c) => (c.discord && c.commerce.adminLogChannels.discord ? [[c.discord.guildId, c.commerce.adminLogChannels.discord] as const] : [])));
  const slackChannels = new Map(config.communities.flatMap((c) => (c.slack && c.commerce.adminLogChannels.slack ? [[c.slack.teamId, c.commerce.adminLogChannels.slack] as const] : [])));
  const slots = opts.sharedPace && db ? new PaceTimeline(db) : undefined;
  const paceLog = log.child({ module: "pace" });
  const discordPace = config.discord?.requestsPerSecond ?? DISCORD_REQUESTS_PER_SECOND;
  const discordPacer: PaceGate =
    slots && config.discord
      ? new SharedPacer({ key: tokenKey("discord", config.discord.token), perSecond: discordPace, slots, log: paceLog })
      : new Pacer({ perSecond: discordPace });
  const discordRest = config.discord && createPacedRest({ token: config.discord.token, ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}) }, discordPacer, metrics && ((status) => metrics.platformRequest("discord", status)));
  const slackPacer: KeyedPaceGate =
    slots && config.slack
      ? new SharedKeyedPacer({ prefix: tokenKey("slack", config.slack.botToken), perSecond: SLACK_POSTS_PER_CHANNEL_PER_SECOND, slots, log: paceLog })
      : new KeyedPacer({ perSecond: SLACK_POSTS_PER_CHANNEL_PER_SECOND });
  const slackClient = config.slack && createPacedWebClient({ botToken: config.slack.botToken, ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) }, slackPacer, metrics && ((status) => metrics.platformRequest("slack", status)));
  const dmChannels = (platform: "discord" | "slack") => (db ? { channels: new DirectChannelStore(db, platform) } : {});
  const discordLog = discordRest && new DiscordAdminLog(discordRest, discordChannels, log);
  const slackLog = slackClient && new SlackAdminLog(slackClient, slackChannels, log);
  return {
    // The gateway client's own requests take their turns here too (DiscordAdapter's `pace`).
    ...(discordRest ? { discordPace: discordPacer } : {}),
    gateways: {
      ...(discordRest ? { discord: new DiscordAccessGateway(discordRest, log) } : {}),
      ...(slackClient ? { slack: new SlackAccessGateway(slackClient, log) } : {}),
    },
    messengers: {
      ...(discordRest ? { discord: new DiscordDirectMessenger(discordRest, log, dmChannels("discord")) } : {}),
      ...(slackClient ? { slack: new SlackDirectMessenger(slackClient, log, dmChannels("slack")) } : {}),
    },
    chat: {
      ...(discordRest ? { discord: new DiscordChatPoster(discordRest, log.child({ module: "chat" })) } : {}),
      ...(slackClient ? { slack: new SlackChatPoster(slackClient, log.child({ module: "chat" })) } : {}),
    },
    adminLog: {
      report: async (platform, spaceId, message) => {
        const target = platform === "discord" ? discordLog : slackLog;
        if (target) await target.report(platform, spaceId, message);
        else log.warn({ platform, spaceId, message }, "access problem for an admin (no admin log channel configured)");
      },
    },
  };
}
