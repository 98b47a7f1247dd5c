/**
 * Copied answers. Accepted answers and code-review summaries are fingerprinted
 * (fingerprint.ts). When an answer being accepted matches an earlier answer by another member
 * by at least the community's `qa.copiedShare` (70% by default), its points (and any bounty)
 * are paid into the question's hold account instead of to the answerer, and the admin log
 * gets both links. A creator then releases them to the answerer or reverses them
 * (`/qa copied release|reverse <question>`).
 *
 * The hold account is an escrow account of its own (`escrow:held:<question id>`): the ledger
 * stays append-only and every point still moves between accounts, the balances and totals keep
 * summing to the ledger, and leaderboards and badges skip it as they skip bounty escrow.
 */
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import { inTransaction, type Tx } from "../db/transaction.js";
import { escrowAccount, type EntryInput, type PointsLedger } from "../points/index.js";
import { copiedShare } from "./fingerprint.js";
import { answerSource, lockQuestion, type Question } from "./questions.js";

/** The account an accepted answer's points wait in while a creator looks at a match. */
export const holdAccount = (questionId: string) => escrowAccount(`held:${questionId}`);

/** An earlier answer the one being accepted matches. */
export interface CopyMatch {
  readonly fingerprintId: string;
  readonly authorId: string;
  /** "#12" or "review #4". */
  readonly label: string;
  readonly url: string | null;
  /** Share of the new answer's fingerprint found in the earlier one (0 to 1). */
  readonly share: number;
}

/** Fingerprints compared per acceptance at most (those sharing the most hashes are not picked first: any 50 sharing one). */
const CANDIDATES = 50;

/** The earlier answer by another member that `hashes` matches best, if it reaches `minShare`. */
export async function findCopy(db: Db | Tx, communityId: string, authorId: string, hashes: readonly number[], minShare: number): Promise<CopyMatch | undefined> {
  if (hashes.length === 0) return undefined;
  const rows = await db.$queryRaw<{ id: string; authorId: string; label: string; url: string | null; hashes: number[] }[]>`
    SELECT "id", "authorId", "label", "url", "hashes" FROM "AnswerFingerprint"
    WHERE "communityId" = ${communityId} AND "authorId" <> ${authorId} AND "hashes" && ${[...hashes]}::int[]
    ORDER BY "createdAt", "id"
    LIMIT ${CANDIDATES}`;
  let best: CopyMatch | undefined;
  for (const r of rows) {
    const share = copiedShare(hashes, r.hashes);
    if (share >= minShare && (!best || share > best.share)) best = { fingerprintId: r.id, authorId: r.authorId, label: r.label, url: r.url, share };
  }
  return best;
}

/** Keeps (or replaces) the fingerprint of a member's answer on a question or review. */
export async function recordFingerprint(
  db: Db | Tx,
  f: { communityId: string; authorId: string; kind: "answer" | "review"; sourceId: string; label: string; url: string | null; hashes: readonly number[]; at: Date },
): Promise<void> {
  if (f.hashes.length === 0) return;
  const data = { communityId: f.communityId, label: f.label, url: f.url, hashes: [...f.hashes], createdAt: f.at };
  await db.answerFingerprint.upsert({
    where: { kind_sourceId_authorId: { kind: f.kind, sourceId: f.sourceId, authorId: f.authorId } },
    create: { ...data, kind: f.kind, sourceId: f.sourceId, authorId: f.authorId },
    update: data,
  });
}

/** Reverses the kudos from /thanks that wait in a question's hold account (its answer is no longer accepted). */
export async function reverseHeldKudos(tx: Tx, ledger: PointsLedger, communityId: string, questionId: string, reason: string): Promise<void> {
  const account = holdAccount(questionId);
  const minted = await ledger.openCredits(tx, communityId, account, ["kudos"]);
  await ledger.append(
    tx,
    minted.map((m) => ({ communityId, memberId: account, amount: -m.amount, category: "kudos" as const, reason, source: m.source, idempotencyKey: `reversal:${m.id}`, reversesId: m.id })),
  );
}

export type Settlement = "release" | "reverse";

export interface Settled {
  readonly question: Question;
  readonly answererId: string;
  readonly answererName: string;
  readonly points: number;
  readonly settlement: Settlement;
}

/**
 * Pays the held points to the answerer (release) or takes them back (reverse: the answer's
 * points are reversed, the bounty goes back to the asker), with compensating rows under the
 * answer's ledger source, so un-accepting the answer later still reverses everything.
 */
