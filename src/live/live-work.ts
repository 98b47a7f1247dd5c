/**
 * An event's scheduled work: reminders 24 hours and 15 minutes before (direct messages to
 * everyone who RSVPed, once per member) and the "live now" post at the start (once per
 * event: a conditional update on `wentLiveAt` picks the one process that posts it).
 */
import { z } from "zod";
import type { Services } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import type { LiveEvent, Prisma } from "../generated/prisma/client.js";
import { storedTargets } from "../announce/index.js";
import { postOnce } from "../announce/index.js";
import type { ChannelTarget } from "../core/jobs/delivery.js";
import type { ScheduledWorkQueue, WorkHandler, WorkItem, WorkRun } from "../core/jobs/scheduled-work.js";
import { endOf, REMINDER_LEADS, type ReminderLead, rsvpMemberIds, tierOf, workKey } from "./live-events.js";
import { goLivePost, reminderMessage } from "./live-posts.js";
import { InternalError } from "../core/errors.js";

export const LIVE_REMINDER = "live.reminder";
export const LIVE_GO_LIVE = "live.go-live";

/** Reminders that could not reach someone are retried this many times in all, then left. */
const REMINDER_ATTEMPTS = 3;

type LiveServices = Pick<Services, "db" | "work" | "delivery" | "clock" | "catalog">;

const payloadSchema = z.object({ eventId: z.string(), targets: z.unknown(), lead: z.enum(["24h", "15m"]).optional() });

/**
 * Schedules (or moves, keeping the keys) an event's reminders and go-live. A reminder whose
 * moment has already passed (an event less than 24 hours away) is not scheduled, and one
 * scheduled before an edit is cancelled.
 */
export async function scheduleEventWork(tx: Tx, work: ScheduledWorkQueue, event: Pick<LiveEvent, "id" | "startsAt">, targets: readonly ChannelTarget[], now: Date): Promise<void> {
  const base = { eventId: event.id, targets };
  for (const lead of Object.keys(REMINDER_LEADS) as ReminderLead[]) {
    const key = workKey.reminder(event.id, lead);
    const runAt = new Date(event.startsAt.getTime() - REMINDER_LEADS[lead]);
    if (runAt > now) await work.schedule(tx, { kind: LIVE_REMINDER, key, runAt, payload: { ...base, lead } as unknown as Prisma.InputJsonValue });
    else await work.cancel(tx, key);
  }
  await work.schedule(tx, { kind: LIVE_GO_LIVE, key: workKey.goLive(event.id), runAt: event.startsAt, payload: base as unknown as Prisma.InputJsonValue });
}

/** The channels an event was announced in (kept with its go-live work), for notices about it. */
export async function eventTargets(db: Db | Tx, eventId: string): Promise<ChannelTarget[]> {
  const item = await db.scheduledWork.findUnique({ where: { key: workKey.goLive(eventId) }, select: { payload: true } });
  return item ? storedTargets(payloadSchema.parse(item.payload).targets) : [];
}

function reminderHandler(services: LiveServices): WorkHandler {
  return {
    kind: LIVE_REMINDER,
    async run(item: WorkItem, { signal }: WorkRun) {
      const { eventId, lead } = payloadSchema.parse(item.payload);
      const event = await services.db.liveEvent.findUnique({ where: { id: eventId } });
      const now = services.clock.now();
      if (!event || event.status !== "scheduled" || event.startsAt <= now || !lead) return;
      // Moved later while this ran: the moved item reminds at the new time.
      if (event.startsAt.getTime() - REMINDER_LEADS[lead] > now.getTime() + 60_000) return;
      const message = reminderMessage(event, now);
      const members = await rsvpMemberIds(services.db, event.id);
      // Each member's reminder is claimed before it goes out, so a run that takes over from a
      // dead process sends only what that process had not claimed, and settles what it had
      // claimed and not confirmed (delivery-settle.ts); `signal` stops this run if it loses the
      // item to another.
      const report = await services.delivery.sendDirect(
        members.map((memberId) => ({ key: `${workKey.reminder(event.id, lead)}:${memberId}`, memberId, message })),
        { signal },
      );
      if (report.failed > 0 && item.attempts < REMINDER_ATTEMPTS) throw new InternalError("live_reminders_failed", `${report.failed} reminders for live event ${event.id} failed; retrying`);
    },
  };
}

function goLiveHandler(services: LiveServices): WorkHandler {
  return {
    kind: LIVE_GO_LIVE,
    async run(item: WorkItem) {
      const { eventId, targets } = payloadSchema.parse(item.payload);
      const { db } = services;
      const event = await db.liveEvent.findUnique({ where: { id: eventId } });
      const now = services.clock.now();
      // Nobody ran while it happened: a "live now" after the end would mislead.
      if (!event || event.status !== "scheduled" || endOf(event) <= now) return;
      const outcome = await postOnce(services.delivery, storedTargets(targets), [goLivePost(event, await tierOf(services.catalog, event))], {
        claim: async () => (await db.liveEvent.updateMany({ where: { id: eventId, wentLiveAt: null, status: "scheduled", startsAt: { lte: now } }, data: { wentLiveAt: now, status: "live" } })).count === 1,
        release: async () => void (await db.liveEvent.updateMany({ where: { id: eventId, wentLiveAt: now }, data: { wentLiveAt: null, status: "scheduled" } })),
      });
      if (outcome.kind === "failed") throw new InternalError("live_post_not_posted", `the live-now post of event ${eventId} reached no channel`);
    },
  };
}

/** The live-event handlers for the work queue: reminders and the go-live post. */
export function liveWork(services: LiveServices): WorkHandler[] {
  return [reminderHandler(services), goLiveHandler(services)];
}
