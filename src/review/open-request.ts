/**
 * `/review request`: checks the link and the quota, numbers the request, assigns a reviewer
 * (all in one transaction under the community's review lock), then opens the thread.
 */
import type { ThreadRef } from "../core/chat.js";
import { UserFacingError } from "../core/errors.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import { claimButton } from "./announcer.js";
import { normaliseLanguage } from "./languages.js";
import { validateReviewLink } from "./links.js";
import { withQueue } from "./queue.js";
import { monthlyLimit, QuotaExceeded, type QuotaState, usedThisMonth } from "./quota.js";
import { type ReviewActor, type ReviewKit, reviewSettings } from "./review-deps.js";
import { ref, threadTitle } from "./review-text.js";
import { quoted } from "../core/member-text.js";

export interface OpenInput {
  readonly link: string;
  readonly language?: string | undefined;
  readonly notes?: string | undefined;
}

export interface Opened {
  readonly request: ReviewRequest;
  /** False when nobody available knows the language and someone else was picked. */
  readonly languageMatched: boolean;
  /** After this request; priority requests leave it unchanged. */
  readonly quota: QuotaState;
  readonly thread: ThreadRef | undefined;
}

/** Opens a request: the member's quota or priority slot, a number, a reviewer, then its thread. */
export async function openRequest(kit: ReviewKit, actor: ReviewActor, input: OpenInput): Promise<Opened> {
  const settings = reviewSettings(actor.community.config);
  const url = validateReviewLink(input.link, settings.codeHosts);
  const language = input.language?.trim() ? normaliseLanguage(input.language) : null;
  const limit = await monthlyLimit(kit.entitlements, actor.member.id, settings, actor.now);
  const communityId = actor.community.id;
  const requesterId = actor.member.id;

  const created = await withQueue(kit.db, communityId, async (tx, queue) => {
    const slot = (await kit.points?.()?.rewards.claimPriorityReview(tx, communityId, requesterId, actor.now))?.id;
    const { used, resetsAt } = await usedThisMonth(tx, communityId, requesterId, actor.now, settings.timezone);
    if (!slot && used >= limit) throw new QuotaExceeded({ used, limit, resetsAt }, settings.timezone);
    const pick = await queue.pick({ requesterId, language, passedBy: [] }, actor.now);
    const request = await tx.reviewRequest.create({
      data: {
        communityId,
        number: await queue.nextNumber(),
        requesterId,
        link: url.toString(),
        language,
        notes: input.notes?.trim() ?? "",
        platform: actor.platform,
        spaceId: actor.space.id,
        channelId: actor.channel.id,
        status: pick ? "assigned" : "waiting",
        assigneeId: pick?.memberId ?? null,
        assignedAt: pick ? actor.now : null,
        priority: slot !== undefined,
        priorityRedemptionId: slot ?? null,
        passedBy: [],
        createdAt: actor.now,
      },
    });
    if (pick) await queue.counted(pick.memberId, 1, actor.now);
    return { request, languageMatched: pick?.languageMatched ?? true, quota: { used: slot ? used : used + 1, limit, resetsAt } };
  });

  const thread = await openThread(kit, actor, created.request, created.languageMatched).catch(async (error: unknown) => {
    await undo(kit, created.request);
    // A setup problem an admin can fix (a missing permission) says what to fix; others apologise.
    if (error instanceof UserFacingError) throw new UserFacingError(`${error.message} Your request was not opened and used nothing up.`, error.code);
    kit.log.error({ err: error, request: created.request.id }, "could not open a review thread");
    throw new UserFacingError("I could not open the review thread, so nothing was used up. Please try again in a moment, or tell an admin if it keeps failing.", "review_thread_failed");
  });
  const request = thread ? await kit.db.reviewRequest.update({ where: { id: created.request.id }, data: { channelId: thread.channelId, threadId: thread.threadId, url: thread.url ?? null } }) : created.request;
  if (request.assigneeId) {
    const named = await kit.announce.who(request.assigneeId, request.platform);
    if (!named.ping || !thread) await kit.announce.direct(request.assigneeId, `You have been asked to review ${ref(request)}${request.language ? ` (${request.language})` : ""}. Open its thread, click **Claim** when you start, and finish with \`/review done\`.`, request);
  }
  return { ...created, request, thread };
}

/** Opens the thread in the configured review channel, or the channel the command ran in. */
async function openThread(kit: ReviewKit, actor: ReviewActor, request: ReviewRequest, languageMatched: boolean): Promise<ThreadRef | undefined> {
  const poster = kit.chat[actor.platform];
  if (!poster) return undefined;
  const settings = reviewSettings(actor.community.config);
  const configured = actor.platform === "discord" || actor.platform === "slack" ? settings.channels[actor.platform] : undefined;
  const assignee = request.assigneeId ? await kit.announce.who(request.assigneeId, actor.platform) : undefined;
  const lines = [
    `**Code review ${ref(request)}** requested by ${(await kit.announce.who(request.requesterId, actor.platform)).text}${request.priority ? " · **priority**" : ""}`,
    `Link: ${quoted(request.link)}`,
    ...(request.language ? [`Language: \`${request.language}\``] : []),
    ...(request.notes ? [`Notes: ${quoted(request.notes)}`] : []),
    "",
    assignee
      ? `${assignee.text}, this review is yours${languageMatched ? "" : ` (nobody available lists \`${request.language}\`, so you were picked from everyone)`}. Click **Claim** when you start; \`/review pass\` hands it on; \`/review done\` finishes it with your ratings and summary.`
      : "No reviewer is available right now: it goes to the first one who joins or comes back. Any reviewer can click **Claim** to take it.",
  ];
  return poster.openThread(actor.space.id, configured ?? actor.channel.id, threadTitle(request), {
    text: lines.join("\n"),
    buttons: [claimButton(request)],
    links: [{ label: "Open the code", url: request.link }],
    ...(assignee?.ping ? { pings: { userIds: [assignee.ping] } } : {}),
  });
}

/** A request whose thread could not be opened is cancelled, and its priority slot given back. */
async function undo(kit: ReviewKit, request: ReviewRequest): Promise<void> {
  await withQueue(kit.db, request.communityId, async (tx) => {
    await tx.reviewRequest.update({ where: { id: request.id }, data: { status: "cancelled" } });
    if (request.priorityRedemptionId) await kit.points?.()?.rewards.releasePriorityReview(tx, request.priorityRedemptionId);
  });
}
