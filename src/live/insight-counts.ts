import type { CountSource } from "../core/counts.js";

/**
 * Live events' counts for creator insights, per event: RSVPs, reminders delivered and
 * reminders refused (the member's direct messages were closed), from the event's RSVPs and
 * the delivery records of its reminders.
 */
export const liveCounts: CountSource = async (db, { communityId }) => {
  const rows = await db.$queryRaw<{ id: string; rsvps: bigint; delivered: bigint; refused: bigint }[]>`
    SELECT e."id",
      (SELECT COUNT(*) FROM "LiveRsvp" r WHERE r."eventId" = e."id")::bigint AS "rsvps",
      (SELECT COUNT(*) FROM "Delivery" d WHERE d."key" LIKE 'live:' || e."id" || ':reminder-%' AND d."status" = 'sent')::bigint AS "delivered",
      (SELECT COUNT(*) FROM "Delivery" d WHERE d."key" LIKE 'live:' || e."id" || ':reminder-%' AND d."status" = 'closed')::bigint AS "refused"
    FROM "LiveEvent" e WHERE e."communityId" = ${communityId}`;
  return rows.flatMap((r) => [
    { metric: "events.rsvps", period: "event", key: r.id, value: Number(r.rsvps) },
    { metric: "events.delivered", period: "event", key: r.id, value: Number(r.delivered) },
    { metric: "events.refused", period: "event", key: r.id, value: Number(r.refused) },
  ]);
};
