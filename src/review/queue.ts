/**
 * The community's review queue inside one transaction. Every change to who reviews what
 * takes the community's review lock first, so two requests at the same moment see each
 * other's assignments (fair counts) and request numbers are allocated without gaps or clashes.
 */
import type { Db } from "../db/database.js";
import { nextNumber } from "../db/numbering.js";
import { inTransaction, type Tx } from "../db/transaction.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import { type Assignment, type Candidate, pickReviewer } from "./assignment.js";

/** Statuses of a request a reviewer still has to finish. */
export const OPEN_STATUSES = ["assigned", "claimed"] as const;
/** Statuses of a request that is not finished: the requester's "open" requests. */
export const UNFINISHED_STATUSES = ["waiting", "assigned", "claimed"] as const;

/** Runs `work` in a transaction holding the community's review lock. */
export function withQueue<T>(db: Db, communityId: string, work: (tx: Tx, queue: Queue) => Promise<T>): Promise<T> {
  return inTransaction(db, async (tx) => {
    // A transaction-scoped advisory lock: released at commit or rollback, and it covers the
    // case where the community has no reviewer rows yet to lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`review-queue:${communityId}`}, 0))`;
    return work(tx, new Queue(tx, communityId));
  });
}

/** A change of assignee, as it happened, for the announcements made after commit. */
export interface Reassignment {
  readonly request: ReviewRequest;
  readonly from: string | null;
  readonly to: string | null;
  readonly languageMatched: boolean;
}

/** The queue as seen under the lock; candidates are loaded once and kept current as it assigns. */
export class Queue {
  #candidates: Candidate[] | undefined;

  constructor(
    private readonly tx: Tx,
    private readonly communityId: string,
  ) {}

  /** The next request number in the community (db/numbering.ts). */
  nextNumber(): Promise<number> {
    return nextNumber(this.tx, "ReviewRequest", this.communityId);
  }

  /** Every reviewer who has not left, with their open-review counts. */
  async candidates(): Promise<Candidate[]> {
    if (this.#candidates) return this.#candidates;
    const reviewers = await this.tx.reviewer.findMany({ where: { communityId: this.communityId, leftAt: null } });
    const open = await this.tx.reviewRequest.groupBy({
      by: ["assigneeId"],
      where: { communityId: this.communityId, status: { in: [...OPEN_STATUSES] }, assigneeId: { not: null } },
      _count: { _all: true },
    });
    const counts = new Map(open.map((o) => [o.assigneeId, o._count._all]));
    this.#candidates = reviewers.map((r) => ({ memberId: r.memberId, languages: r.languages, awayUntil: r.awayUntil, leftAt: r.leftAt, lastAssignedAt: r.lastAssignedAt, joinedAt: r.joinedAt, openReviews: counts.get(r.memberId) ?? 0 }));
    return this.#candidates;
  }

  /** The reviewer a request would get now, without assigning. */
  async pick(needs: { requesterId: string; language: string | null; passedBy: readonly string[] }, now: Date): Promise<Assignment | undefined> {
    return pickReviewer(await this.candidates(), { requesterId: needs.requesterId, language: needs.language ?? undefined, passedBy: needs.passedBy }, now);
  }

  /** Records that `memberId` was given one more review (or one less, for `delta` -1). */
  async counted(memberId: string, delta: 1 | -1, now: Date): Promise<void> {
    const list = await this.candidates();
    const i = list.findIndex((c) => c.memberId === memberId);
    if (i >= 0) list[i] = { ...list[i]!, openReviews: list[i]!.openReviews + delta, ...(delta > 0 ? { lastAssignedAt: now } : {}) };
    if (delta > 0) await this.tx.reviewer.updateMany({ where: { communityId: this.communityId, memberId }, data: { lastAssignedAt: now } });
  }

  /**
   * Gives an open or waiting request to the fairest reviewer, leaving out `alsoExclude` (who
   * passed, or is being reassigned away). With nobody available it waits, unless `keepIfNobody`:
   * then it stays with its assignee and nothing changes (undefined).
   */
  async reassign(request: ReviewRequest, now: Date, opts: { alsoExclude?: string; keepIfNobody?: boolean } = {}): Promise<Reassignment | undefined> {
    const passedBy = opts.alsoExclude && !request.passedBy.includes(opts.alsoExclude) ? [...request.passedBy, opts.alsoExclude] : request.passedBy;
    const excluded = request.assigneeId && request.assigneeId !== opts.alsoExclude ? [...passedBy, request.assigneeId] : passedBy;
    const pick = await this.pick({ requesterId: request.requesterId, language: request.language, passedBy: excluded }, now);
    if (!pick && opts.keepIfNobody) return undefined;
    if (request.assigneeId && (request.status === "assigned" || request.status === "claimed")) await this.counted(request.assigneeId, -1, now);
    const updated = await this.tx.reviewRequest.update({
      where: { id: request.id },
      data: pick
        ? { status: "assigned", assigneeId: pick.memberId, assignedAt: now, claimedAt: null, remindedAt: null, passedBy }
        : { status: "waiting", assigneeId: null, assignedAt: null, claimedAt: null, remindedAt: null, passedBy },
    });
    if (pick) await this.counted(pick.memberId, 1, now);
    return { request: updated, from: request.assigneeId, to: pick?.memberId ?? null, languageMatched: pick?.languageMatched ?? true };
  }

  /** Assigns waiting requests, priority ones first, then oldest first, while reviewers are available. */
  async assignWaiting(now: Date): Promise<Reassignment[]> {
    const waiting = await this.tx.reviewRequest.findMany({ where: { communityId: this.communityId, status: "waiting" }, orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { number: "asc" }] });
    const done: Reassignment[] = [];
    for (const request of waiting) {
      const change = await this.reassign(request, now, { keepIfNobody: true });
      if (change) done.push(change);
    }
    return done;
  }
}
