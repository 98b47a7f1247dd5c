/**
 * `/live edit`: changes an event's details. A new start moves its reminders and go-live
 * (same keys, so nothing is sent twice); members who RSVPed are told what changed, and a
 * change of time, length or title is posted again in the announcement channels.
 */
import { UserFacingError } from "../core/errors.js";
import { time } from "../core/markup.js";
import { inTransaction } from "../db/transaction.js";
import type { LiveEvent } from "../generated/prisma/client.js";
import { describeDuration } from "../announce/index.js";
import type { DeliveryReport } from "../core/jobs/delivery.js";
import { assertChangeable, findEvent, ref, rsvpMemberIds, tierOf } from "./live-events.js";
import { announcementPost, changedMessage } from "./live-posts.js";
import { eventTargets, scheduleEventWork } from "./live-work.js";
import type { LiveActor } from "./schedule-event.js";

export interface EventChanges {
  readonly title?: string | undefined;
  readonly startsAt?: Date | undefined;
  readonly durationMin?: number | undefined;
  readonly link?: string | undefined;
  readonly description?: string | undefined;
}

export interface EditOutcome {
  readonly event: LiveEvent;
  /** One line per change, as told to members. */
  readonly changes: readonly string[];
  readonly told: DeliveryReport;
  readonly reposted: boolean;
}

export async function editEvent(actor: LiveActor, number: number, input: EventChanges): Promise<EditOutcome> {
  const { db, work, delivery } = actor.services;
  const { before, after } = await inTransaction(db, async (tx) => {
    const current = await findEvent(tx, actor.community.id, number);
    assertChangeable(current, actor.now, "change");
    const moved = input.startsAt !== undefined && input.startsAt.getTime() !== current.startsAt.getTime();
    if (!moved && !differs(current, input)) throw new UserFacingError(`That is what ${ref(current)} already says; nothing changed.`, "nothing_changed");
    if (moved && current.wentLiveAt) throw new UserFacingError(`${ref(current)} is already live; its start can no longer move.`, "event_live");
    // A conditional update: a concurrent cancel or go-live between the read and here wins.
    const { count } = await tx.liveEvent.updateMany({
      where: { id: current.id, status: current.status, startsAt: current.startsAt },
      data: {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.startsAt !== undefined ? { startsAt: input.startsAt } : {}),
        ...(input.durationMin !== undefined ? { durationMin: input.durationMin } : {}),
        ...(input.link !== undefined ? { link: input.link } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      },
    });
    if (count === 0) throw new UserFacingError(`${ref(current)} changed while you edited it; check \`/live list\` and try again.`, "event_changed");
    const updated = await tx.liveEvent.findUniqueOrThrow({ where: { id: current.id } });
    if (moved) await scheduleEventWork(tx, work, updated, await eventTargets(tx, updated.id), actor.now);
    return { before: current, after: updated };
  });

  const changes = describeChanges(before, after);
  const members = await rsvpMemberIds(db, after.id);
  const stamp = after.updatedAt.getTime();
  const told = await delivery.sendDirect(members.map((memberId) => ({ key: `live:${after.id}:edit-${stamp}:${memberId}`, memberId, message: changedMessage(after, changes) })));
  const publicChange = before.title !== after.title || before.startsAt.getTime() !== after.startsAt.getTime() || before.durationMin !== after.durationMin;
  if (publicChange) await delivery.post(await eventTargets(db, after.id), [announcementPost(after, await tierOf(actor.services.catalog, after), "updated")]);
  return { event: after, changes, told, reposted: publicChange };
}

/** Whether any detail other than the start would change. */
function differs(current: LiveEvent, input: EventChanges): boolean {
  return (
    (input.title !== undefined && input.title !== current.title) ||
    (input.durationMin !== undefined && input.durationMin !== current.durationMin) ||
    (input.link !== undefined && input.link !== current.link) ||
    (input.description !== undefined && input.description !== current.description)
  );
}

/** "Starts: <old> → <new>", one line per field that changed. */
function describeChanges(before: LiveEvent, after: LiveEvent): string[] {
  const lines: string[] = [];
  if (before.title !== after.title) lines.push(`Title: “${before.title}” → “${after.title}”`);
  if (before.startsAt.getTime() !== after.startsAt.getTime()) lines.push(`Starts: ${time(before.startsAt)} → ${time(after.startsAt)}`);
  if (before.durationMin !== after.durationMin) lines.push(`Length: ${describeDuration(before.durationMin)} → ${describeDuration(after.durationMin)}`);
  if (before.link !== after.link) lines.push(`Link: ${after.link ?? "none"}`);
  if (before.description !== after.description) lines.push("The description was updated.");
  return lines;
}
