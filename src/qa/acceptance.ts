/**
 * Marking a question solved, in one transaction: credit an answer (points to the answerer
 * and the asker, the bounty out of escrow), or close it as solved by the asker (the bounty
 * goes back). An answer accepted before is un-accepted first: its points are reversed with
 * compensating rows, so the ledger still tells the whole story.
 */
import { UserFacingError } from "../core/errors.js";
import type { Tx } from "../db/transaction.js";
import { type EntryInput, escrowAccount, type PointsLedger } from "../points/index.js";
import type { Actor } from "./qa-deps.js";
import { type CopyMatch, holdAccount, recordFingerprint, reverseHeldKudos } from "./copied.js";
import { answerSource, bountySource, lockQuestion, type Question, type QuestionReply } from "./questions.js";
import { excerpt, quoted } from "../core/member-text.js";

/** Points for an accepted answer (outside the kudos caps) and for the question it answered. */
export const ANSWER_POINTS = 15;
export const ASKER_POINTS = 2;
/** Accepted answers are kept for search up to this length. */
const ACCEPTED_TEXT_MAX = 4000;

/** The answer being credited. */
export interface Credit {
  readonly memberId: string;
  readonly displayName: string;
  /** The accepted message, when accepted by message (Discord context menu, Slack shortcut). */
  readonly messageId?: string;
  readonly text?: string;
}

export interface SolveInput {
  readonly questionId: string;
  /** Absent: the asker solved it themselves (/solved without an answerer). */
  readonly credit?: Credit;
  readonly actor: Actor;
  readonly now: Date;
  /** The credited answer's fingerprint (when its text is known), kept to compare later answers with. */
  readonly hashes?: readonly number[];
  /** The earlier answer by another member it matches: its points go to the hold account. */
  readonly copied?: CopyMatch;
}

export interface SolveOutcome {
  readonly question: Question;
  /** False when that answer was already the accepted one: nothing was written. */
  readonly changed: boolean;
  /** The answer now accepted; absent when solved by the asker (their own answer included). */
  readonly accepted?: QuestionReply;
  readonly awards: { readonly answerer: number; readonly asker: number; readonly bounty: number };
  readonly bountyReturned: number;
  /** Who lost an earlier acceptance (and its points). */
  readonly previous?: { readonly memberId: string; readonly displayName: string };
  /** Set when the answer matched an earlier one: its points and bounty are held for a creator. */
  readonly held?: CopyMatch;
}

const NO_AWARDS = { answerer: 0, asker: 0, bounty: 0 };

