/** The stored question, where its thread lives, and the lookups every Q&A path shares. */
import type { ThreadRef } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import type { Question, QuestionReply } from "../generated/prisma/client.js";

export type { Question, QuestionReply };

/** Ledger source of an accepted answer's points: reversed as a whole when the answer is un-accepted. */
export const answerSource = (questionId: string) => `answer:${questionId}`;
/** Ledger source of a bounty's moves into and out of escrow (other than paying an accepted answer). */
export const bountySource = (questionId: string) => `bounty:${questionId}`;

export function threadOf(q: Question): ThreadRef {
  return { platform: q.platform as PlatformName, spaceId: q.spaceId, channelId: q.channelId, threadId: q.threadId, ...(q.url ? { url: q.url } : {}) };
}

/** The question whose thread this is, if any: one lookup on a unique index. */
export async function questionInThread(db: Db | Tx, platform: PlatformName, spaceId: string, threadId: string): Promise<Question | null> {
  return db.question.findUnique({ where: { platform_spaceId_threadId: { platform, spaceId, threadId } } });
}

export async function questionByNumber(db: Db | Tx, communityId: string, number: number): Promise<Question | null> {
  return db.question.findUnique({ where: { communityId_number: { communityId, number } } });
}

/** Locks the question's row for the rest of the transaction and reads it fresh. */
export async function lockQuestion(tx: Tx, id: string): Promise<Question | null> {
  await tx.$queryRaw`SELECT "id" FROM "Question" WHERE "id" = ${id} FOR UPDATE`;
  return tx.question.findUnique({ where: { id } });
}


