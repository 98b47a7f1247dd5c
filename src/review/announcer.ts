/**
 * Telling people about reviews, after the transaction that changed them has committed: posts
 * in the review's thread that ping exactly the members named, and a direct message for anyone
 * who has no account on the thread's platform. Failures are logged, never thrown: the change
 * itself has happened and the command's reply still says so.
 */
import type { ChatPosters, Post, ThreadRef } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { mention } from "../core/markup.js";
import type { MemberMessenger } from "../core/member-messenger.js";
import type { ReplyButton } from "../core/reply.js";
import type { Db } from "../db/database.js";
import type { ReviewRequest } from "../generated/prisma/client.js";
import type { Logger } from "../log/logger.js";
import { linkTo, ref } from "./review-text.js";
import { mentionsAsWords, quoted } from "../core/member-text.js";

/** The button on a review's posts that starts (or takes over) the review. */
export const CLAIM_ACTION = "review-claim";
/** The button on a finished review that lets the requester thank the reviewer. */
export const THANK_ACTION = "review-thank";

export const claimButton = (r: Pick<ReviewRequest, "id">): ReplyButton => ({ label: "Claim", action: CLAIM_ACTION, value: r.id, style: "primary" });

/** The thread a request lives in, when it has one. */
export function threadOf(r: ReviewRequest): ThreadRef | undefined {
  if (!r.threadId) return undefined;
  return { platform: r.platform as PlatformName, spaceId: r.spaceId, channelId: r.channelId, threadId: r.threadId, ...(r.url ? { url: r.url } : {}) };
}

export interface ThreadNote {
  readonly text: string;
  /** Members to notify: pinged in the thread, or sent a direct message if they have no account there. */
  readonly notify?: readonly string[];
  readonly buttons?: readonly ReplyButton[];
  readonly tone?: Post["tone"];
  /** What the direct message says instead of `text`, for members told privately. */
  readonly privately?: string;
}

export class ReviewAnnouncer {
  constructor(
    private readonly db: Db,
    private readonly chat: ChatPosters,
    private readonly memberMessenger: MemberMessenger,
    private readonly log: Logger,
  ) {}

  /**
   * How to name a member in a post on `platform`: a mention token when they have an account
   * there (`ping` is then its id), else their display name made safe.
   */
  async who(memberId: string, platform: string): Promise<{ text: string; ping?: string }> {
    const account = await this.db.platformAccount.findFirst({ where: { memberId, platform }, orderBy: { lastSeenAt: "desc" } });
    if (account) return { text: mention.user(account.externalId), ping: account.externalId };
    const member = await this.db.member.findUnique({ where: { id: memberId }, select: { displayName: true } });
    return { text: `**${quoted(member?.displayName ?? "a member")}**` };
  }

  /**
   * Posts in the request's thread; members in `notify` are pinged there, or messaged privately
   * when they have no account on the thread's platform. Returns who was messaged privately.
   */
  async note(request: ReviewRequest, note: ThreadNote): Promise<string[]> {
    const thread = threadOf(request);
    const poster = thread && this.chat[thread.platform];
    const pings: string[] = [];
    const elsewhere: string[] = [];
    for (const memberId of new Set(note.notify ?? [])) {
      const named = poster ? await this.who(memberId, request.platform) : undefined;
      if (named?.ping) pings.push(named.ping);
      else elsewhere.push(memberId);
    }
    if (thread && poster) {
      const post: Post = { text: note.text, ...(note.buttons ? { buttons: note.buttons } : {}), ...(note.tone ? { tone: note.tone } : {}), ...(pings.length > 0 ? { pings: { userIds: pings } } : {}) };
      await poster.postInThread(thread, post).catch((error: unknown) => this.log.warn({ err: error, request: request.id }, "could not post in a review thread"));
    }
    for (const memberId of elsewhere) await this.direct(memberId, note.privately ?? note.text, request);
    return elsewhere;
  }

  /**
   * A direct message, on the review's platform first (core/member-messenger.ts), with a button
   * to the thread. Mention tokens are left out: a direct message names people by their display names.
   */
  async direct(memberId: string, text: string, request: ReviewRequest): Promise<boolean> {
    const message = { text: mentionsAsWords(text), ...(request.url ? { links: [{ label: `Open review ${ref(request)}`, url: request.url }] } : {}) };
    return (await this.memberMessenger.send(memberId, message, { prefer: request.platform })) === "sent";
  }

  /** Reminds the assignee in the thread (pinged) and privately. */
  async remind(request: ReviewRequest, assigneeId: string, afterHours: number, reassignAfter: number): Promise<void> {
    const named = await this.who(assigneeId, request.platform);
    const rest = `Click **Claim** when you start, or use \`/review pass\` to hand it on; after ${reassignAfter} more business hours it goes to another reviewer.`;
    const privately = `A reminder: ${linkTo(request)} has waited ${afterHours} business hours for you. ${rest}`;
    const told = await this.note(request, { text: `${named.text}, a reminder: ${ref(request)} has waited ${afterHours} business hours. ${rest}`, buttons: [claimButton(request)], notify: [assigneeId], privately });
    if (!told.includes(assigneeId)) await this.direct(assigneeId, privately, request);
  }
}
