/**
 * Ratings: members rate the catalog items they hold or held (1 to 5 stars, an optional
 * comment), and requesters rate the code reviews they received. One rating per member and
 * item (and per review): rating again changes it. Averages are computed from the rows in
 * one grouped statement, so a catalog page costs one query however many items it lists.
 */
import { UserFacingError } from "../core/errors.js";
import type { AdminLog } from "../core/platform-services.js";
import type { Logger } from "../log/logger.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import { inTransaction } from "../db/transaction.js";
import type { ItemRating } from "../generated/prisma/client.js";

/** How an item or a reviewer is rated: the mean of the stars (one decimal is how it is shown) and how many rated. */
export interface RatingSummary {
  readonly average: number;
  readonly count: number;
}

/** A visible comment, newest first in {@link RatingsService.itemDetails}. */
export interface RatingComment {
  readonly number: number;
  readonly stars: number;
  readonly comment: string;
  readonly displayName: string;
  readonly at: Date;
}

/** Whether a member may rate an item: the entitlements they hold or held (commerce answers). */
export interface HeldItems {
  /** True when the member has, or once had, an entitlement to the item from any source. */
  heldItem(memberId: string, itemId: string, now: Date): Promise<boolean>;
}

export interface ReviewRatingInput {
  readonly communityId: string;
  readonly requestId: string;
  readonly reviewerId: string;
  readonly raterId: string;
  readonly stars: number;
  readonly now?: Date;
  /** Posted to the admin log of these spaces when the rating is low (at most {@link LOW_RATING}). */
  readonly lowRatingReport?: { readonly spaces: readonly { readonly platform: "discord" | "slack"; readonly spaceId: string }[]; readonly text: string };
}

/** Ratings at or below this are reported to the admins. */
export const LOW_RATING = 2;
export const MAX_COMMENT_LENGTH = 500;
/** How many comments `/course` shows. */
export const LATEST_COMMENTS = 3;

