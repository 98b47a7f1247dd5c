/**
 * A request's life after it opens: the assignee passes it on or claims it, another reviewer
 * takes it over, the requester cancels it. Each change runs under the community's review lock
 * on the request as it is now, and is announced in its thread after commit.
 */
import { UserFacingError } from "../core/errors.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import { claimButton } from "./announcer.js";
import { findRequest } from "./find-request.js";
import { type Reassignment, UNFINISHED_STATUSES, withQueue } from "./queue.js";
import type { ReviewActor, ReviewKit } from "./review-deps.js";
import { ref } from "./review-text.js";

/** Why a finished or cancelled request cannot change any more. */
export function closedError(r: ReviewRequest): UserFacingError {
  const why = r.status === "done" ? "is already done" : r.status === "withdrawn" ? "was withdrawn by its reviewer" : "was cancelled";
  return new UserFacingError(`Review ${ref(r)} ${why}.`, "review_closed");
}

const isUnfinished = (r: ReviewRequest) => (UNFINISHED_STATUSES as readonly string[]).includes(r.status);

/** Tells the thread who has a request now, pinging the new assignee. */
export async function announceReassignment(kit: ReviewKit, change: Reassignment, why: string): Promise<void> {
  const r = change.request;
  if (!change.to) {
    await kit.announce.note(r, { text: `${why} No other reviewer is available, so ${ref(r)} waits for the next one who joins or comes back. Any reviewer can click **Claim** to take it.`, buttons: [claimButton(r)] });
    return;
  }
  const named = await kit.announce.who(change.to, r.platform);
  const fallback = change.languageMatched ? "" : ` (nobody available lists \`${r.language}\`, so you were picked from everyone)`;
  await kit.announce.note(r, {
    text: `${why} ${named.text}, ${ref(r)} is yours now${fallback}. Click **Claim** when you start, or \`/review pass\` to hand it on.`,
    buttons: [claimButton(r)],
    notify: [change.to],
    privately: `You have been asked to review ${ref(r)}${r.language ? ` (${r.language})` : ""}. Open its thread, click **Claim** when you start, and finish with \`/review done\`.`,
  });
}

/** `/review pass`: the assignee hands the request to the next reviewer (never back to them). */
export async function pass(kit: ReviewKit, actor: ReviewActor, number: number | undefined): Promise<Reassignment> {
  const found = await findRequest(kit.db, actor, number, { as: "assignee", statuses: ["assigned", "claimed"] });
  const change = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    const r = await tx.reviewRequest.findUniqueOrThrow({ where: { id: found.id } });
    if (!isUnfinished(r)) throw closedError(r);
    if (r.assigneeId !== actor.member.id) throw new UserFacingError(`Review ${ref(r)} is not assigned to you, so there is nothing to pass.`, "not_assignee");
    return (await queue.reassign(r, actor.now, { alsoExclude: actor.member.id }))!;
  });
  const me = await kit.announce.who(actor.member.id, change.request.platform);
  await announceReassignment(kit, change, `${me.text} passed.`);
  return change;
}

export interface Claimed {
  readonly request: ReviewRequest;
  /** Set when the claimer took the request over from someone else. */
  readonly tookOverFrom: string | null;
}

/**
 * The Claim button. The assignee starts the review; another reviewer takes over a request
 * nobody has started (or one that waits for a reviewer).
 */
export async function claim(kit: ReviewKit, actor: ReviewActor, requestId: string): Promise<Claimed> {
  const result = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    const r = await tx.reviewRequest.findUnique({ where: { id: requestId } });
    if (!r || r.communityId !== actor.community.id) throw new UserFacingError("That review no longer exists.", "unknown_review");
    if (!isUnfinished(r)) throw closedError(r);
    if (r.requesterId === actor.member.id) throw new UserFacingError("You cannot review your own request.", "own_review");
    if (r.claimedAt) {
      if (r.assigneeId === actor.member.id) throw new UserFacingError(`You already started ${ref(r)}. Finish with \`/review done\`.`, "already_claimed");
      throw new UserFacingError(`Someone already started ${ref(r)}.`, "already_claimed");
    }
    if (r.assigneeId === actor.member.id) {
      return { request: await tx.reviewRequest.update({ where: { id: r.id }, data: { status: "claimed", claimedAt: actor.now } }), tookOverFrom: null };
    }
    const reviewer = await tx.reviewer.findUnique({ where: { communityId_memberId: { communityId: actor.community.id, memberId: actor.member.id } } });
    if (!reviewer || reviewer.leftAt) throw new UserFacingError("Only reviewers can claim reviews. Join with `/reviewer join <languages>`.", "not_reviewer");
    if (r.assigneeId) await queue.counted(r.assigneeId, -1, actor.now);
    await queue.counted(actor.member.id, 1, actor.now);
    const request = await tx.reviewRequest.update({ where: { id: r.id }, data: { status: "claimed", assigneeId: actor.member.id, assignedAt: actor.now, claimedAt: actor.now, remindedAt: null } });
    return { request, tookOverFrom: r.assigneeId };
  });
  const me = await kit.announce.who(actor.member.id, result.request.platform);
  const previous = result.tookOverFrom && (await kit.announce.who(result.tookOverFrom, result.request.platform));
  await kit.announce.note(result.request, {
    text: previous ? `${me.text} took over ${ref(result.request)} and started reviewing. ${previous.text}, nothing more is needed from you here.` : `${me.text} started reviewing ${ref(result.request)}.`,
  });
  return result;
}

/** `/review cancel`: the requester (or a creator) withdraws a request nobody has finished. */
export async function cancel(kit: ReviewKit, actor: ReviewActor, number: number | undefined): Promise<ReviewRequest> {
  const found = await findRequest(kit.db, actor, number, { as: "requester", statuses: UNFINISHED_STATUSES });
  const r = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    const current = await tx.reviewRequest.findUniqueOrThrow({ where: { id: found.id } });
    if (current.requesterId !== actor.member.id && actor.level === "member") throw new UserFacingError(`Only the member who asked for ${ref(current)} can cancel it.`, "not_requester");
    if (!isUnfinished(current)) throw closedError(current);
    if (current.assigneeId && current.status !== "waiting") await queue.counted(current.assigneeId, -1, actor.now);
    if (current.priorityRedemptionId) {
      await kit.points?.()?.rewards.releasePriorityReview(tx, current.priorityRedemptionId);
    }
    return tx.reviewRequest.update({ where: { id: current.id }, data: { status: "cancelled" } });
  });
  const by = r.requesterId === actor.member.id ? "its requester" : "a moderator";
  await kit.announce.note(r, {
    text: `${ref(r)} was cancelled by ${by}.${r.assigneeId ? ` ${(await kit.announce.who(r.assigneeId, r.platform)).text}, no review is needed any more.` : ""}`,
    notify: r.assigneeId ? [r.assigneeId] : [],
    privately: `Review ${ref(r)} was cancelled by ${by}; no review is needed any more.`,
  });
  return r;
}
