/** `/live list`: upcoming and running events with their times, RSVP counts and the member's own RSVPs. */
import { time } from "../core/markup.js";
import { allows } from "../core/permissions.js";
import { type Reply, reply } from "../core/reply.js";
import { DURATION_MAX_MINUTES, describeDuration } from "../announce/index.js";
import { endOf, ref } from "./live-events.js";
import { rsvpButton } from "./live-posts.js";
import type { LiveActor } from "./schedule-event.js";

/** Events shown at once; each of the first few also gets a button. */
const SHOWN = 10;
const WITH_BUTTONS = 5;

export async function listEvents(actor: LiveActor): Promise<Reply> {
  const { db } = actor.services;
  const earliestRunning = new Date(actor.now.getTime() - DURATION_MAX_MINUTES * 60_000);
  const candidates = await db.liveEvent.findMany({
    where: { communityId: actor.community.id, status: { in: ["scheduled", "live"] }, startsAt: { gt: earliestRunning } },
    orderBy: { startsAt: "asc" },
    take: SHOWN * 2,
  });
  const events = candidates.filter((e) => endOf(e) > actor.now).slice(0, SHOWN);
  if (events.length === 0) {
    const hint = allows(actor.level, "creator") ? " Schedule one with `/live schedule`." : "";
    return reply.ephemeral(`No live events are coming up.${hint}`, { title: "Live events" });
  }
  const ids = events.map((e) => e.id);
  const counts = await db.liveRsvp.groupBy({ by: ["eventId"], where: { eventId: { in: ids } }, _count: { _all: true } });
  const countOf = new Map(counts.map((c) => [c.eventId, c._count._all]));
  const mine = new Set((await db.liveRsvp.findMany({ where: { eventId: { in: ids }, memberId: actor.member.id }, select: { eventId: true } })).map((r) => r.eventId));
  const tiers = await actor.services.catalog.byIds(events.flatMap((e) => (e.tierItemId ? [e.tierItemId] : [])));

  const lines = events.map((e) => {
    const going = countOf.get(e.id) ?? 0;
    const tier = e.tierItemId ? tiers.get(e.tierItemId) : undefined;
    const facts = [
      e.startsAt <= actor.now ? "🔴 **live now**" : "",
      `${going} going`,
      mine.has(e.id) ? "you're going ✅" : "",
      tier ? `for members with **${tier.title}**` : "",
    ].filter(Boolean);
    return `**${ref(e)} ${e.title}**: ${time(e.startsAt)} · ${describeDuration(e.durationMin)}\n${facts.join(" · ")}`;
  });
  const buttons = events.slice(0, WITH_BUTTONS).map((e) => (mine.has(e.id) ? rsvpButton(e, `Cancel RSVP ${ref(e)}`, "secondary") : rsvpButton(e, `RSVP ${ref(e)}`)));
  return reply.ephemeral(lines.join("\n\n"), { title: "Live events", buttons, footer: "RSVP with a button or /live rsvp <number>; reminders come 24 hours and 15 minutes before." });
}
