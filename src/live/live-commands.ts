/**
 * `/live schedule|edit|cancel|list`. Times are read in the community's time zone and shown
 * back both as a time token (each reader's own zone) and in the community's zone, so a
 * creator can check how their input was read.
 */
import { suggestItems } from "../commerce/index.js";
import { timezoneOf } from "../config/communities.js";
import { defineCommand, defineGroup } from "../core/command.js";
import { UserFacingError } from "../core/errors.js";
import { time } from "../core/markup.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { describeTargets, fallbackNote, placeAnnouncement } from "../announce/index.js";
import { formatDateTime } from "../core/zoned-time.js";
import { describeDuration, looksLikeDuration, looksLikeTime, parseDuration, parseTime } from "../announce/index.js";
import { cancelEvent } from "./cancel-event.js";
import { editEvent } from "./edit-event.js";
import { checkLink, DESCRIPTION_MAX, LINK_MAX, TITLE_MAX } from "./event-input.js";
import { listEvents } from "./list-events.js";
import { findEvent, ref } from "./live-events.js";
import { toggleRsvp } from "./rsvp.js";
import { rsvpReply } from "./rsvp-action.js";
import { scheduleEvent } from "./schedule-event.js";

const zoneOf = timezoneOf;
/** How a start, a length and a join link are spotted among typed words (Slack, playground). */
const START_TYPED = typedAs.phrase(5, looksLikeTime);
const DURATION_TYPED = typedAs.phrase(2, looksLikeDuration);
const LINK_TYPED = typedAs.pattern(/^https?:\/\/\S+$/);
const eventOption = option.integer({ description: "The event's number, e.g. 3 (see /live list)", required: true, min: 1 });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const schedule = defineCommand({
  name: "schedule",
  description: "Schedule a live session: an announcement with an RSVP button and reminders",
  permission: "creator",
  options: {
    title: option.string({ description: "What it is, e.g. Office hours", required: true, maxLength: TITLE_MAX }),
    start: option.string({ description: "When, in the community's time zone: 2026-03-29 18:00 or next friday 9am", required: true, maxLength: 40, typed: START_TYPED }),
    duration: option.string({ description: "How long: 90m, 1h30m or 2h", required: true, maxLength: 20, typed: DURATION_TYPED }),
    link: option.string({ description: "Where to join (posted when it starts and sent in reminders)", maxLength: LINK_MAX, typed: LINK_TYPED }),
    description: option.string({ description: "More about it, shown in the announcement", maxLength: DESCRIPTION_MAX }),
    tier: option.string({ description: "Only members with this catalog item can RSVP", maxLength: 40, autocomplete: true, typed: typedAs.namedOnly }),
  },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const zone = zoneOf(ctx.community.config);
    const start = parseTime(ctx.options.start, zone, ctx.now, "start");
    const durationMin = parseDuration(ctx.options.duration);
    const link = ctx.options.link === undefined ? undefined : checkLink(ctx.options.link);
    const tier = ctx.options.tier === undefined ? undefined : await ctx.services.catalog.find(ctx.community.id, ctx.options.tier, { includeArchived: true });
    const here = { platform: ctx.platform, spaceId: ctx.space.id, channelId: ctx.channel.id };
    const { targets, fellBack } = placeAnnouncement(ctx.community.config, ctx.services.chat, here);
    const { event, failed } = await scheduleEvent(ctx, { title: ctx.options.title, startsAt: start.at, durationMin, link, description: ctx.options.description, tier, targets });
    const posted = targets.filter((t) => !failed.includes(t));
    const lines = [
      `Live ${ref(event)} **${event.title}** is scheduled for ${time(event.startsAt)} (${formatDateTime(event.startsAt, zone)}), ${describeDuration(durationMin)}.`,
      start.note ?? "",
      posted.length > 0 ? `Announced in ${describeTargets(posted, ctx.platform)} with an RSVP button.` : "",
      failed.length > 0 ? `I could not post the announcement in ${describeTargets(failed, ctx.platform)}; check that I may send messages there.` : "",
      tier ? `Only members with **${tier.title}** can RSVP.` : "",
      fellBack ? fallbackNote("now") : "",
      `Change it with \`/live edit event:${event.number}\`, cancel with \`/live cancel event:${event.number}\`.`,
    ];
    return reply.ephemeral(lines.filter(Boolean).join("\n"), { tone: failed.length > 0 ? "warning" : "success" });
  },
});

