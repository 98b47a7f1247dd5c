/** What the review capability needs, passed in once by the runtime. */
import type { MemberMessenger } from "../core/member-messenger.js";
import type { EntitlementService } from "../commerce/index.js";
import { type CommunityConfig, timezoneOf } from "../config/communities.js";
import { reviewSettingsSection } from "./settings-schema.js";
import type { ChatPosters } from "../core/chat.js";
import type { AdminLog } from "../core/platform-services.js";
import type { CommandContext } from "../core/context.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import type { Logger } from "../log/logger.js";
import type { EarnedBadge } from "../points/index.js";
import type { PointsLedger } from "../points/index.js";
import type { ReviewAnnouncer } from "./announcer.js";

/**
 * The part of the points capability reviews use: badges that became due after a review's
 * points (`PointsService.badgesAfter`). Read lazily, so reviews work before or without it.
 */
export interface BadgeSource {
  badgesAfter(db: Db | Tx, communityId: string, memberIds: readonly string[]): Promise<readonly EarnedBadge[]>;
  /** Priority reviews bought with points: their redemptions belong to the points capability. */
  readonly rewards: {
    /** Uses the member's oldest unused priority review, in the caller's transaction; undefined when none. */
    claimPriorityReview(tx: Tx, communityId: string, memberId: string, now: Date): Promise<{ readonly id: string } | undefined>;
    /** How many priority reviews the member has not used yet. */
    unusedPriorityReviews(communityId: string, memberId: string): Promise<number>;
    /** Gives a claimed priority review back. */
    releasePriorityReview(tx: Tx, redemptionId: string): Promise<void>;
  };
}

/** An earlier answer or review summary by another member that a summary matches. */
export interface SummaryMatch {
  readonly fingerprintId: string;
  readonly authorId: string;
  /** "#12" (an answer) or "review #4". */
  readonly label: string;
  readonly url: string | null;
  /** Share of the summary's fingerprint found in the earlier text (0 to 1). */
  readonly share: number;
}

/**
 * The part of Q&A reviews use: review summaries are fingerprinted with the accepted answers,
 * so a summary copied from an earlier one (or an answer copied from a summary) is noticed.
 */
export interface SummaryFingerprints {
  recordReviewSummary(input: { communityId: string; authorId: string; requestId: string; number: number; url: string | null; summary: string; at: Date }): Promise<void>;
  /** The earlier answer or summary by another member that `summary` matches by at least the community's `qa.copiedShare`. */
  matchSummary(input: { communityId: string; authorId: string; summary: string }): Promise<SummaryMatch | undefined>;
}

/** The part of the ratings capability reviews use: the requester's rating of a finished review. */
export interface ReviewRatings {
  rateReview(input: {
    communityId: string;
    requestId: string;
    reviewerId: string;
    raterId: string;
    stars: number;
    now?: Date;
    /** Sent to the admin log of these spaces when the rating is low. */
    lowRatingReport?: { spaces: readonly { platform: "discord" | "slack"; spaceId: string }[]; text: string };
  }): Promise<{ changed: boolean }>;
  /** A withdrawn review's rating no longer counts toward its reviewer's average. */
  forgetReview(requestId: string): Promise<void>;
}

export interface ReviewDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly ledger: PointsLedger;
  readonly entitlements: EntitlementService;
  readonly chat: ChatPosters;
  readonly memberMessenger: MemberMessenger;
  readonly communities: readonly CommunityConfig[];
  readonly log: Logger;
  readonly points?: (() => BadgeSource | undefined) | undefined;
  /** Read lazily: the ratings capability is built after code review. */
  readonly ratings?: (() => ReviewRatings | undefined) | undefined;
  /** The creators' admin log (held points of a copied summary are reported there). */
  readonly adminLog?: AdminLog | undefined;
  /** Q&A's fingerprints of answers; absent in setups without Q&A. */
  readonly summaries?: (() => SummaryFingerprints | undefined) | undefined;
}

/** What the service needs to know about who acts, where and when: a command's context. */
export type ReviewActor = Pick<CommandContext<unknown>, "platform" | "community" | "member" | "account" | "space" | "channel" | "now" | "level">;

/** Dependencies plus the announcer every operation shares. */
export interface ReviewKit extends ReviewDeps {
  readonly announce: ReviewAnnouncer;
}

/** A community's review settings and time zone. */
export function reviewSettings(config: CommunityConfig | undefined) {
  return { ...(config?.review ?? reviewSettingsSection.defaults), timezone: timezoneOf(config) };
}
