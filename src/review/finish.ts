/**
 * Finishing a review: `/review done` records the rubric and pays the reviewer, `/review
 * withdraw` retracts it and reverses its points, and the requester's Thank button adds kudos.
 * Every point goes through the ledger in the same transaction as the request's change.
 */
import { pointsSettingsSection } from "../points/index.js";
import { UserFacingError } from "../core/errors.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import { badgeAnnouncement, type EarnedBadge } from "../points/index.js";
import { THANK_ACTION } from "./announcer.js";
import { findRequest } from "./find-request.js";
import { rateButtons } from "./rate-review.js";
import { closedError } from "./progress.js";
import { withQueue } from "./queue.js";
import type { ReviewActor, ReviewKit, SummaryMatch } from "./review-deps.js";
import { heldFor, matchOf, recordHold, reportHeld, reviewHoldAccount } from "./copied-summary.js";
import { ratings, ref, REVIEW_POINTS, reviewSource } from "./review-text.js";
import { quoted } from "../core/member-text.js";


export interface Rubric {
  readonly practicality: number;
  readonly coverage: number;
  readonly clarity: number;
  readonly summary: string;
}

/**
 * `/review done`: the assignee's ratings and summary; +10 points, announced in the thread. A
 * summary that matches an earlier answer or summary by another member has its points held
 * (copied-summary.ts): `held` says so.
 */
export async function finish(
  kit: ReviewKit,
  actor: ReviewActor,
  number: number | undefined,
  rubric: Rubric,
): Promise<{ request: ReviewRequest; balance: number; badges: readonly EarnedBadge[]; held?: SummaryMatch }> {
  const found = await findRequest(kit.db, actor, number, { as: "assignee", statuses: ["assigned", "claimed"] });
  const communityId = actor.community.id;
  // Compared before the transaction: earlier fingerprints do not change under it.
  const held = await matchOf(kit, communityId, actor.member.id, rubric.summary);
  const { done: request, badges } = await withQueue(kit.db, communityId, async (tx) => {
    const r = await tx.reviewRequest.findUniqueOrThrow({ where: { id: found.id } });
    if (r.status !== "assigned" && r.status !== "claimed") throw r.status === "waiting" ? new UserFacingError(`Review ${ref(r)} is not assigned to you; click **Claim** in its thread first.`, "not_assignee") : closedError(r);
    if (r.assigneeId !== actor.member.id) throw new UserFacingError(`Review ${ref(r)} is assigned to someone else. Click **Claim** in its thread to take it over while nobody has started.`, "not_assignee");
    const done = await tx.reviewRequest.update({
      where: { id: r.id },
      data: { status: "done", doneAt: actor.now, claimedAt: r.claimedAt ?? actor.now, practicality: rubric.practicality, coverage: rubric.coverage, clarity: rubric.clarity, summary: rubric.summary },
    });
    const payee = held ? reviewHoldAccount(r.id) : actor.member.id;
    const why = held ? " (held: its summary matches an earlier one)" : "";
    await kit.ledger.append(tx, [
      { communityId, memberId: payee, amount: REVIEW_POINTS, category: "reviews", reason: `Code review ${ref(r)}${why}`, source: reviewSource(r), idempotencyKey: `${reviewSource(r)}:done`, actorId: actor.member.id, at: actor.now },
    ]);
    if (held) await recordHold(tx, r, actor.member.id, held, REVIEW_POINTS, actor.now);
    const badges = held ? [] : ((await kit.points?.()?.badgesAfter(tx, communityId, [actor.member.id])) ?? []);
    return { done, badges };
  });
  if (held) await reportHeld(kit, actor, request, actor.member.displayName, held);
  const me = await kit.announce.who(actor.member.id, request.platform);
  const requester = await kit.announce.who(request.requesterId, request.platform);
  const kudos = (actor.community.config?.points ?? pointsSettingsSection.defaults).thanks.points;
  await kit.announce.note(request, {
    text: `**Review ${ref(request)} is done** by ${me.text}\n${ratings(request)}\n\n${quoted(rubric.summary)}\n\n${requester.text}, if it helped, click **Thank** to give them ${kudos} kudos point${kudos === 1 ? "" : "s"}, and rate the review from 1 to 5 stars.`,
    tone: "success",
    buttons: [{ label: "Thank", action: THANK_ACTION, value: request.id }, ...rateButtons(request)],
    notify: [request.requesterId],
    privately: `Your code review ${ref(request)} is done: ${ratings(request)}. Read the summary in its thread, and rate it with \`/review rate ${request.number} <1-5>\`.`,
  });
  const earned = badgeAnnouncement(badges);
  if (earned) await kit.announce.note(request, { text: earned });
  // Kept so an answer copied from this summary is noticed; the review is done either way.
  await kit
    .summaries?.()
    ?.recordReviewSummary({ communityId, authorId: actor.member.id, requestId: request.id, number: request.number, url: request.url, summary: rubric.summary, at: actor.now })
    .catch((error: unknown) => kit.log.warn({ err: error, request: request.id }, "could not fingerprint a review summary"));
  return { request, balance: await kit.ledger.balance(communityId, actor.member.id), badges, ...(held ? { held } : {}) };
}

