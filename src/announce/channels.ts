/**
 * Where announcements and live events are posted: the community's announcement channel on
 * each platform it uses (a Discord guild, a Slack workspace, or both) whose poster is
 * running, or, when none is configured, the channel the command ran in.
 */
import { z } from "zod";
import type { CommunityConfig } from "../config/communities.js";
import { announceSettingsSection } from "./settings-schema.js";
import type { ChatPosters } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";
import { mention } from "../core/markup.js";
import type { ChannelTarget } from "../core/jobs/delivery.js";

/** Which platforms a creator wants to post on. */
export type PlatformChoice = "all" | "discord" | "slack";

export const PLATFORM_CHOICES = [
  { name: "All platforms the community uses", value: "all" },
  { name: "Discord only", value: "discord" },
  { name: "Slack only", value: "slack" },
] as const;

/** The chosen channels; `fellBack` when none was configured and the command's channel is used. */
export interface Placement {
  readonly targets: readonly ChannelTarget[];
  readonly fellBack: boolean;
}

const LABEL: Record<PlatformName, string> = { discord: "Discord", slack: "Slack", playground: "the playground" };

/**
 * The announcement channels for `choice`. `here` is the channel the command ran in, used
 * when no announcement channel is configured for the chosen platforms.
 */
export function placeAnnouncement(config: CommunityConfig | undefined, chat: ChatPosters, here: ChannelTarget, choice: PlatformChoice = "all"): Placement {
  const channels = (config?.schedule ?? announceSettingsSection.defaults).announcementChannels;
  const configured: ChannelTarget[] = [];
  const discordChannel = channels.discord;
  const slackChannel = channels.slack;
  if (choice !== "slack" && config?.discord && discordChannel && chat.discord) {
    configured.push({ platform: "discord", spaceId: config.discord.guildId, channelId: discordChannel });
  }
  if (choice !== "discord" && config?.slack && slackChannel && chat.slack) {
    configured.push({ platform: "slack", spaceId: config.slack.teamId, channelId: slackChannel });
  }
  if (configured.length > 0) return { targets: configured, fellBack: false };
  if ((choice === "all" || choice === here.platform) && chat[here.platform]) return { targets: [here], fellBack: true };
  const wanted = choice === "all" ? "any platform" : LABEL[choice];
  throw new UserFacingError(
    `There is no announcement channel for ${wanted} that I can post in, and this command ran on ${LABEL[here.platform]}. ` +
      `Set \`schedule.announcementChannels\` in the communities file, or run the command on ${choice === "all" ? "the platform you want" : LABEL[choice]}.`,
    "no_announcement_channel",
  );
}

/** "#announcements and the Slack announcement channel", as seen from `platform`. */
export function describeTargets(targets: readonly ChannelTarget[], platform: PlatformName): string {
  const names = targets.map((t) => (t.platform === platform ? mention.channel(t.channelId) : `the ${LABEL[t.platform]} announcement channel`));
  return names.length <= 1 ? (names[0] ?? "nowhere") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The sentence that explains a fallback to the command's own channel, now or later. */
export function fallbackNote(when: "now" | "later"): string {
  const posted = when === "now" ? "I posted it" : "it will be posted";
  return `No announcement channel is configured, so ${posted} in this channel. Set \`schedule.announcementChannels\` in the communities file to choose one.`;
}

const targetSchema = z.object({ platform: z.enum(["discord", "slack", "playground"]), spaceId: z.string(), channelId: z.string() });

/** Targets as stored in a work item's payload, checked on the way out of the database. */
export function storedTargets(value: unknown): ChannelTarget[] {
  return z.array(targetSchema).parse(value);
}
