/**
 * The requester rates a finished review, 1 to 5 stars: a button on the "done" post or
 * `/review rate <number> <stars>`. Review checks who may rate what; the ratings capability
 * keeps the rating and tells the admins about a low one.
 */
import { UserFacingError } from "../core/errors.js";
import type { ReplyButton } from "../core/reply.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import type { ReviewActor, ReviewKit } from "./review-deps.js";
import { ref } from "./review-text.js";

/** The buttons on a finished review that rate it. */
export const RATE_ACTION = "review-rate";

export const rateButtons = (r: Pick<ReviewRequest, "id">): ReplyButton[] =>
  [1, 2, 3, 4, 5].map((stars) => ({ label: `${stars} ★`, action: RATE_ACTION, value: `${r.id}:${stars}`, style: "secondary" as const }));

/** Where a low rating is reported: the community's configured spaces, else the one it came from. */
export function adminSpaces(actor: ReviewActor): { platform: "discord" | "slack"; spaceId: string }[] {
  const config = actor.community.config;
  const spaces: { platform: "discord" | "slack"; spaceId: string }[] = [];
  if (config?.discord) spaces.push({ platform: "discord", spaceId: config.discord.guildId });
  if (config?.slack) spaces.push({ platform: "slack", spaceId: config.slack.teamId });
  if (spaces.length === 0 && (actor.platform === "discord" || actor.platform === "slack")) spaces.push({ platform: actor.platform, spaceId: actor.space.id });
  return spaces;
}

export async function rateReview(kit: ReviewKit, actor: ReviewActor, which: { id: string } | { number: number }, stars: number): Promise<{ request: ReviewRequest; changed: boolean }> {
  const communityId = actor.community.id;
  const r = "id" in which ? await kit.db.reviewRequest.findUnique({ where: { id: which.id } }) : await kit.db.reviewRequest.findUnique({ where: { communityId_number: { communityId, number: which.number } } });
  if (!r || r.communityId !== communityId) throw new UserFacingError("number" in which ? `There is no review #${which.number}. \`/review status\` lists yours.` : "That review no longer exists.", "unknown_review");
  if (r.requesterId !== actor.member.id) throw new UserFacingError(`Only the member who asked for ${ref(r)} can rate it.`, "not_requester");
  if (r.status !== "done" || !r.assigneeId) throw new UserFacingError(`Review ${ref(r)} is not done${r.status === "withdrawn" ? " any more" : " yet"}: you can rate it once its reviewer finishes it.`, "review_not_done");
  const ratings = kit.ratings?.();
  if (!ratings) throw new UserFacingError("Ratings are not available in this community.", "ratings_off");
  const names = await kit.db.member.findMany({ where: { id: { in: [r.assigneeId, r.requesterId] } }, select: { id: true, displayName: true } });
  const nameOf = (id: string) => names.find((n) => n.id === id)?.displayName ?? "a member";
  const { changed } = await ratings.rateReview({
    communityId,
    requestId: r.id,
    reviewerId: r.assigneeId,
    raterId: actor.member.id,
    stars,
    now: actor.now,
    lowRatingReport: {
      spaces: adminSpaces(actor),
      text: `Review ${ref(r)} by ${nameOf(r.assigneeId)} was rated ${stars}/5 by its requester ${nameOf(r.requesterId)}.${r.url ? ` ${r.url}` : ""}`,
    },
  });
  return { request: r, changed };
}
