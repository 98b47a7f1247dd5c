/**
 * Live events in the database: numbering, lookup by the number members see, the members who
 * RSVPed, and the keys of an event's scheduled work.
 */
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import type { CatalogItem, CatalogService } from "../commerce/index.js";
import type { LiveEvent } from "../generated/prisma/client.js";

/** What members call an event: "#3". */
export const ref = (e: Pick<LiveEvent, "number">) => `#${e.number}`;

/** When the event is over. */
export const endOf = (e: Pick<LiveEvent, "startsAt" | "durationMin">) => new Date(e.startsAt.getTime() + e.durationMin * 60_000);

/** Keys of an event's scheduled work; every key starts with `live:<eventId>:`. */
export const workKey = {
  prefix: (eventId: string) => `live:${eventId}:`,
  reminder: (eventId: string, lead: ReminderLead) => `live:${eventId}:reminder-${lead}`,
  goLive: (eventId: string) => `live:${eventId}:go-live`,
};

/** How long before the start each reminder goes out. */
export const REMINDER_LEADS = { "24h": 24 * 3_600_000, "15m": 15 * 60_000 } as const;
export type ReminderLead = keyof typeof REMINDER_LEADS;


/** An event of the community by its number, or a refusal that says how to find one. */
export async function findEvent(db: Db | Tx, communityId: string, number: number): Promise<LiveEvent> {
  const event = await db.liveEvent.findUnique({ where: { communityId_number: { communityId, number } } });
  if (!event) throw new UserFacingError(`There is no live event #${number}. \`/live list\` shows the upcoming ones.`, "unknown_event");
  return event;
}

/** Refuses changes to an event that was cancelled or is over. */
export function assertChangeable(event: LiveEvent, now: Date, doing: string): void {
  if (event.status === "cancelled") throw new UserFacingError(`${ref(event)} **${event.title}** was cancelled; there is nothing to ${doing}.`, "event_cancelled");
  if (endOf(event) <= now) throw new UserFacingError(`${ref(event)} **${event.title}** is over; there is nothing to ${doing}.`, "event_over");
}

/** Members who RSVPed, oldest RSVP first. */
export async function rsvpMemberIds(db: Db | Tx, eventId: string): Promise<string[]> {
  const rows = await db.liveRsvp.findMany({ where: { eventId }, orderBy: { createdAt: "asc" }, select: { memberId: true } });
  return rows.map((r) => r.memberId);
}

/** The catalog item an event is restricted to, if any, asked of the catalog (commerce owns its table). */
export async function tierOf(catalog: Pick<CatalogService, "byIds">, event: Pick<LiveEvent, "tierItemId">): Promise<CatalogItem | null> {
  if (!event.tierItemId) return null;
  return (await catalog.byIds([event.tierItemId])).get(event.tierItemId) ?? null;
}
