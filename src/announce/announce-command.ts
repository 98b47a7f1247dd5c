/**
 * `/announce <message> [at] [channels]`: a creator's announcement in the community's
 * announcement channels on every platform it uses, now or at a time in its time zone.
 */
import { timezoneOf } from "../config/communities.js";
import { defineCommand } from "../core/command.js";
import { UserFacingError } from "../core/errors.js";
import { time } from "../core/markup.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { createAnnouncement, deliverAnnouncement } from "./announcements.js";
import { describeTargets, fallbackNote, PLATFORM_CHOICES, type PlatformChoice, placeAnnouncement } from "./channels.js";
import { formatDateTime } from "../core/zoned-time.js";
import { expandInlineTimes, looksLikeTime, parseTime } from "./time-input.js";

export const announceCommand = defineCommand({
  name: "announce",
  description: "Post an announcement in the announcement channels, now or at a time",
  permission: "creator",
  options: {
    message: option.string({ description: "What to say; write a time as {2026-03-29 18:00} to show it in each reader's zone", required: true, maxLength: 1800 }),
    at: option.string({ description: "When to post: 2026-03-29 18:00, tomorrow 18:00 or in 2 hours (default: now)", maxLength: 40, typed: typedAs.phrase(5, looksLikeTime) }),
    channels: option.string({ description: "Which platforms to post on (default: all)", choices: PLATFORM_CHOICES }),
  },
  handler: async (ctx) => {
    const zone = timezoneOf(ctx.community.config);
    const text = expandInlineTimes(ctx.options.message, zone, ctx.now, "message");
    const postAt = ctx.options.at === undefined ? undefined : parseTime(ctx.options.at, zone, ctx.now, "at");
    const here = { platform: ctx.platform, spaceId: ctx.space.id, channelId: ctx.channel.id };
    const { targets, fellBack } = placeAnnouncement(ctx.community.config, ctx.services.chat, here, (ctx.options.channels ?? "all") as PlatformChoice);
    const where = describeTargets(targets, ctx.platform);
    const announcement = await createAnnouncement(ctx.services, { communityId: ctx.community.id, authorId: ctx.member.id, text, targets, now: ctx.now, ...(postAt ? { postAt: postAt.at } : {}) });

    if (postAt) {
      const lines = [`Scheduled for ${time(postAt.at)} (${formatDateTime(postAt.at, zone)}) in ${where}.`, postAt.note ?? "", fellBack ? fallbackNote("later") : ""];
      return reply.ephemeral(lines.filter(Boolean).join("\n"), { tone: "success" });
    }
    const outcome = await deliverAnnouncement(ctx.services, announcement.id, targets);
    if (outcome.kind === "failed") {
      await ctx.services.db.announcement.delete({ where: { id: announcement.id } });
      throw new UserFacingError(`I could not post in ${where}. Check that I may send messages there, then try again.`, "announcement_not_posted");
    }
    const failed = outcome.kind === "posted" ? outcome.failed : [];
    const posted = targets.filter((t) => !failed.includes(t));
    const missed = failed.length > 0 ? `I could not post in ${describeTargets(failed, ctx.platform)}; check that I may send messages there.` : "";
    const lines = [outcome.kind === "already" ? "It was posted already." : `Posted in ${describeTargets(posted, ctx.platform)}.`, missed, fellBack ? fallbackNote("now") : ""];
    return reply.ephemeral(lines.filter(Boolean).join("\n"), { tone: missed ? "warning" : "success" });
  },
});
