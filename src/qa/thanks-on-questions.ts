/** What /thanks (the points capability) writes about questions goes through Q&A's service. */
import type { Tx } from "../db/transaction.js";

/**
 * Counts a thanks for the receiver's answer in a question's thread (Q&A splits unclaimed
 * bounties by these counts). Thanking the asker in their own question counts for nothing.
 * Runs in the caller's transaction, so the count and the points commit together.
 */
export async function countThanksOnAnswer(tx: Tx, questionId: string, memberId: string): Promise<{ number: number; countedForAnswer: boolean } | undefined> {
  const question = await tx.question.findUnique({ where: { id: questionId }, select: { number: true, askerId: true } });
  if (!question) return undefined;
  if (question.askerId === memberId) return { number: question.number, countedForAnswer: false };
  await tx.questionReply.upsert({
    where: { questionId_authorId: { questionId, authorId: memberId } },
    create: { questionId, authorId: memberId, messageId: "", messages: 0, thanks: 1 },
    update: { thanks: { increment: 1 } },
  });
  return { number: question.number, countedForAnswer: true };
}

