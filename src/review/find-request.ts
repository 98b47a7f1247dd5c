/**
 * Which request a command is about: the number the member gave; else the review thread the
 * command ran in (Discord threads are channels); else the member's only request that fits.
 * Slack slash commands cannot run in threads, so there the number or "your only one" decides.
 */
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import type { ReviewActor } from "./review-deps.js";

/** Which of the member's requests a command could mean when none is named. */
export type Role = { readonly as: "assignee"; readonly statuses: readonly string[] } | { readonly as: "requester"; readonly statuses: readonly string[] };

export async function findRequest(db: Db, actor: ReviewActor, number: number | undefined, role: Role): Promise<ReviewRequest> {
  const communityId = actor.community.id;
  if (number !== undefined) {
    const found = await db.reviewRequest.findUnique({ where: { communityId_number: { communityId, number } } });
    if (!found) throw new UserFacingError(`There is no review #${number}. \`/review status\` lists yours.`, "unknown_review");
    return found;
  }
  const here = await db.reviewRequest.findFirst({ where: { communityId, platform: actor.platform, threadId: actor.channel.id } });
  if (here) return here;
  const who = role.as === "assignee" ? { assigneeId: actor.member.id } : { requesterId: actor.member.id };
  const mine = await db.reviewRequest.findMany({ where: { communityId, ...who, status: { in: [...role.statuses] } }, orderBy: { number: "asc" }, take: 10 });
  if (mine.length === 1) return mine[0]!;
  const what = role.as === "assignee" ? "reviews assigned to you" : "requests";
  if (mine.length === 0) throw new UserFacingError(`You have no ${what} this applies to. Run it in the review's thread, or give its number with \`request:\`.`, "unknown_review");
  throw new UserFacingError(`Which one? Your ${what}: ${mine.map((r) => `#${r.number}`).join(", ")}. Give its number, e.g. \`request:${mine[0]!.number}\`.`, "ambiguous_review");
}
