import { digestSection, type DigestSectionSources } from "../core/digest-sections.js";
import { titled, when } from "../core/digest-text.js";

const EVENTS_MAX = 10;
const EVENTS_AHEAD_MS = 7 * 24 * 3_600_000;

/** Live events' digest section: events in the next 7 days. */
export const liveDigestSections: DigestSectionSources = {
  events: async (db, w) => {
    const found = await db.liveEvent.findMany({
      where: { communityId: w.communityId, status: { notIn: ["cancelled", "ended"] }, cancelledAt: null, startsAt: { gte: w.now, lte: new Date(w.now.getTime() + EVENTS_AHEAD_MS) } },
      orderBy: { startsAt: "asc" },
      take: EVENTS_MAX,
    });
    // The event's link stays out: an event for one tier shares it only with that tier.
    return digestSection("events", "📅 Live events this week", found.map((e) => `• **${titled(`#${e.number} ${e.title}`)}**: ${when(e.startsAt)}`));
  },
};
