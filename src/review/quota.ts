/**
 * Monthly review quotas. The limit follows what the member has access to: the most generous
 * `review.monthlyQuota` entry among catalog items they hold an active entitlement to, else
 * `freeMonthlyQuota`. Months are calendar months in the community's time zone.
 */
import { isActive, type EntitlementService } from "../commerce/index.js";
import type { ReviewConfig } from "./settings-schema.js";
import { UserFacingError } from "../core/errors.js";
import type { Tx } from "../db/transaction.js";
import { formatDate, monthAround } from "../core/zoned-time.js";

/** Statuses that do not use up a review: the requester cancelled, or the reviewer withdrew. */
const NOT_COUNTED = ["cancelled", "withdrawn"];

export interface QuotaState {
  readonly used: number;
  readonly limit: number;
  readonly resetsAt: Date;
}

/** The member's monthly limit from their active entitlements. */
export async function monthlyLimit(entitlements: EntitlementService, memberId: string, review: ReviewConfig, now: Date): Promise<number> {
  const names = (await entitlements.forMember(memberId)).filter((e) => isActive(e, now)).map((e) => e.item.name);
  const limits = names.map((n) => review.monthlyQuota[n]).filter((n): n is number => n !== undefined);
  return limits.length > 0 ? Math.max(...limits) : review.freeMonthlyQuota;
}

/** Requests the member made this month that count against the quota (priority ones do not). */
export async function usedThisMonth(db: Pick<Tx, "reviewRequest">, communityId: string, memberId: string, now: Date, zone: string): Promise<{ used: number; resetsAt: Date }> {
  const month = monthAround(now, zone);
  const used = await db.reviewRequest.count({
    where: { communityId, requesterId: memberId, priority: false, status: { notIn: NOT_COUNTED }, createdAt: { gte: month.start, lt: month.next } },
  });
  return { used, resetsAt: month.next };
}

/** "2 of 4 reviews left this month (resets Fri 1 Jan 2027)". */
export function describeQuota(q: QuotaState, zone: string): string {
  const left = Math.max(0, q.limit - q.used);
  return `${left} of ${q.limit} review${q.limit === 1 ? "" : "s"} left this month (resets ${formatDate(q.resetsAt, zone)})`;
}

export class QuotaExceeded extends UserFacingError {
  constructor(q: QuotaState, zone: string) {
    super(
      `You have used ${q.used} of your ${q.limit} review${q.limit === 1 ? "" : "s"} this month; your quota resets on ${formatDate(q.resetsAt, zone)}. ` +
        "A membership with more reviews, or a priority review from `/redeem`, gets you one sooner.",
      "review_quota",
    );
  }
}
