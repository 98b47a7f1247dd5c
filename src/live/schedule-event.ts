/**
 * `/live schedule`: the event and its reminders and go-live are created in one transaction,
 * then the announcement with its RSVP button is posted to the announcement channels.
 */
import type { CommandContext } from "../core/context.js";
import type { Services } from "../core/services.js";
import { inTransaction } from "../db/transaction.js";
import type { CatalogItem } from "../commerce/index.js";
import type { LiveEvent } from "../generated/prisma/client.js";
import type { ChannelTarget } from "../core/jobs/delivery.js";
import { nextNumber } from "../db/numbering.js";
import { announcementPost } from "./live-posts.js";
import { scheduleEventWork } from "./live-work.js";

/** Who acts, where and when: the part of a command's context the live operations use. */
export type LiveActor = Pick<CommandContext<unknown>, "platform" | "community" | "member" | "space" | "channel" | "now" | "level"> & {
  readonly services: Pick<Services, "db" | "work" | "delivery" | "clock" | "chat" | "catalog" | "entitlements">;
};

export interface NewEvent {
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMin: number;
  readonly link?: string | undefined;
  readonly description?: string | undefined;
  readonly tier?: CatalogItem | undefined;
  readonly targets: readonly ChannelTarget[];
}

/** Creates the event and posts its announcement; returns the channels that refused the post. */
export async function scheduleEvent(actor: LiveActor, input: NewEvent): Promise<{ event: LiveEvent; failed: readonly ChannelTarget[] }> {
  const { db, work, delivery } = actor.services;
  const event = await inTransaction(db, async (tx) => {
    const created = await tx.liveEvent.create({
      data: {
        communityId: actor.community.id,
        number: await nextNumber(tx, "LiveEvent", actor.community.id),
        title: input.title,
        description: input.description ?? "",
        startsAt: input.startsAt,
        durationMin: input.durationMin,
        link: input.link ?? null,
        tierItemId: input.tier?.id ?? null,
        createdById: actor.member.id,
      },
    });
    await scheduleEventWork(tx, work, created, input.targets, actor.now);
    return created;
  });
  const failed = await delivery.post(input.targets, [announcementPost(event, input.tier ?? null)]);
  return { event, failed };
}