export async function solveInTransaction(tx: Tx, ledger: PointsLedger, input: SolveInput): Promise<SolveOutcome> {
  const q = await lockQuestion(tx, input.questionId);
  if (!q) throw new UserFacingError("That question no longer exists.", "unknown_question");
  const { actor, now } = input;
  // The asker's own answer earns nothing: it counts as solving it themselves.
  const credit = input.credit && input.credit.memberId !== q.askerId ? input.credit : undefined;
  if (!input.credit && q.status !== "open") throw new UserFacingError(`#${q.number} is already marked solved.`, "already_solved");

  if (input.credit && !credit && q.status === "solved" && !q.acceptedReplyId) {
    // Solved by the asker already: only the text kept for search changes.
    const question = await tx.question.update({ where: { id: q.id }, data: { acceptedText: acceptedText(input.credit) } });
    return { question, changed: false, awards: NO_AWARDS, bountyReturned: 0 };
  }
  const previousReply = q.acceptedReplyId ? await tx.questionReply.findUnique({ where: { id: q.acceptedReplyId } }) : null;
  if (credit && previousReply?.authorId === credit.memberId) return { question: q, changed: false, accepted: previousReply, awards: NO_AWARDS, bountyReturned: 0 };
  const escrow = escrowAccount(q.id);
  // Every balance this may touch, locked at once and before any reply row (as /thanks does),
  // in the ledger's order, so this cannot deadlock with kudos or another acceptance.
  const held = credit && input.copied ? holdAccount(q.id) : undefined;
  await ledger.lock(tx, q.communityId, [q.askerId, escrow, ...(credit ? [credit.memberId] : []), ...(previousReply ? [previousReply.authorId] : []), ...(held ? [held] : [])]);
  const reply = credit ? await answerOf(tx, q, credit, actor, now) : null;

  let previous: SolveOutcome["previous"];
  if (previousReply) {
    await tx.questionReply.update({ where: { id: previousReply.id }, data: { acceptedAt: null } });
    await ledger.reverseSource(tx, q.communityId, answerSource(q.id), `Answer to #${q.number} no longer accepted`);
    // Whatever was held for it was reversed with it, thanks for it included.
    await reverseHeldKudos(tx, ledger, q.communityId, q.id, `Thanks for the answer to #${q.number} reversed: no longer accepted`);
    await tx.copiedAnswerHold.updateMany({ where: { questionId: q.id, settlement: null }, data: { settlement: "unaccepted", settledAt: now } });
    const member = await tx.member.findUnique({ where: { id: previousReply.authorId }, select: { displayName: true } });
    previous = { memberId: previousReply.authorId, displayName: member?.displayName ?? "someone" };
  }

  const inEscrow = (await ledger.lock(tx, q.communityId, [escrow])).get(escrow) ?? 0;
  // Accepting your own answer (a creator on someone's question) awards nothing either.
  const awarded = credit !== undefined && credit.memberId !== actor.memberId;
  const stamp = `${reply?.id ?? "asker"}:${now.getTime()}`;
  const entries: EntryInput[] = [];
  let awards = NO_AWARDS;
  let bountyReturned = 0;
  if (awarded) {
    const common = { communityId: q.communityId, source: answerSource(q.id), actorId: actor.memberId, at: now };
    const key = (what: string) => `qa:${q.id}:accept:${stamp}:${what}`;
    // A copied answer's points wait in the hold account until a creator settles them.
    const payee = held ?? credit.memberId;
    const why = held ? " (held: it matches an earlier answer)" : "";
    entries.push(
      { ...common, memberId: payee, amount: ANSWER_POINTS, category: "answers", reason: `Accepted answer to #${q.number}${why}`, idempotencyKey: key("answerer") },
      { ...common, memberId: q.askerId, amount: ASKER_POINTS, category: "questions", reason: `Question #${q.number} answered`, idempotencyKey: key("asker") },
    );
    if (inEscrow > 0) {
      entries.push(
        { ...common, memberId: escrow, amount: -inEscrow, category: "bounties", reason: `Bounty for #${q.number} paid`, idempotencyKey: key("bounty-out") },
        { ...common, memberId: payee, amount: inEscrow, category: "bounties", reason: `Bounty for the accepted answer to #${q.number}${why}`, idempotencyKey: key("bounty-in") },
      );
    }
    awards = { answerer: ANSWER_POINTS, asker: ASKER_POINTS, bounty: inEscrow };
    if (held && input.copied) {
      const hold = { communityId: q.communityId, answererId: credit.memberId, matchedId: input.copied.fingerprintId, share: input.copied.share, answerPoints: ANSWER_POINTS, bounty: inEscrow, createdAt: now };
      await tx.copiedAnswerHold.upsert({ where: { questionId: q.id }, create: { questionId: q.id, ...hold }, update: { ...hold, settlement: null, settledAt: null, settledById: null } });
    }
  } else if (inEscrow > 0) {
    const common = { communityId: q.communityId, source: bountySource(q.id), actorId: actor.memberId, category: "bounties", at: now } as const;
    const key = (what: string) => `qa:${q.id}:bounty-return:${stamp}:${what}`;
    entries.push(
      { ...common, memberId: escrow, amount: -inEscrow, reason: `Bounty for #${q.number} returned`, idempotencyKey: key("out") },
      { ...common, memberId: q.askerId, amount: inEscrow, reason: `Bounty returned: #${q.number} solved without a credited answer`, idempotencyKey: key("in") },
    );
    bountyReturned = inEscrow;
  }
  await ledger.append(tx, entries);
  const accepted = reply && (await tx.questionReply.update({ where: { id: reply.id }, data: { acceptedAt: now } }));
  const question = await tx.question.update({
    where: { id: q.id },
    data: {
      status: "solved",
      solvedAt: now,
      acceptedReplyId: accepted?.id ?? null,
      acceptedText: acceptedText(input.credit),
      ...(bountyReturned > 0 ? { bountySettledAt: now } : {}),
    },
  });
  if (credit && input.hashes) {
    await recordFingerprint(tx, { communityId: q.communityId, authorId: credit.memberId, kind: "answer", sourceId: q.id, label: `#${q.number}`, url: q.url, hashes: input.hashes, at: now });
  }
  const copied = awarded && input.copied ? { held: input.copied } : {};
  return { question, changed: true, ...(accepted ? { accepted } : {}), awards, bountyReturned, ...(previous ? { previous } : {}), ...copied };
}

function acceptedText(credit: Credit | undefined): string | null {
  const text = credit?.text?.trim();
  return text ? excerpt(text, ACCEPTED_TEXT_MAX) : null;
}

/**
 * The credited member's reply in the thread. A member may only credit someone who replied
 * there (or a message they picked); creators may credit anyone, for answers given elsewhere.
 */
async function answerOf(tx: Tx, q: Question, credit: Credit, actor: Actor, now: Date): Promise<QuestionReply> {
  const existing = await tx.questionReply.findUnique({ where: { questionId_authorId: { questionId: q.id, authorId: credit.memberId } } });
  if (existing) return existing;
  if (credit.messageId === undefined && !actor.isCreator) {
    throw new UserFacingError(`${quoted(credit.displayName)} has not replied in the thread of #${q.number}, so there is no answer of theirs to accept.`, "no_reply");
  }
  return tx.questionReply.create({ data: { questionId: q.id, authorId: credit.memberId, messageId: credit.messageId ?? "", messages: credit.messageId ? 1 : 0, createdAt: now } });
}
