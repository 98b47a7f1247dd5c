/** /ask: open the question's thread, then record the question and its bounty in one transaction. */
import { randomUUID } from "node:crypto";
import type { ChatPoster, ThreadRef } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";
import type { QaConfig } from "./settings-schema.js";
import { inTransaction } from "../db/transaction.js";
import { escrowAccount } from "../points/index.js";
import { questionPost } from "./messages.js";
import type { Actor, QaDeps } from "./qa-deps.js";
import { nextNumber } from "../db/numbering.js";
import { bountySource, type Question } from "./questions.js";
import { quoted } from "../core/member-text.js";

export const BOUNTY_MIN = 10;
export const BOUNTY_MAX = 500;
/** A Discord thread's name holds 100 characters. */
export const TITLE_MAX = 100;
/** One Discord message; Slack's section text holds more. */
export const DETAILS_MAX = 2000;

export interface AskInput {
  readonly communityId: string;
  readonly spaceId: string;
  /** Where /ask ran: the thread opens here when the community has no help channel for the platform. */
  readonly channelId: string;
  readonly asker: Actor;
  readonly title: string;
  readonly details: string;
  readonly tags: readonly string[];
  /** Points offered; 0 for none. */
  readonly bounty: number;
  readonly qa: QaConfig;
  readonly now: Date;
}

export async function askQuestion(deps: QaDeps, input: AskInput): Promise<{ question: Question; thread: ThreadRef }> {
  const { asker, bounty, communityId } = input;
  const platform = asker.platform;
  // Everything that can be refused is checked before a thread exists.
  if (input.title.length > TITLE_MAX || input.details.length > DETAILS_MAX) {
    throw new UserFacingError(`Titles are up to ${TITLE_MAX} characters and details up to ${DETAILS_MAX}.`, "too_long");
  }
  if (bounty !== 0 && (!Number.isInteger(bounty) || bounty < BOUNTY_MIN || bounty > BOUNTY_MAX)) {
    throw new UserFacingError(`A bounty is ${BOUNTY_MIN} to ${BOUNTY_MAX} points.`, "invalid_bounty");
  }
  if (bounty > 0) {
    const balance = await deps.ledger.balance(communityId, asker.memberId);
    if (balance < bounty) {
      const instead = balance >= BOUNTY_MIN ? ` Offer at most ${balance}, or ask without a bounty.` : " Ask without a bounty for now.";
      throw new UserFacingError(`A ${bounty}-point bounty needs ${bounty} of your points; you have ${balance}.${instead}`, "insufficient_points");
    }
  }
  const poster = deps.chat[platform];
  if (!poster) throw new UserFacingError("Questions cannot be opened here: Guildhall cannot post on this platform right now.", "no_chat");

  const channelId = helpChannel(input.qa, platform) ?? input.channelId;
  const post = questionPost({ platform, askerName: asker.displayName, details: input.details, tags: input.tags, bounty });
  // Slack shows the title as the opener's heading, so it must not form mentions either.
  const thread = await poster.openThread(input.spaceId, channelId, quoted(input.title), post, { tags: input.tags });

  const id = randomUUID(); // chosen up front so a retried transaction writes the same ledger keys
  try {
    const question = await inTransaction(deps.db, async (tx) => {
      const number = await nextNumber(tx, "Question", communityId);
      const created = await tx.question.create({
        data: {
          id,
          communityId,
          number,
          askerId: asker.memberId,
          title: input.title,
          details: input.details,
          tags: [...input.tags],
          platform,
          spaceId: thread.spaceId,
          channelId: thread.channelId,
          threadId: thread.threadId,
          url: thread.url ?? null,
          bounty,
          createdAt: input.now,
        },
      });
      if (bounty > 0) {
        const common = { communityId, category: "bounties", source: bountySource(id), actorId: asker.memberId } as const;
        await deps.ledger.append(tx, [
          { ...common, memberId: asker.memberId, amount: -bounty, reason: `Bounty offered on #${number}`, idempotencyKey: `qa:${id}:escrow:asker`, requireFunds: true, at: input.now },
          { ...common, memberId: escrowAccount(id), amount: bounty, reason: `Bounty held for #${number}`, idempotencyKey: `qa:${id}:escrow:hold`, at: input.now },
        ]);
      }
      return created;
    });
    return { question, thread };
  } catch (error) {
    if (!(error instanceof UserFacingError)) deps.log.error({ err: error, thread: thread.threadId }, "could not record a question");
    const removed = await withdrawThread(deps, poster, thread);
    throw notRecorded(error, removed);
  }
}

/**
 * Takes back the thread of a question that could not be recorded, so no one answers into
 * it. When the platform refuses, the thread stays and says so instead; false then.
 */
async function withdrawThread(deps: QaDeps, poster: ChatPoster, thread: ThreadRef): Promise<boolean> {
  try {
    await poster.removeThread(thread);
    return true;
  } catch (removeError) {
    deps.log.warn({ err: removeError, thread: thread.threadId }, "could not remove the thread of a question that was not recorded");
    await poster
      .postInThread(thread, { text: "⚠️ This question could not be recorded, so answers here cannot be accepted and no points were taken. Please ask again with `/ask`.", tone: "warning" })
      .catch((postError: unknown) => deps.log.warn({ err: postError, thread: thread.threadId }, "could not say in the thread that the question was not recorded"));
    return false;
  }
}

/** What the asker hears: the question is not posted (or its thread says it does not count), why when we can say, and to try again. */
function notRecorded(error: unknown, removed: boolean): Error {
  const why = error instanceof UserFacingError ? ` ${error.message}` : "";
  const outcome = removed
    ? "Your question was not posted: it could not be recorded, so I removed its thread."
    : "Your question could not be recorded, so it was not posted: answers in the thread I opened cannot be accepted, and the thread says so.";
  return new UserFacingError(`${outcome} No points were taken.${why} Please try \`/ask\` again.`, "question_not_recorded");
}

/** The configured help channel for the platform, if any (the playground has none). */
export function helpChannel(qa: QaConfig, platform: PlatformName): string | undefined {
  return platform === "discord" ? qa.helpChannels.discord : platform === "slack" ? qa.helpChannels.slack : undefined;
}
