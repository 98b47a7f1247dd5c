import type { AdminLog } from "../commerce/access-gateway.js";
import type { Gateways } from "../commerce/access-sync.js";
import type { Messengers } from "../commerce/billing-notices.js";
import { DiscordDirectMessenger } from "./discord/direct-messenger.js";
import { SlackDirectMessenger } from "./slack/direct-messenger.js";
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import { DiscordAccessGateway } from "./discord/access-gateway.js";
import { createAccessRest } from "./discord/access-rest.js";
import { DiscordAdminLog } from "./discord/admin-log.js";
import { createAccessWebClient } from "./slack/access-client.js";
import { SlackAccessGateway } from "./slack/access-gateway.js";
import { SlackAdminLog } from "./slack/admin-log.js";

/**
 * The access gateways, admin logs and direct messengers for the platforms that are
 * configured, built from the tokens alone (they need no gateway connection).
 */
export function accessGateways(config: Config, log: Logger): { gateways: Gateways; adminLog: AdminLog; messengers: Messengers } {
  const discordChannels = new Map(config.communities.flatMap((c) => (c.discord && c.commerce.adminLogChannels.discord ? [[c.discord.guildId, c.commerce.adminLogChannels.discord] as const] : [])));
  const slackChannels = new Map(config.communities.flatMap((c) => (c.slack && c.commerce.adminLogChannels.slack ? [[c.slack.teamId, c.commerce.adminLogChannels.slack] as const] : [])));
  const discordRest = config.discord && createAccessRest({ token: config.discord.token, ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}) });
  const slackClient = config.slack && createAccessWebClient({ botToken: config.slack.botToken, ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) });
  const discordLog = discordRest && new DiscordAdminLog(discordRest, discordChannels, log);
  const slackLog = slackClient && new SlackAdminLog(slackClient, slackChannels, log);
  return {
    gateways: {
      ...(discordRest ? { discord: new DiscordAccessGateway(discordRest, log) } : {}),
      ...(slackClient ? { slack: new SlackAccessGateway(slackClient, log) } : {}),
    },
    messengers: {
      ...(discordRest ? { discord: new DiscordDirectMessenger(discordRest, log) } : {}),
      ...(slackClient ? { slack: new SlackDirectMessenger(slackClient, log) } : {}),
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
