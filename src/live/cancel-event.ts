/**
 * `/live cancel`: the event is marked cancelled and its pending reminders and go-live are
 * cancelled in the same transaction; then a notice is posted where it was announced and
 * every member who RSVPed is told privately (once each).
 */
import { UserFacingError } from "../core/errors.js";
import { inTransaction } from "../db/transaction.js";
import type { LiveEvent } from "../generated/prisma/client.js";
import type { ChannelTarget, DeliveryReport } from "../core/jobs/delivery.js";
import { assertChangeable, findEvent, ref, rsvpMemberIds, workKey } from "./live-events.js";
import { cancelledMessage, cancelledPost } from "./live-posts.js";
import { eventTargets } from "./live-work.js";
import type { LiveActor } from "./schedule-event.js";

export interface CancelOutcome {
  readonly event: LiveEvent;
  readonly told: DeliveryReport;
  readonly posted: readonly ChannelTarget[];
}

export async function cancelEvent(actor: LiveActor, number: number, reason: string | undefined): Promise<CancelOutcome> {
  const { db, work, delivery } = actor.services;
  const event = await inTransaction(db, async (tx) => {
    const current = await findEvent(tx, actor.community.id, number);
    assertChangeable(current, actor.now, "cancel");
    const { count } = await tx.liveEvent.updateMany({ where: { id: current.id, status: { not: "cancelled" } }, data: { status: "cancelled", cancelledAt: actor.now } });
    if (count === 0) throw new UserFacingError(`${ref(current)} was cancelled already.`, "event_cancelled");
    await work.cancel(tx, workKey.prefix(current.id));
    return tx.liveEvent.findUniqueOrThrow({ where: { id: current.id } });
  });
  const targets = await eventTargets(db, event.id);
  const failed = await delivery.post(targets, [cancelledPost(event, reason)]);
  const members = await rsvpMemberIds(db, event.id);
  const told = await delivery.sendDirect(members.map((memberId) => ({ key: `live:${event.id}:cancelled:${memberId}`, memberId, message: cancelledMessage(event, reason) })));
  return { event, told, posted: targets.filter((t) => !failed.includes(t)) };
}
