/**
 * RSVPs: the button on an event's announcement toggles the member's RSVP. An event
 * restricted to a catalog tier takes RSVPs only from members with active access to it
 * (creators and admins may always RSVP, to host it).
 */
import { isActive } from "../commerce/index.js";
import { allows } from "../core/permissions.js";
import { UserFacingError } from "../core/errors.js";
import type { CatalogItem } from "../commerce/index.js";
import type { LiveEvent } from "../generated/prisma/client.js";
import { endOf, ref, tierOf } from "./live-events.js";
import type { LiveActor } from "./schedule-event.js";

export interface RsvpOutcome {
  readonly event: LiveEvent;
  /** True when the member is now going, false when they took their RSVP back. */
  readonly going: boolean;
}

export async function toggleRsvp(actor: LiveActor, eventId: string): Promise<RsvpOutcome> {
  const { db } = actor.services;
  const event = await db.liveEvent.findUnique({ where: { id: eventId } });
  if (!event || event.communityId !== actor.community.id) throw new UserFacingError("That event no longer exists. `/live list` shows the upcoming ones.", "unknown_event");
  if (event.status === "cancelled") throw new UserFacingError(`${ref(event)} **${event.title}** was cancelled.`, "event_cancelled");
  if (endOf(event) <= actor.now) throw new UserFacingError(`${ref(event)} **${event.title}** is over. \`/live list\` shows what is coming up.`, "event_over");

  const key = { eventId_memberId: { eventId, memberId: actor.member.id } };
  // A double click may race: deleteMany and skipDuplicates keep both clicks harmless.
  if (await db.liveRsvp.findUnique({ where: key })) {
    await db.liveRsvp.deleteMany({ where: { eventId, memberId: actor.member.id } });
    return { event, going: false };
  }
  const tier = await tierOf(actor.services.catalog, event);
  if (tier && !allows(actor.level, "creator") && !(await hasAccess(actor, tier))) {
    throw new UserFacingError(`${ref(event)} **${event.title}** is for members with **${tier.title}**. Get it with \`/buy ${tier.name}\`, then RSVP again.`, "tier_required");
  }
  await db.liveRsvp.createMany({ data: [{ eventId, memberId: actor.member.id }], skipDuplicates: true });
  return { event, going: true };
}

async function hasAccess(actor: LiveActor, item: CatalogItem): Promise<boolean> {
  const entitlements = await actor.services.entitlements.forMember(actor.member.id);
  return entitlements.some((e) => e.itemId === item.id && isActive(e, actor.now));
}
