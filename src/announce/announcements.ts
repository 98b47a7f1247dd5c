/**
 * A creator's announcement: stored, then posted at once or at its time by scheduled work,
 * to the channels chosen when it was made. It is posted once: whoever sets `postedAt` first
 * posts it, so a retried or doubly-claimed work item cannot post it again.
 */
import { z } from "zod";
import type { Post } from "../core/chat.js";
import type { Services } from "../core/services.js";
import { inTransaction } from "../db/transaction.js";
import type { Announcement, Prisma } from "../generated/prisma/client.js";
import type { ChannelTarget } from "../core/jobs/delivery.js";
import type { WorkHandler } from "../core/jobs/scheduled-work.js";
import { storedTargets } from "./channels.js";
import { type PostOutcome, postOnce } from "./post-once.js";
import { InternalError } from "../core/errors.js";

export const ANNOUNCEMENT_WORK = "announcement.post";

type AnnounceServices = Pick<Services, "db" | "work" | "delivery" | "clock">;

export interface AnnounceInput {
  readonly communityId: string;
  readonly authorId: string;
  /** Reply markup; times already turned into time tokens. */
  readonly text: string;
  readonly targets: readonly ChannelTarget[];
  /** Omitted: post now. */
  readonly postAt?: Date;
  readonly now: Date;
}

/** Stores the announcement; one for later is scheduled in the same transaction. */
export async function createAnnouncement(services: AnnounceServices, input: AnnounceInput): Promise<Announcement> {
  return inTransaction(services.db, async (tx) => {
    const announcement = await tx.announcement.create({ data: { communityId: input.communityId, authorId: input.authorId, text: input.text, postAt: input.postAt ?? input.now } });
    if (input.postAt) {
      const payload = { announcementId: announcement.id, targets: input.targets } as unknown as Prisma.InputJsonValue;
      await services.work.schedule(tx, { kind: ANNOUNCEMENT_WORK, key: `announcement:${announcement.id}`, runAt: input.postAt, payload });
    }
    return announcement;
  });
}

/** Posts a stored announcement to `targets`, unless it was posted already. */
export async function deliverAnnouncement(services: AnnounceServices, announcementId: string, targets: readonly ChannelTarget[]): Promise<PostOutcome> {
  const { db } = services;
  const announcement = await db.announcement.findUnique({ where: { id: announcementId } });
  if (!announcement) return { kind: "already" };
  const author = await db.member.findUnique({ where: { id: announcement.authorId }, select: { displayName: true } });
  return postOnce(services.delivery, targets, [announcementPost(announcement.text, author?.displayName)], {
    claim: async () => (await db.announcement.updateMany({ where: { id: announcementId, postedAt: null }, data: { postedAt: services.clock.now() } })).count === 1,
    release: async () => void (await db.announcement.updateMany({ where: { id: announcementId }, data: { postedAt: null } })),
  });
}

/** How an announcement looks in a channel. */
export function announcementPost(text: string, author: string | undefined): Post {
  return { title: "Announcement", text, tone: "info", ...(author ? { footer: `From ${author}` } : {}) };
}

const payloadSchema = z.object({ announcementId: z.string(), targets: z.unknown() });

/** Runs scheduled announcements; one that reached no channel is retried by the queue. */
export function announcementWork(services: AnnounceServices): WorkHandler {
  return {
    kind: ANNOUNCEMENT_WORK,
    async run(item) {
      const payload = payloadSchema.parse(item.payload);
      const outcome = await deliverAnnouncement(services, payload.announcementId, storedTargets(payload.targets));
      if (outcome.kind === "failed") throw new InternalError("announcement_not_posted", `announcement ${payload.announcementId} could not be posted in any channel`);
    },
  };
}
