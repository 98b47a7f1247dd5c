/**
 * What live events look like: the announcement with its RSVP button, the "live now" post,
 * reminders and notices. Times are time tokens, so every reader sees their own zone.
 */
import type { Post } from "../core/chat.js";
import { time } from "../core/markup.js";
import type { MessageContent, ReplyButton } from "../core/reply.js";
import type { CatalogItem } from "../commerce/index.js";
import type { LiveEvent } from "../generated/prisma/client.js";
import { describeDuration } from "../announce/index.js";
import { endOf, ref } from "./live-events.js";
import { inline, quoted } from "../core/member-text.js";

/** The RSVP button's action; its value is the event id. */
export const RSVP_ACTION = "live-rsvp";

export const rsvpButton = (event: Pick<LiveEvent, "id">, label = "RSVP", style: ReplyButton["style"] = "primary"): ReplyButton => ({ label, action: RSVP_ACTION, value: event.id, style });

type Tier = Pick<CatalogItem, "name" | "title"> | null;

/** A direct message: always has text (delivery needs it for plain-text fallbacks). */
export type DirectMessage = MessageContent & { readonly text: string };

/** "Only members with **Async Rust** can RSVP (get it with `/buy async-rust`)." for a tier event. */
export function tierLine(tier: Tier): string {
  return tier ? `Only members with **${tier.title}** can RSVP (get it with \`/buy ${tier.name}\`).` : "";
}

/** "**When:** <time token> · 1 h 30 min". */
export function whenLine(event: Pick<LiveEvent, "startsAt" | "durationMin">): string {
  return `**When:** ${time(event.startsAt)} · ${describeDuration(event.durationMin)}`;
}

/** The announcement in the channels; `heading` says whether it is new or updated. */
export function announcementPost(event: LiveEvent, tier: Tier, heading: "new" | "updated" = "new"): Post {
  const lines = [
    heading === "updated" ? "**Updated:** the details below replace the earlier announcement." : "",
    quoted(event.description),
    whenLine(event),
    tierLine(tier),
    `Click **RSVP** to get a reminder 24 hours and 15 minutes before.${event.link ? " The link is posted here when it starts." : ""}`,
  ];
  return {
    title: `Live ${ref(event)}: ${quoted(event.title)}`,
    text: lines.filter(Boolean).join("\n"),
    buttons: [rsvpButton(event)],
    footer: `Click RSVP again to cancel it · or use /live rsvp ${event.number} · /live list shows every upcoming event`,
    tone: "info",
  };
}

/** The post at the start. */
export function goLivePost(event: LiveEvent, tier: Tier): Post {
  const join = event.link ? `Join here: ${event.link}` : "Join us now.";
  return {
    title: `🔴 Live now: ${quoted(event.title)}`,
    text: [join, tier ? `For members with **${tier.title}**.` : "", `Until ${time(endOf(event))}.`].filter(Boolean).join("\n"),
    ...(event.link ? { links: [{ label: "Join", url: event.link }] } : {}),
    tone: "success",
  };
}

/** "in 15 minutes", "in 24 hours", "in 3 days": how far off a moment is, rounded. */
export function inWords(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} hours`;
  return `in ${Math.round(hours / 24)} days`;
}

/** A reminder to a member who RSVPed, sent at `now` (the wording follows the real time left). */
export function reminderMessage(event: LiveEvent, now: Date): DirectMessage {
  const link = event.link ? `Join here: ${event.link}` : "The link is posted in the announcement channel when it starts.";
  return {
    text: `Reminder: **${inline(event.title)}** (${ref(event)}) starts ${inWords(event.startsAt.getTime() - now.getTime())}, at ${time(event.startsAt)}.\n${link}`,
    ...(event.link ? { links: [{ label: "Join", url: event.link }] } : {}),
    tone: "info",
  };
}

/** The post in the channels when an event is cancelled. */
export function cancelledPost(event: LiveEvent, reason: string | undefined): Post {
  return {
    title: `Cancelled: ${quoted(event.title)}`,
    text: [`Live ${ref(event)}, planned for ${time(event.startsAt)}, is cancelled.`, reason ? `Reason: ${inline(reason)}` : ""].filter(Boolean).join("\n"),
    tone: "warning",
  };
}

/** The direct message to members who RSVPed to a cancelled event. */
export function cancelledMessage(event: LiveEvent, reason: string | undefined): DirectMessage {
  return { text: [`**${inline(event.title)}** (${ref(event)}), planned for ${time(event.startsAt)}, is cancelled. You will get no reminders for it.`, reason ? `Reason: ${inline(reason)}` : ""].filter(Boolean).join("\n"), tone: "warning" };
}

/** The direct message to members who RSVPed when an event changed; `changes` are lines. */
export function changedMessage(event: LiveEvent, changes: readonly string[]): DirectMessage {
  return {
    text: [`**${inline(event.title)}** (${ref(event)}), which you RSVPed to, has changed:`, ...changes.map((c) => `• ${c}`), `You are still in; reminders follow the new time.`].join("\n"),
    ...(event.link ? { links: [{ label: "Join link", url: event.link }] } : {}),
    tone: "info",
  };
}
