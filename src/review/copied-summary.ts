/**
 * Copied review summaries. Q&A fingerprints every finished review's summary with the accepted
 * answers (src/qa/fingerprint.ts). When the summary of a review being finished shares at least
 * the community's `qa.copiedShare` of its fingerprint with an earlier answer or summary by
 * another member, the review's points are paid into its hold account instead of to the
 * reviewer, as Q&A does for a copied answer; the admin log gets both links, and a creator
 * settles them with `/review copied release|reverse <number>`.
 *
 * The hold account is an escrow account (`escrow:held:review:<request id>`): leaderboards and
 * badges skip it, and every row in and out of it carries the review's ledger source, so
 * `/review withdraw` still reverses everything the review earned, wherever it sits.
 */
import { UserFacingError } from "../core/errors.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import type { Tx } from "../db/transaction.js";
import { escrowAccount, type EntryInput } from "../points/index.js";
import { quoted } from "../core/member-text.js";
import { adminSpaces } from "./rate-review.js";
import type { ReviewActor, ReviewKit, SummaryMatch } from "./review-deps.js";
import { withQueue } from "./queue.js";
import { ref, reviewSource } from "./review-text.js";

/** The account a finished review's points wait in while a creator looks at a match. */
export const reviewHoldAccount = (requestId: string) => escrowAccount(`held:review:${requestId}`);

/** The summary's earlier match, if it reaches the community's share; a failed lookup holds nothing (and is logged). */
export async function matchOf(kit: ReviewKit, communityId: string, reviewerId: string, summary: string): Promise<SummaryMatch | undefined> {
  const fingerprints = kit.summaries?.();
  if (!fingerprints) return undefined;
  return fingerprints.matchSummary({ communityId, authorId: reviewerId, summary }).catch((error: unknown) => {
    kit.log.warn({ err: error }, "could not compare a review summary with earlier answers");
    return undefined;
  });
}

/** Records the hold in the transaction that pays the review's points into the hold account. */
export async function recordHold(tx: Tx, r: ReviewRequest, reviewerId: string, match: SummaryMatch, points: number, now: Date): Promise<void> {
  const hold = { communityId: r.communityId, reviewerId, matchedId: match.fingerprintId, share: match.share, points, createdAt: now, settlement: null, settledAt: null, settledById: null };
  await tx.copiedReviewHold.upsert({ where: { requestId: r.id }, create: { requestId: r.id, ...hold }, update: hold });
}

/** The hold account a thanks for this review goes to instead of the reviewer, while its points are held. */
export async function heldFor(tx: Tx, requestId: string): Promise<string | undefined> {
  const hold = await tx.copiedReviewHold.findUnique({ where: { requestId }, select: { settlement: true } });
  return hold && hold.settlement === null ? reviewHoldAccount(requestId) : undefined;
}

/** Tells the creators (admin log) that a review's points are held, with links to both. */
export async function reportHeld(kit: ReviewKit, actor: ReviewActor, r: ReviewRequest, reviewer: string, match: SummaryMatch): Promise<void> {
  if (!kit.adminLog) return;
  const earlier = await kit.db.member.findUnique({ where: { id: match.authorId }, select: { displayName: true } });
  const link = (label: string, url: string | null) => (url ? `[${label}](${url})` : label);
  const text =
    `⚠️ Points held: the summary by **${quoted(reviewer)}** of ${link(`review ${ref(r)}`, r.url)} matches ${Math.round(match.share * 100)}% of an earlier ${match.label.startsWith("review") ? "summary" : "answer"} by **${quoted(earlier?.displayName ?? "another member")}** (${link(match.label, match.url)}). ` +
    `\`/review copied release ${r.number}\` pays them; \`/review copied reverse ${r.number}\` takes them back.`;
  for (const space of adminSpaces(actor)) {
    await kit.adminLog.report(space.platform, space.spaceId, text).catch((error: unknown) => kit.log.warn({ err: error, request: r.id }, "could not report held review points"));
  }
}

export type Settlement = "release" | "reverse";

/**
 * Pays what the hold account holds to the reviewer (release: the review's points and any
 * thanks, category by category) or takes it back (reverse: each row paid into it is
 * reversed), under the review's ledger source.
 */
export async function settleCopiedReview(kit: ReviewKit, actor: ReviewActor, number: number, settlement: Settlement): Promise<{ request: ReviewRequest; reviewer: string; points: number }> {
  const communityId = actor.community.id;
  return withQueue(kit.db, communityId, async (tx) => {
    const r = await tx.reviewRequest.findUnique({ where: { communityId_number: { communityId, number } } });
    if (!r) throw new UserFacingError(`There is no review #${number}.`, "unknown_review");
    const hold = await tx.copiedReviewHold.findUnique({ where: { requestId: r.id } });
    if (!hold) throw new UserFacingError(`No points are held for review ${ref(r)}: its summary did not match an earlier one.`, "nothing_held");
    if (hold.settlement) throw new UserFacingError(`The points held for review ${ref(r)} were already ${hold.settlement}.`, "already_settled");
    const account = reviewHoldAccount(r.id);
    await kit.ledger.lock(tx, communityId, [account, hold.reviewerId]);
    const common = { communityId, source: reviewSource(r), actorId: actor.member.id, at: actor.now } as const;
    const entries: EntryInput[] = [];
    if (settlement === "release") {
      const held = await kit.ledger.heldByCategory(tx, communityId, account);
      const key = (what: string) => `${reviewSource(r)}:copied:release:${hold.createdAt.getTime()}:${what}`;
      for (const { category, amount } of held) {
        const c = category === "kudos" ? "kudos" : "reviews";
        entries.push(
          { ...common, memberId: account, amount: -amount, category: c, reason: `Held points for review ${ref(r)} released`, idempotencyKey: key(`${c}-out`) },
          { ...common, memberId: hold.reviewerId, amount, category: c, reason: `Code review ${ref(r)} (released by a creator)`, idempotencyKey: key(`${c}-in`) },
        );
      }
    } else {
      const minted = await kit.ledger.openCredits(tx, communityId, account);
      for (const m of minted) {
        const c = m.category === "kudos" ? "kudos" : "reviews";
        entries.push({ ...common, memberId: account, amount: -m.amount, category: c, reason: `Held points for review ${ref(r)} reversed: copied summary`, idempotencyKey: `reversal:${m.id}`, reversesId: m.id });
      }
    }
    await kit.ledger.append(tx, entries);
    await tx.copiedReviewHold.update({ where: { requestId: r.id }, data: { settlement: settlement === "release" ? "released" : "reversed", settledAt: actor.now, settledById: actor.member.id } });
    const reviewer = await tx.member.findUnique({ where: { id: hold.reviewerId }, select: { displayName: true } });
    const points = entries.filter((e) => e.memberId === account).reduce((sum, e) => sum - e.amount, 0);
    return { request: r, reviewer: reviewer?.displayName ?? "the reviewer", points };
  });
}