export class RatingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly held: HeldItems,
    private readonly adminLog?: AdminLog,
    private readonly log?: Logger,
  ) {}

  /**
   * Records (or changes) a member's rating of an item. Refused for members who never held it.
   * A changed comment is shown again even if the old one was hidden: a creator hides words,
   * and these are new words.
   */
  async rateItem(input: { communityId: string; memberId: string; itemId: string; itemTitle: string; stars: number; comment?: string | undefined; now?: Date }): Promise<{ rating: ItemRating; changed: boolean }> {
    const { communityId, memberId, itemId } = input;
    checkStars(input.stars);
    const comment = input.comment?.trim() || null;
    if (comment && comment.length > MAX_COMMENT_LENGTH) throw new UserFacingError(`Comments are at most ${MAX_COMMENT_LENGTH} characters.`, "rating_comment_long");
    const now = input.now ?? this.clock.now();
    if (!(await this.held.heldItem(memberId, itemId, now))) {
      throw new UserFacingError(`Only members who have or had ${input.itemTitle} can rate it.`, "rating_not_held");
    }
    return inTransaction(this.db, async (tx) => {
      const before = await tx.itemRating.findUnique({ where: { communityId_itemId_memberId: { communityId, itemId, memberId } } });
      if (before) {
        const sameWords = before.comment === comment;
        const rating = await tx.itemRating.update({
          where: { id: before.id },
          data: { stars: input.stars, comment, updatedAt: now, ...(sameWords ? {} : { hiddenAt: null, hiddenById: null }) },
        });
        return { rating, changed: true };
      }
      // Numbers are per community; two first ratings at once collide on the unique number and the transaction retries.
      const last = await tx.itemRating.aggregate({ where: { communityId }, _max: { number: true } });
      const rating = await tx.itemRating.create({
        data: { communityId, number: (last._max.number ?? 0) + 1, itemId, memberId, stars: input.stars, comment, createdAt: now, updatedAt: now },
      });
      return { rating, changed: false };
    });
  }

  /** A creator hides a rating's comment (its stars still count). */
  async hideComment(communityId: string, number: number, hiddenById: string, now: Date): Promise<ItemRating> {
    const rating = await this.db.itemRating.findUnique({ where: { communityId_number: { communityId, number } } });
    if (!rating) throw new UserFacingError(`There is no rating #${number}.`, "unknown_rating");
    if (!rating.comment) throw new UserFacingError(`Rating #${number} has no comment to hide.`, "rating_no_comment");
    if (rating.hiddenAt) throw new UserFacingError(`The comment of rating #${number} is already hidden.`, "rating_already_hidden");
    return this.db.itemRating.update({ where: { id: rating.id }, data: { hiddenAt: now, hiddenById } });
  }

  /**
   * Average stars and number of ratings of each item that has any (items without ratings
   * are absent from the map). One grouped query over the items asked for.
   */
  async averageFor(communityId: string, itemIds: readonly string[]): Promise<Map<string, RatingSummary>> {
    if (itemIds.length === 0) return new Map();
    const rows = await this.db.itemRating.groupBy({
      by: ["itemId"],
      where: { communityId, itemId: { in: [...new Set(itemIds)] } },
      _avg: { stars: true },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.itemId, { average: r._avg.stars ?? 0, count: r._count._all }]));
  }

  /** An item's summary and its latest visible comments, newest first. */
  async itemDetails(communityId: string, itemId: string): Promise<{ summary: RatingSummary | undefined; comments: RatingComment[] }> {
    const [summaries, rows] = await Promise.all([
      this.averageFor(communityId, [itemId]),
      this.db.itemRating.findMany({
        where: { communityId, itemId, comment: { not: null }, hiddenAt: null },
        orderBy: [{ updatedAt: "desc" }, { number: "desc" }],
        take: LATEST_COMMENTS,
      }),
    ]);
    const names = await this.#names(rows.map((r) => r.memberId));
    return {
      summary: summaries.get(itemId),
      comments: rows.map((r) => ({ number: r.number, stars: r.stars, comment: r.comment!, displayName: names.get(r.memberId) ?? "a member", at: r.updatedAt })),
    };
  }

  /**
   * The requester's rating of a finished review (the review capability checks who and
   * when). Returns whether it replaced an earlier rating.
   */
  async rateReview(input: ReviewRatingInput): Promise<{ changed: boolean }> {
    checkStars(input.stars);
    const now = input.now ?? this.clock.now();
    const before = await this.db.reviewRating.findUnique({ where: { requestId: input.requestId } });
    await this.db.reviewRating.upsert({
      where: { requestId: input.requestId },
      create: { requestId: input.requestId, communityId: input.communityId, reviewerId: input.reviewerId, raterId: input.raterId, stars: input.stars, createdAt: now, updatedAt: now },
      update: { stars: input.stars, updatedAt: now },
    });
    if (input.stars <= LOW_RATING && input.lowRatingReport && before?.stars !== input.stars) await this.#reportLow(input.lowRatingReport);
    return { changed: before !== null };
  }

  /** A low rating is news for the admins; failing to post it must not undo the rating. */
  async #reportLow(report: NonNullable<ReviewRatingInput["lowRatingReport"]>): Promise<void> {
    if (!this.adminLog) return;
    for (const space of report.spaces) {
      await this.adminLog.report(space.platform, space.spaceId, `⚠️ Low review rating: ${report.text}`).catch((error: unknown) => this.log?.warn({ err: error, space }, "could not report a low review rating"));
    }
  }

  /** Drops the rating of a review its reviewer withdrew. */
  async forgetReview(requestId: string): Promise<void> {
    await this.db.reviewRating.deleteMany({ where: { requestId } });
  }

  /** Each reviewer's average from the ratings of their reviews (reviewers nobody rated are absent). */
  async reviewerAverages(communityId: string, reviewerIds: readonly string[]): Promise<Map<string, RatingSummary>> {
    if (reviewerIds.length === 0) return new Map();
    const rows = await this.db.reviewRating.groupBy({
      by: ["reviewerId"],
      where: { communityId, reviewerId: { in: [...new Set(reviewerIds)] } },
      _avg: { stars: true },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.reviewerId, { average: r._avg.stars ?? 0, count: r._count._all }]));
  }

  async #names(memberIds: readonly string[]): Promise<Map<string, string>> {
    if (memberIds.length === 0) return new Map();
    const members = await this.db.member.findMany({ where: { id: { in: [...new Set(memberIds)] } }, select: { id: true, displayName: true } });
    return new Map(members.map((m) => [m.id, m.displayName]));
  }
}

function checkStars(stars: number): void {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new UserFacingError("Ratings are whole stars from 1 to 5.", "rating_stars");
}

/** "★ 4.3 (12 ratings)": one decimal, as members read an average. */
export function starsText(summary: RatingSummary | undefined): string {
  if (!summary || summary.count === 0) return "not rated yet";
  return `★ ${summary.average.toFixed(1)} (${summary.count} rating${summary.count === 1 ? "" : "s"})`;
}
