/** What /thanks (the points capability) writes about questions goes through Q&A's service. */
import type { Tx } from "../db/transaction.js";
import { holdAccount } from "./copied.js";

/**
 * Counts a thanks for the receiver's answer in a question's thread (Q&A splits unclaimed
 * bounties by these counts). Thanking the asker in their own question counts for nothing.
 * Runs in the caller's transaction, so the count and the points commit together. When the
 * receiver's accepted answer there has its points held (a copied answer), the kudos are held
 * with them: `heldIn` names the hold account to pay instead.
 */
export async function countThanksOnAnswer(tx: Tx, questionId: string, memberId: string): Promise<{ number: number; countedForAnswer: boolean; heldIn?: string } | undefined> {
  const question = await tx.question.findUnique({ where: { id: questionId }, select: { number: true, askerId: true } });
  if (!question) return undefined;
  if (question.askerId === memberId) return { number: question.number, countedForAnswer: false };
  await tx.questionReply.upsert({
    where: { questionId_authorId: { questionId, authorId: memberId } },
    create: { questionId, authorId: memberId, messageId: "", messages: 0, thanks: 1 },
    update: { thanks: { increment: 1 } },
  });
  const hold = await tx.copiedAnswerHold.findUnique({ where: { questionId }, select: { answererId: true, settlement: true } });
  const held = hold && hold.settlement === null && hold.answererId === memberId;
  return { number: question.number, countedForAnswer: true, ...(held ? { heldIn: holdAccount(questionId) } : {}) };
}