/** `/review withdraw`: the reviewer retracts a finished review; its points are reversed. */
export async function withdraw(kit: ReviewKit, actor: ReviewActor, number: number | undefined): Promise<{ request: ReviewRequest; reversed: number }> {
  const found = await findRequest(kit.db, actor, number, { as: "assignee", statuses: ["done"] });
  const communityId = actor.community.id;
  const result = await withQueue(kit.db, communityId, async (tx) => {
    const r = await tx.reviewRequest.findUniqueOrThrow({ where: { id: found.id } });
    if (r.assigneeId !== actor.member.id) throw new UserFacingError(`Only the reviewer of ${ref(r)} can withdraw it.`, "not_assignee");
    if (r.status !== "done") throw r.status === "withdrawn" ? closedError(r) : new UserFacingError(`Review ${ref(r)} is not finished; \`/review pass\` hands it to someone else instead.`, "review_not_done");
    const request = await tx.reviewRequest.update({ where: { id: r.id }, data: { status: "withdrawn" } });
    // Wherever its points sit (the reviewer, or the hold account of a copied summary), they are reversed.
    const rows = await kit.ledger.reverseSource(tx, communityId, reviewSource(r), `Code review ${ref(r)} withdrawn`);
    await tx.copiedReviewHold.updateMany({ where: { requestId: r.id, settlement: null }, data: { settlement: "withdrawn", settledAt: actor.now } });
    return { request, reversed: rows.reduce((sum, row) => sum - row.amount, 0) };
  });
  await kit.ratings?.()?.forgetReview(result.request.id);
  const me = await kit.announce.who(actor.member.id, result.request.platform);
  await kit.announce.note(result.request, {
    text: `${me.text} withdrew their review of ${ref(result.request)}; its points were taken back. It no longer counts against the requester's monthly quota, so they can ask again.`,
    notify: [result.request.requesterId],
    privately: `The review of your request ${ref(result.request)} was withdrawn by its reviewer. It no longer counts against your monthly quota: ask again with \`/review request\`.`,
  });
  return result;
}

/** The Thank button on a finished review: the requester gives the reviewer a kudos, once. */
export async function thank(kit: ReviewKit, actor: ReviewActor, requestId: string): Promise<{ request: ReviewRequest; points: number }> {
  const communityId = actor.community.id;
  const points = (actor.community.config?.points ?? pointsSettingsSection.defaults).thanks.points;
  // Under the review lock, so a withdrawal at the same moment cannot miss this kudos.
  const { r: request, badges } = await withQueue(kit.db, communityId, async (tx) => {
    const r = await tx.reviewRequest.findUnique({ where: { id: requestId } });
    if (!r || r.communityId !== communityId) throw new UserFacingError("That review no longer exists.", "unknown_review");
    if (r.requesterId !== actor.member.id) throw new UserFacingError(`Only the member who asked for ${ref(r)} can thank its reviewer.`, "not_requester");
    if (r.status !== "done" || !r.assigneeId) throw new UserFacingError(`Review ${ref(r)} is not done${r.status === "withdrawn" ? " any more" : " yet"}.`, "review_not_done");
    // While the review's points are held (a copied summary), its thanks wait with them.
    const held = await heldFor(tx, r.id);
    const { duplicates } = await kit.ledger.append(tx, [
      { communityId, memberId: held ?? r.assigneeId, amount: points, category: "kudos", reason: `Thanks for code review ${ref(r)}${held ? " (held: copied summary)" : ""}`, source: reviewSource(r), idempotencyKey: `${reviewSource(r)}:thanks`, actorId: actor.member.id, at: actor.now },
    ]);
    if (duplicates.length > 0) throw new UserFacingError(`You already thanked them for ${ref(r)}.`, "already_thanked");
    return { r, badges: held ? [] : ((await kit.points?.()?.badgesAfter(tx, communityId, [r.assigneeId])) ?? []) };
  });
  const me = await kit.announce.who(actor.member.id, request.platform);
  const reviewer = await kit.announce.who(request.assigneeId!, request.platform);
  await kit.announce.note(request, {
    text: `${me.text} thanked ${reviewer.text} for the review (+${points} kudos).`,
    notify: [request.assigneeId!],
    privately: `Your review ${ref(request)} was thanked by its requester (+${points} kudos).`,
  });
  const earned = badgeAnnouncement(badges);
  if (earned) await kit.announce.note(request, { text: earned });
  return { request, points };
}
