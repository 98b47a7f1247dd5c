// Seeds the delivery benchmark's audience in bulk: a community, `members` members each with a
// Discord account, one live event, and every member's RSVP to it.
import type { Db } from "../src/db/database.js";

export interface Audience {
  readonly communityId: string;
  readonly eventId: string;
}

/** The Discord user id of member number `n`. */
export const benchUserId = (n: number) => String(500000000000000000n + BigInt(n));

export async function seedAudience(db: Db, members: number): Promise<Audience> {
  const communityId = "bench-delivery";
  const eventId = "bench-delivery-event";
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "Community" ("id", "slug", "name") VALUES (${communityId}, 'bench-delivery', 'Bench delivery')`;
    await tx.$executeRaw`
      INSERT INTO "Member" ("id", "communityId", "displayName")
      SELECT 'bench-member-' || n, ${communityId}, 'Member ' || n FROM generate_series(1, ${members}::int) n`;
    await tx.$executeRaw`
      INSERT INTO "PlatformAccount" ("id", "communityId", "memberId", "platform", "externalId", "displayName")
      SELECT 'bench-account-' || n, ${communityId}, 'bench-member-' || n, 'discord', (500000000000000000 + n)::text, 'Member ' || n
      FROM generate_series(1, ${members}::int) n`;
    await tx.$executeRaw`
      INSERT INTO "LiveEvent" ("id", "communityId", "number", "title", "startsAt", "durationMin", "createdById", "updatedAt")
      VALUES (${eventId}, ${communityId}, 1, 'Async Rust office hours', now() + interval '1 day', 60, 'bench-member-1', now())`;
    await tx.$executeRaw`
      INSERT INTO "LiveRsvp" ("eventId", "memberId") SELECT ${eventId}, 'bench-member-' || n FROM generate_series(1, ${members}::int) n`;
  });
  for (const table of ["Member", "PlatformAccount", "LiveRsvp"]) await db.$executeRawUnsafe(`ANALYZE "${table}"`);
  return { communityId, eventId };
}
