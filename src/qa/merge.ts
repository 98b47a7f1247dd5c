/**
 * Q&A follows a `/link` merge (identity's `onMerge`, in the merge's transaction): the questions
 * the member asked, their replies (one row per member and question: when both accounts replied
 * in one thread, the rows are added together and an accepted answer stays accepted), the
 * fingerprints of their answers (so their own earlier answer is never taken for another
 * member's), and points held for a copied answer.
 */
import type { Tx } from "../db/transaction.js";

export async function moveQa(tx: Tx, m: { communityId: string; fromId: string; intoId: string }): Promise<void> {
  const { communityId: c, fromId: from, intoId: into } = m;
  await tx.$executeRaw`UPDATE "Question" SET "askerId" = ${into} WHERE "communityId" = ${c} AND "askerId" = ${from}`;
  // Both replied in the same thread: one row with both counts.
  await tx.$executeRaw`
    UPDATE "QuestionReply" s SET "messages" = s."messages" + f."messages", "thanks" = s."thanks" + f."thanks",
      "acceptedAt" = coalesce(s."acceptedAt", f."acceptedAt"), "createdAt" = least(s."createdAt", f."createdAt"),
      "messageId" = CASE WHEN s."messageId" = '' THEN f."messageId" ELSE s."messageId" END
    FROM "QuestionReply" f JOIN "Question" q ON q."id" = f."questionId"
    WHERE q."communityId" = ${c} AND f."authorId" = ${from} AND s."questionId" = f."questionId" AND s."authorId" = ${into}`;
  await tx.$executeRaw`
    UPDATE "Question" q SET "acceptedReplyId" = s."id"
    FROM "QuestionReply" f, "QuestionReply" s
    WHERE q."communityId" = ${c} AND q."acceptedReplyId" = f."id" AND f."authorId" = ${from} AND s."questionId" = f."questionId" AND s."authorId" = ${into}`;
  await tx.$executeRaw`
    DELETE FROM "QuestionReply" f USING "QuestionReply" s, "Question" q
    WHERE q."communityId" = ${c} AND q."id" = f."questionId" AND f."authorId" = ${from} AND s."questionId" = f."questionId" AND s."authorId" = ${into}`;
  await tx.$executeRaw`
    UPDATE "QuestionReply" SET "authorId" = ${into}
    WHERE "authorId" = ${from} AND "questionId" IN (SELECT "id" FROM "Question" WHERE "communityId" = ${c})`;
  await tx.$executeRaw`
    DELETE FROM "AnswerFingerprint" f USING "AnswerFingerprint" s
    WHERE f."communityId" = ${c} AND f."authorId" = ${from} AND s."authorId" = ${into} AND s."kind" = f."kind" AND s."sourceId" = f."sourceId"`;
  await tx.$executeRaw`UPDATE "AnswerFingerprint" SET "authorId" = ${into} WHERE "communityId" = ${c} AND "authorId" = ${from}`;
  await tx.$executeRaw`UPDATE "CopiedAnswerHold" SET "answererId" = ${into} WHERE "communityId" = ${c} AND "answererId" = ${from}`;
}
