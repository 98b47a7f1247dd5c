/** The RSVP button on live-event announcements (and `/live rsvp`); the answer is private. */
import { defineAction } from "../core/action.js";
import { time } from "../core/markup.js";
import { type Reply, reply } from "../core/reply.js";
import type { LiveEvent } from "../generated/prisma/client.js";
import { REMINDER_LEADS, ref } from "./live-events.js";
import { RSVP_ACTION } from "./live-posts.js";
import { type RsvpOutcome, toggleRsvp } from "./rsvp.js";

export const rsvpAction = defineAction({
  name: RSVP_ACTION,
  handler: async (ctx) => rsvpReply(await toggleRsvp(ctx, ctx.options.value), ctx.now),
});

/** What the member is told after their RSVP changed. */
export function rsvpReply({ event, going }: RsvpOutcome, now: Date): Reply {
  if (!going) return reply.ephemeral(`RSVP cancelled for **${event.title}** (${ref(event)}). You will get no reminders for it.`, { tone: "info" });
  return reply.ephemeral(`You're in for **${event.title}** (${ref(event)}), ${time(event.startsAt)}. ${whatNext(event, now)}`, {
    tone: "success",
    ...(event.wentLiveAt && event.link ? { links: [{ label: "Join", url: event.link }] } : {}),
  });
}

/** Which reminders are still to come, in words. */
function whatNext(event: LiveEvent, now: Date): string {
  if (event.wentLiveAt) return "It is live now.";
  const left = event.startsAt.getTime() - now.getTime();
  if (left > REMINDER_LEADS["24h"]) return "I'll remind you 24 hours and 15 minutes before. RSVP again to cancel.";
  if (left > REMINDER_LEADS["15m"]) return "I'll remind you 15 minutes before. RSVP again to cancel.";
  return "It starts in a few minutes. RSVP again to cancel.";
}