const edit = defineCommand({
  name: "edit",
  description: "Change a live event's time, length, title, link or description",
  permission: "creator",
  options: {
    event: eventOption,
    start: option.string({ description: "New start, in the community's time zone: 2026-03-29 18:00 or tomorrow 18:00", maxLength: 40, typed: START_TYPED }),
    duration: option.string({ description: "New length: 90m, 1h30m or 2h", maxLength: 20, typed: DURATION_TYPED }),
    title: option.string({ description: "New title", maxLength: TITLE_MAX }),
    link: option.string({ description: "New join link", maxLength: LINK_MAX, typed: LINK_TYPED }),
    description: option.string({ description: "New description", maxLength: DESCRIPTION_MAX }),
  },
  handler: async (ctx) => {
    const o = ctx.options;
    if ([o.start, o.duration, o.title, o.link, o.description].every((v) => v === undefined)) {
      throw new UserFacingError("Give at least one thing to change: `start`, `duration`, `title`, `link` or `description`.", "nothing_to_change");
    }
    const zone = zoneOf(ctx.community.config);
    const start = o.start === undefined ? undefined : parseTime(o.start, zone, ctx.now, "start");
    const outcome = await editEvent(ctx, o.event, {
      title: o.title,
      startsAt: start?.at,
      durationMin: o.duration === undefined ? undefined : parseDuration(o.duration),
      link: o.link === undefined ? undefined : checkLink(o.link),
      description: o.description,
    });
    const e = outcome.event;
    const lines = [
      `Updated ${ref(e)} **${e.title}**:`,
      ...outcome.changes.map((c) => `• ${c}`),
      start?.note ?? "",
      `Told ${plural(outcome.told.sent, "member")} who RSVPed${outcome.told.closed + outcome.told.failed > 0 ? ` (${outcome.told.closed + outcome.told.failed} could not be reached)` : ""}.`,
      outcome.reposted ? "The updated details were posted in the announcement channels." : "",
    ];
    return reply.ephemeral(lines.filter(Boolean).join("\n"), { tone: "success" });
  },
});

const cancel = defineCommand({
  name: "cancel",
  description: "Cancel a live event; members who RSVPed are told",
  permission: "creator",
  options: { event: eventOption, reason: option.string({ description: "Why, shown to members", maxLength: 300 }) },
  handler: async (ctx) => {
    const { event, told, posted } = await cancelEvent(ctx, ctx.options.event, ctx.options.reason);
    const unreachable = told.closed + told.failed;
    const lines = [
      `Cancelled ${ref(event)} **${event.title}**. Its reminders will not be sent.`,
      posted.length > 0 ? `Posted a notice in ${describeTargets(posted, ctx.platform)}.` : "",
      `Told ${plural(told.sent + told.skipped, "member")} who RSVPed${unreachable > 0 ? ` (${unreachable} could not be reached)` : ""}.`,
    ];
    return reply.ephemeral(lines.filter(Boolean).join("\n"), { tone: "success" });
  },
});

const rsvp = defineCommand({
  name: "rsvp",
  description: "RSVP to a live event (reminders 24 hours and 15 minutes before), or take it back",
  options: { event: eventOption },
  handler: async (ctx) => {
    const event = await findEvent(ctx.services.db, ctx.community.id, ctx.options.event);
    return rsvpReply(await toggleRsvp(ctx, event.id), ctx.now);
  },
});

const list = defineCommand({
  name: "list",
  description: "Upcoming live events, with RSVP buttons",
  handler: (ctx) => listEvents(ctx),
});

/** The `/live` command. */
export const liveCommand = defineGroup({
  name: "live",
  description: "Live sessions: schedule, edit, cancel, list and RSVP, with reminders",
  subcommands: [schedule, edit, cancel, list, rsvp],
});
