/**
 * The hourly review round: an assigned review nobody started within `remindAfterBusinessHours`
 * reminds its reviewer once; `reassignAfterBusinessHours` after that reminder it goes to
 * someone else; waiting requests are assigned when reviewers became available (an absence
 * ended). Each step is conditional on the request as it is now, so a repeated or concurrent
 * run changes nothing twice.
 */
import type { ReviewRequest } from "../generated/prisma/client.js";
import type { Job } from "../core/jobs/jobs.js";
import type { Logger } from "../log/logger.js";
import { businessHoursPassed } from "./business-hours.js";
import { announceReassignment } from "./progress.js";
import { withQueue } from "./queue.js";
import { type ReviewKit, reviewSettings } from "./review-deps.js";
import { ref } from "./review-text.js";

export interface RoundOutcome {
  reminded: number;
  reassigned: number;
  assigned: number;
}

type Settings = ReturnType<typeof reviewSettings>;

/** One round over every community with assigned or waiting requests. */
export async function reviewRound(kit: ReviewKit, now: Date, log: Logger): Promise<RoundOutcome> {
  const outcome: RoundOutcome = { reminded: 0, reassigned: 0, assigned: 0 };
  const active = await kit.db.reviewRequest.findMany({ where: { status: { in: ["assigned", "waiting"] } }, distinct: ["communityId"], select: { communityId: true } });
  for (const { communityId } of active) {
    try {
      const community = await kit.db.community.findUniqueOrThrow({ where: { id: communityId } });
      const settings = reviewSettings(kit.communities.find((c) => c.slug === community.slug));
      await remindAndReassign(kit, communityId, settings, now, outcome);
      const moved = await withQueue(kit.db, communityId, (_tx, queue) => queue.assignWaiting(now));
      for (const change of moved) await announceReassignment(kit, change, "A reviewer is available.");
      outcome.assigned += moved.length;
    } catch (error) {
      log.error({ err: error, community: communityId }, "review round failed for a community");
    }
  }
  return outcome;
}

async function remindAndReassign(kit: ReviewKit, communityId: string, settings: Settings, now: Date, outcome: RoundOutcome): Promise<void> {
  const unstarted = await kit.db.reviewRequest.findMany({ where: { communityId, status: "assigned", claimedAt: null }, orderBy: { number: "asc" } });
  for (const r of unstarted) {
    if (!r.assigneeId || !r.assignedAt) continue;
    if (!r.remindedAt) {
      if (!businessHoursPassed(r.assignedAt, settings.remindAfterBusinessHours, now, settings.timezone)) continue;
      const marked = await kit.db.reviewRequest.updateMany({ where: { id: r.id, status: "assigned", assigneeId: r.assigneeId, claimedAt: null, remindedAt: null }, data: { remindedAt: now } });
      if (marked.count === 0) continue; // claimed, passed or reminded meanwhile
      await kit.announce.remind(r, r.assigneeId, settings.remindAfterBusinessHours, settings.reassignAfterBusinessHours);
      outcome.reminded++;
    } else if (businessHoursPassed(r.remindedAt, settings.reassignAfterBusinessHours, now, settings.timezone)) {
      if (await reassignUnstarted(kit, r, settings, now)) outcome.reassigned++;
    }
  }
}

/** Moves a reminded, still unstarted review to another reviewer; false when nobody else can take it yet. */
async function reassignUnstarted(kit: ReviewKit, seen: ReviewRequest, settings: Settings, now: Date): Promise<boolean> {
  const previous = seen.assigneeId!;
  const change = await withQueue(kit.db, seen.communityId, async (tx, queue) => {
    const r = await tx.reviewRequest.findUniqueOrThrow({ where: { id: seen.id } });
    const unchanged = r.status === "assigned" && r.claimedAt === null && r.assigneeId === previous && r.remindedAt?.getTime() === seen.remindedAt?.getTime();
    return unchanged ? queue.reassign(r, now, { alsoExclude: previous, keepIfNobody: true }) : undefined;
  });
  if (!change) return false;
  const total = settings.remindAfterBusinessHours + settings.reassignAfterBusinessHours;
  const old = await kit.announce.who(previous, change.request.platform);
  await announceReassignment(kit, change, `${old.text} did not start it within ${total} business hours, so it moves on.`);
  await kit.announce.direct(previous, `Review ${ref(change.request)} went to another reviewer because it was not started within ${total} business hours. No need to do anything.`, change.request);
  return true;
}

/** The scheduled job: one review round every hour. */
export function reviewJob(kit: ReviewKit, log: Logger): Job {
  return {
    name: "review-reminders",
    cron: "0 * * * *",
    run: async () => {
      const outcome = await reviewRound(kit, kit.clock.now(), log);
      if (outcome.reminded + outcome.reassigned + outcome.assigned > 0) log.info(outcome, "review round");
    },
  };
}
