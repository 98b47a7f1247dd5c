/**
 * Code review: requests with a link to code, a fair queue of reviewers, reminders in business
 * hours, monthly quotas by membership, and points for finished reviews. Each operation lives
 * in its own module; this class holds the dependencies they share.
 */
import type { Logger } from "../log/logger.js";
import type { Job } from "../core/jobs/jobs.js";
import { ReviewAnnouncer } from "./announcer.js";
import { type Settlement, settleCopiedReview } from "./copied-summary.js";
import { finish, type Rubric, thank, withdraw } from "./finish.js";
import { type OpenInput, openRequest } from "./open-request.js";
import { cancel, claim, pass } from "./progress.js";
import { rateReview } from "./rate-review.js";
import { reviewJob, reviewRound } from "./reminders.js";
import type { ReviewActor, ReviewDeps, ReviewKit } from "./review-deps.js";
import { away, back, displayNames, join, knownLanguages, leave, roster } from "./roster.js";
import { status } from "./status.js";

export class ReviewService {
  readonly #kit: ReviewKit;

  constructor(deps: ReviewDeps) {
    this.#kit = { ...deps, announce: new ReviewAnnouncer(deps.db, deps.chat, deps.memberMessenger, deps.log) };
  }

  request = (actor: ReviewActor, input: OpenInput) => openRequest(this.#kit, actor, input);
  pass = (actor: ReviewActor, number: number | undefined) => pass(this.#kit, actor, number);
  claim = (actor: ReviewActor, requestId: string) => claim(this.#kit, actor, requestId);
  done = (actor: ReviewActor, number: number | undefined, rubric: Rubric) => finish(this.#kit, actor, number, rubric);
  withdraw = (actor: ReviewActor, number: number | undefined) => withdraw(this.#kit, actor, number);
  thank = (actor: ReviewActor, requestId: string) => thank(this.#kit, actor, requestId);
  rate = (actor: ReviewActor, which: { id: string } | { number: number }, stars: number) => rateReview(this.#kit, actor, which, stars);
  cancel = (actor: ReviewActor, number: number | undefined) => cancel(this.#kit, actor, number);
  status = (actor: ReviewActor) => status(this.#kit, actor);
  /** A creator releases or reverses the held points of a review whose summary was copied. */
  settleCopied = (actor: ReviewActor, number: number, settlement: Settlement) => settleCopiedReview(this.#kit, actor, number, settlement);

  join = (actor: ReviewActor, languages: string) => join(this.#kit, actor, languages);
  away = (actor: ReviewActor, until: string) => away(this.#kit, actor, until);
  back = (actor: ReviewActor) => back(this.#kit, actor);
  leave = (actor: ReviewActor) => leave(this.#kit, actor);
  roster = (communityId: string) => roster(this.#kit, communityId);
  languages = (communityId: string) => knownLanguages(this.#kit, communityId);
  names = (memberIds: readonly string[]) => displayNames(this.#kit, memberIds);

  /** The languages of the member's code reviews: those they asked for and those they review (for recommendations). */
  async languagesOf(communityId: string, memberId: string): Promise<string[]> {
    const [requests, reviewer] = await Promise.all([
      this.#kit.db.reviewRequest.findMany({ where: { communityId, requesterId: memberId, language: { not: null } }, select: { language: true }, distinct: ["language"] }),
      this.#kit.db.reviewer.findUnique({ where: { communityId_memberId: { communityId, memberId } }, select: { languages: true } }),
    ]);
    return [...new Set([...requests.flatMap((r) => (r.language ? [r.language] : [])), ...(reviewer?.languages ?? [])])].sort();
  }

  /** One reminder-and-assignment round at `now` (what the hourly job runs). */
  round = (now: Date, log: Logger = this.#kit.log) => reviewRound(this.#kit, now, log);

  /** The scheduled jobs of code review. */
  jobs(log: Logger): Job[] {
    return [reviewJob(this.#kit, log)];
  }
}
