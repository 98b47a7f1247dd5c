/**
 * A bounty nobody earned: after the bounty window with no accepted answer, half goes to the
 * reply with the most thanks (if any got thanks) and the rest back to the asker. Points only
 * move out of escrow, so none appear or vanish; the question's row lock makes this and an
 * accept at the same moment take turns, and whichever comes second finds the escrow empty.
 */
import type { Tx } from "../db/transaction.js";
import { type EntryInput, escrowAccount, type PointsLedger } from "../points/index.js";
import { bountySource, lockQuestion, type Question } from "./questions.js";

export interface Settlement {
  readonly question: Question;
  readonly toAnswerer: number;
  readonly toAsker: number;
  /** The member whose reply had the most thanks. */
  readonly answererId?: string;
}

export async function settleBountyInTransaction(tx: Tx, ledger: PointsLedger, questionId: string, dueBefore: Date, now: Date): Promise<Settlement | undefined> {
  const q = await lockQuestion(tx, questionId);
  if (!q || q.status !== "open" || q.bounty === 0 || q.bountySettledAt || q.createdAt > dueBefore) return undefined;
  // Ties go to whoever replied first.
  const top = await tx.questionReply.findFirst({
    where: { questionId: q.id, thanks: { gt: 0 }, authorId: { not: q.askerId } },
    orderBy: [{ thanks: "desc" }, { createdAt: "asc" }],
  });
  const escrow = escrowAccount(q.id);
  const held = (await ledger.lock(tx, q.communityId, [escrow, q.askerId, ...(top ? [top.authorId] : [])])).get(escrow) ?? 0;
  const toAnswerer = top ? Math.ceil(held / 2) : 0;
  const toAsker = held - toAnswerer;
  const common = { communityId: q.communityId, category: "bounties", source: bountySource(q.id), at: now } as const;
  const key = (what: string) => `qa:${q.id}:bounty-expiry:${what}`;
  const entries: EntryInput[] = [];
  if (held > 0) entries.push({ ...common, memberId: escrow, amount: -held, reason: `Bounty for #${q.number} expired`, idempotencyKey: key("out") });
  if (toAnswerer > 0) entries.push({ ...common, memberId: top!.authorId, amount: toAnswerer, reason: `Half the bounty of #${q.number}: the most thanked reply`, idempotencyKey: key("answerer") });
  if (toAsker > 0) entries.push({ ...common, memberId: q.askerId, amount: toAsker, reason: `Bounty for #${q.number} returned: no answer accepted`, idempotencyKey: key("asker") });
  await ledger.append(tx, entries);
  const question = await tx.question.update({ where: { id: q.id }, data: { bountySettledAt: now } });
  return { question, toAnswerer, toAsker, ...(top && toAnswerer > 0 ? { answererId: top.authorId } : {}) };
}
