/** `/review status`: the member's open requests, reviews waiting on them, and what is left this month. */
import type { ReviewRequest } from "../generated/prisma/client.js";
import { monthlyLimit, type QuotaState, usedThisMonth } from "./quota.js";
import { OPEN_STATUSES, UNFINISHED_STATUSES } from "./queue.js";
import { type ReviewActor, type ReviewKit, reviewSettings } from "./review-deps.js";

export interface StatusReport {
  /** Their requests not finished yet, oldest first. */
  readonly requests: readonly ReviewRequest[];
  /** Reviews assigned to them and not finished. */
  readonly assigned: readonly ReviewRequest[];
  readonly quota: QuotaState;
  /** Priority reviews redeemed and not used yet. */
  readonly prioritySlots: number;
}

/** What `/review status` shows the member. */
export async function status(kit: ReviewKit, actor: ReviewActor): Promise<StatusReport> {
  const settings = reviewSettings(actor.community.config);
  const communityId = actor.community.id;
  const memberId = actor.member.id;
  const [requests, assigned, limit, usage, prioritySlots] = await Promise.all([
    kit.db.reviewRequest.findMany({ where: { communityId, requesterId: memberId, status: { in: [...UNFINISHED_STATUSES] } }, orderBy: { number: "asc" }, take: 20 }),
    kit.db.reviewRequest.findMany({ where: { communityId, assigneeId: memberId, status: { in: [...OPEN_STATUSES] } }, orderBy: { number: "asc" }, take: 20 }),
    monthlyLimit(kit.entitlements, memberId, settings, actor.now),
    usedThisMonth(kit.db, communityId, memberId, actor.now, settings.timezone),
    kit.points?.()?.rewards.unusedPriorityReviews(communityId, memberId) ?? 0,
  ]);
  return { requests, assigned, quota: { used: usage.used, limit, resetsAt: usage.resetsAt }, prioritySlots };
}