export async function settleCopied(db: Db, ledger: PointsLedger, input: { communityId: string; number: number; settlement: Settlement; actorId: string; now: Date }): Promise<Settled> {
  return inTransaction(db, async (tx) => {
    const found = await tx.question.findUnique({ where: { communityId_number: { communityId: input.communityId, number: input.number } }, select: { id: true } });
    const q = found && (await lockQuestion(tx, found.id));
    if (!q) throw new UserFacingError(`There is no question #${input.number}.`, "unknown_question");
    const hold = await tx.copiedAnswerHold.findUnique({ where: { questionId: q.id } });
    if (!hold) throw new UserFacingError(`No points are held for #${q.number}: its accepted answer did not match an earlier one.`, "nothing_held");
    if (hold.settlement) throw new UserFacingError(`The points held for #${q.number} were already ${hold.settlement}.`, "already_settled");
    const account = holdAccount(q.id);
    await ledger.lock(tx, q.communityId, [account, hold.answererId, q.askerId]);
    const common = { communityId: q.communityId, source: answerSource(q.id), actorId: input.actorId, at: input.now } as const;
    const key = (what: string) => `qa:${q.id}:copied:${input.settlement}:${hold.createdAt.getTime()}:${what}`;
    const entries: EntryInput[] = [];
    // Kudos from /thanks on the held answer waited here too.
    const balance = (await ledger.lock(tx, q.communityId, [account])).get(account) ?? 0;
    const kudos = Math.max(0, balance - hold.answerPoints - hold.bounty);
    if (input.settlement === "release") {
      if (kudos > 0) {
        entries.push(
          { ...common, memberId: account, amount: -kudos, category: "kudos", reason: `Held thanks for #${q.number} released`, idempotencyKey: key("kudos-out") },
          { ...common, memberId: hold.answererId, amount: kudos, category: "kudos", reason: `Thanks for the accepted answer to #${q.number} (released by a creator)`, idempotencyKey: key("kudos-in") },
        );
      }
      if (hold.answerPoints > 0) {
        entries.push(
          { ...common, memberId: account, amount: -hold.answerPoints, category: "answers", reason: `Held points for #${q.number} released`, idempotencyKey: key("answer-out") },
          { ...common, memberId: hold.answererId, amount: hold.answerPoints, category: "answers", reason: `Accepted answer to #${q.number} (released by a creator)`, idempotencyKey: key("answer-in") },
        );
      }
      if (hold.bounty > 0) {
        entries.push(
          { ...common, memberId: account, amount: -hold.bounty, category: "bounties", reason: `Held bounty for #${q.number} released`, idempotencyKey: key("bounty-out") },
          { ...common, memberId: hold.answererId, amount: hold.bounty, category: "bounties", reason: `Bounty for the accepted answer to #${q.number} (released by a creator)`, idempotencyKey: key("bounty-in") },
        );
      }
    } else {
      // The answer's points were created into the hold account: reverse that row. The bounty came from the asker: it goes back.
      const minted = await ledger.openCredits(tx, q.communityId, account, ["answers", "kudos"]);
      for (const m of minted) {
        entries.push({ ...common, memberId: account, amount: -m.amount, category: m.category === "kudos" ? "kudos" : "answers", reason: `Held points for #${q.number} reversed: copied answer`, idempotencyKey: `reversal:${m.id}`, reversesId: m.id });
      }
      if (hold.bounty > 0) {
        entries.push(
          { ...common, memberId: account, amount: -hold.bounty, category: "bounties", reason: `Held bounty for #${q.number} returned: copied answer`, idempotencyKey: key("bounty-out") },
          { ...common, memberId: q.askerId, amount: hold.bounty, category: "bounties", reason: `Bounty returned: the accepted answer to #${q.number} was copied`, idempotencyKey: key("bounty-in") },
        );
      }
    }
    await ledger.append(tx, entries);
    await tx.copiedAnswerHold.update({ where: { questionId: q.id }, data: { settlement: input.settlement === "release" ? "released" : "reversed", settledAt: input.now, settledById: input.actorId } });
    const answerer = await tx.member.findUnique({ where: { id: hold.answererId }, select: { displayName: true } });
    return { question: q, answererId: hold.answererId, answererName: answerer?.displayName ?? "the answerer", points: hold.answerPoints + hold.bounty + kudos, settlement: input.settlement };
  });
}
