/**
 * Questions and answers: /ask opens a thread and records the question, answers are counted
 * as they are posted, accepting one pays points (and any bounty), and scheduled passes nudge
 * helpers, remind askers and settle bounties. Commands call this; it never sees a platform SDK.
 */
import type { MessageRef, ThreadMessage, ThreadRef } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";
import { type QaConfig, qaSettingsSection } from "./settings-schema.js";
import { inTransaction, type Tx } from "../db/transaction.js";
import { recordActivity } from "../insights/index.js";
import type { EarnedBadge } from "../points/index.js";
import { type Credit, type SolveOutcome, solveInTransaction } from "./acceptance.js";
import { askQuestion, type AskInput } from "./ask.js";
import { remindAskers, repostStaleQuestions, settleExpiredBounties } from "./follow-ups.js";
import { type Named, solvedNote } from "./messages.js";
import type { Actor, QaDeps } from "./qa-deps.js";
import { type Question, questionByNumber, questionInThread, threadOf } from "./questions.js";
import { type Found, searchQuestions } from "./search.js";
import { type SimilarQuestion, similarForAsk, similarQuestions } from "./similar.js";
import { type CopyMatch, findCopy, recordFingerprint, type Settled, type Settlement, settleCopied } from "./copied.js";
import { fingerprint } from "./fingerprint.js";
import { countThanksOnAnswer } from "./thanks-on-questions.js";
import { quoted } from "../core/member-text.js";

export type { Actor } from "./qa-deps.js";

/** What accepting or /solved did, for the command's reply. */
export interface Solved extends SolveOutcome {
  readonly asker: Named;
  readonly answerer?: Named;
  /** Badges the answerer or the asker earned with these points, announced in the thread too. */
  readonly badges: readonly EarnedBadge[];
}

export class QaService {
  readonly #settings = new Map<string, Promise<QaConfig>>();

  constructor(private readonly deps: QaDeps) {}

  /**
   * Looks for similar questions first (shown with the reply), then opens the question's
   * thread and records it (with its bounty in escrow): the question is posted either way.
   */
  async ask(input: AskInput): Promise<{ question: Question; thread: ThreadRef; similar: SimilarQuestion[] }> {
    const similar = await similarForAsk(this.deps.db, input.communityId, { title: input.title, details: input.details }).catch((error: unknown) => {
      // A hint, not a condition of asking: the question is posted without it.
      this.deps.log.warn({ err: error }, "could not look for similar questions");
      return [];
    });
    return { ...(await askQuestion(this.deps, input)), similar };
  }

  /** Questions similar to `text`, best first (see similar.ts). */
  similar(communityId: string, text: string): Promise<SimilarQuestion[]> {
    return similarQuestions(this.deps.db, communityId, { title: text });
  }

  /**
   * Accepts the picked message as the answer to the question whose thread it is in
   * (Discord: the message's channel is the thread; Slack: its thread's parent ts).
   */
  async accept(input: { communityId: string; spaceId: string; message: MessageRef; actor: Actor; now: Date }): Promise<Solved> {
    const { message, actor } = input;
    const threadId = actor.platform === "slack" ? message.threadId : message.channelId;
    const q = threadId ? await questionInThread(this.deps.db, actor.platform, input.spaceId, threadId) : null;
    if (!q || q.communityId !== input.communityId || (actor.platform === "slack" && q.channelId !== message.channelId)) {
      throw new UserFacingError("That message is not in a question's thread. Use **Accept answer** on a reply in a thread opened with `/ask`.", "not_a_question");
    }
    if (message.id === q.threadId) throw new UserFacingError("That is the question itself. Pick the reply that answered it.", "not_an_answer");
    if (message.author.bot) throw new UserFacingError("That message is from a bot. Pick the reply from the member who answered.", "not_an_answer");
    await this.#mayResolve(q, actor, "accept an answer to");
    const { member } = await this.deps.identity.memberFor(q.communityId, actor.platform, { id: message.author.id, displayName: message.author.displayName });
    const credit = { memberId: member.id, displayName: message.author.displayName, messageId: message.id, text: message.text };
    // Compared before the transaction: earlier fingerprints do not change under it.
    const hashes = fingerprint(message.text ?? "");
    const settings = await this.#settingsFor(q.communityId);
    const copied = member.id === q.askerId ? undefined : await findCopy(this.deps.db, q.communityId, member.id, hashes, settings.copiedShare);
    return this.#solve(q, credit, message.author.id, actor, input.now, { hashes, ...(copied ? { copied } : {}) });
  }

  /**
   * /solved: by number, or the question whose thread the command ran in (Discord). With an
   * answerer, credits their answer like accepting it; without, the asker solved it themselves.
   */
  async solve(input: {
    communityId: string;
    spaceId: string;
    channelId: string;
    number?: number | undefined;
    answerer?: { id: string; displayName: string } | undefined;
    actor: Actor;
    now: Date;
  }): Promise<Solved> {
    const { actor } = input;
    const q = await this.#questionFor(input);
    await this.#mayResolve(q, actor, "mark solved");
    let credit: Credit | undefined;
    if (input.answerer) {
      const { member } = await this.deps.identity.memberFor(q.communityId, actor.platform, input.answerer);
      credit = { memberId: member.id, displayName: input.answerer.displayName };
    }
    return this.#solve(q, credit, input.answerer?.id, actor, input.now);
  }

  /**
   * Counts a message posted in a thread (adapters report every one): replies from members
   * other than the asker, in a question's thread. One indexed lookup for any other thread.
   */
  async recordReply(m: ThreadMessage): Promise<void> {
    if (m.author.bot) return;
    const q = await this.deps.db.question.findUnique({
      where: { platform_spaceId_threadId: { platform: m.platform, spaceId: m.spaceId, threadId: m.threadId } },
      select: { id: true, communityId: true, askerId: true },
    });
    if (!q || m.messageId === m.threadId) return;
    const { member } = await this.deps.identity.memberFor(q.communityId, m.platform, { id: m.author.id, displayName: m.author.displayName });
    await recordActivity(this.deps.db, q.communityId, member.id, m.at);
    if (member.id === q.askerId) return;
    // Two single statements, no transaction: nothing else waits on these rows for long.
    await this.deps.db.$executeRaw`
      UPDATE "Question" SET "replyCount" = "replyCount" + 1, "firstReplyAt" = coalesce("firstReplyAt", ${m.at}), "lastReplyAt" = greatest("lastReplyAt", ${m.at})
      WHERE "id" = ${q.id}`;
    await this.deps.db.$executeRaw`
      INSERT INTO "QuestionReply" ("id", "questionId", "authorId", "messageId", "messages", "thanks", "createdAt")
      VALUES (gen_random_uuid()::text, ${q.id}, ${member.id}, ${m.messageId}, 1, 0, ${m.at})
      ON CONFLICT ("questionId", "authorId") DO UPDATE SET "messages" = "QuestionReply"."messages" + 1`;
  }

  /** The question numbered `number` in the community (for /thanks). */
  questionNumbered = async (communityId: string, number: number) => (await questionByNumber(this.deps.db, communityId, number))?.id;
  /** The community's question whose thread this is, if it is one (for /thanks). */
  questionInThread = async (communityId: string, place: { platform: PlatformName; spaceId: string; threadId: string }) => {
    const here = await questionInThread(this.deps.db, place.platform, place.spaceId, place.threadId);
    return here?.communityId === communityId ? here.id : undefined;
  };
  /** Counts a thanks for the receiver's answer, in the caller's transaction (for /thanks). */
  countThanks = (tx: Tx, questionId: string, memberId: string) => countThanksOnAnswer(tx, questionId, memberId);

  /** Full-text search over questions and accepted answers, ranked by similarity; without text, the newest open questions. */
  search(communityId: string, text: string | undefined): Promise<Found[]> {
    return searchQuestions(this.deps.db, communityId, text);
  }

  /** The tags of the questions the member asked, most used first (for recommendations). */
  async tagsAskedBy(communityId: string, memberId: string): Promise<string[]> {
    const rows = await this.deps.db.$queryRaw<{ tag: string }[]>`
      SELECT t AS "tag" FROM "Question", unnest("tags") AS t WHERE "communityId" = ${communityId} AND "askerId" = ${memberId}
      GROUP BY t ORDER BY count(*) DESC, t`;
    return rows.map((r) => r.tag);
  }

  /** Scheduled: questions without a reply go to the helpers. Returns how many were re-posted. */
  repostStale(now: Date): Promise<number> {
    return repostStaleQuestions(this.deps, (id) => this.#settingsFor(id), now);
  }

  /** Scheduled: askers of answered, unaccepted questions get one reminder. */
  remindAskers(now: Date): Promise<number> {
    return remindAskers(this.deps, (id) => this.#settingsFor(id), now);
  }

  /** Scheduled: bounties past their window are split or returned. */
  settleBounties(now: Date): Promise<number> {
    return settleExpiredBounties(this.deps, (id) => this.#settingsFor(id), now);
  }

  async #solve(q: Question, credit: Credit | undefined, answererUserId: string | undefined, actor: Actor, now: Date, text: { hashes?: number[]; copied?: CopyMatch } = {}): Promise<Solved> {
    const outcome = await inTransaction(this.deps.db, (tx) => solveInTransaction(tx, this.deps.ledger, { questionId: q.id, actor, now, ...(credit ? { credit } : {}), ...text }));
    if (outcome.held && credit) await this.#reportHeld(outcome.question, credit.displayName, outcome.held);
    const askerName = await this.#displayName(q.askerId);
    const asker: Named = { displayName: askerName };
    // Mention (and ping) the answerer only where the id is theirs on the thread's platform.
    const answerer: Named | undefined = outcome.accepted && credit
      ? { displayName: credit.displayName, ...(answererUserId && actor.platform === q.platform ? { platformUserId: answererUserId } : {}) }
      : undefined;
    const badges = outcome.accepted && outcome.awards.answerer > 0 ? await this.#badges(q.communityId, [outcome.accepted.authorId, q.askerId]) : [];
    if (outcome.changed) await this.#markSolved(outcome, asker, answerer, badges, actor.memberId === q.askerId ? undefined : { displayName: actor.displayName });
    return { ...outcome, asker, ...(answerer ? { answerer } : {}), badges };
  }

  /** Tells the creators (admin log) that an accepted answer's points are held, with both links. */
  async #reportHeld(q: Question, answerer: string, match: CopyMatch): Promise<void> {
    const platform = q.platform;
    if (!this.deps.adminLog || (platform !== "discord" && platform !== "slack")) return;
    const earlierBy = await this.#displayName(match.authorId);
    const link = (label: string, url: string | null) => (url ? `[${label}](${url})` : label);
    const text =
      `⚠️ Points held: the answer by **${quoted(answerer)}** accepted on ${link(`#${q.number}`, q.url)} matches ${Math.round(match.share * 100)}% of an earlier answer by **${quoted(earlierBy)}** (${link(match.label, match.url)}). ` +
      `\`/qa copied release ${q.number}\` pays them; \`/qa copied reverse ${q.number}\` takes them back.`;
    await this.deps.adminLog.report(platform, q.spaceId, text).catch((error: unknown) => this.deps.log.warn({ err: error, question: q.id }, "could not report held points"));
  }

  /** A creator releases the held points of a copied answer to its author, or reverses them. */
  settleCopied(input: { communityId: string; number: number; settlement: Settlement; actorId: string; now: Date }): Promise<Settled> {
    return settleCopied(this.deps.db, this.deps.ledger, input);
  }

  /**
   * The earlier answer or review summary by another member that a code review's summary
   * matches by at least the community's `qa.copiedShare` (code review holds its points then).
   */
  async matchSummary(input: { communityId: string; authorId: string; summary: string }): Promise<CopyMatch | undefined> {
    const settings = await this.#settingsFor(input.communityId);
    return findCopy(this.deps.db, input.communityId, input.authorId, fingerprint(input.summary), settings.copiedShare);
  }

  /** Keeps the fingerprint of a code review's summary, so answers copied from it are noticed (code review calls this). */
  recordReviewSummary(input: { communityId: string; authorId: string; requestId: string; number: number; url: string | null; summary: string; at: Date }): Promise<void> {
    return recordFingerprint(this.deps.db, { communityId: input.communityId, authorId: input.authorId, kind: "review", sourceId: input.requestId, label: `review #${input.number}`, url: input.url, hashes: fingerprint(input.summary), at: input.at });
  }

  /** Badges are a bonus: failing to check them never fails an acceptance that was committed. */
  async #badges(communityId: string, memberIds: readonly string[]): Promise<readonly EarnedBadge[]> {
    try {
      return (await this.deps.badgesAfter?.(communityId, memberIds)) ?? [];
    } catch (error) {
      this.deps.log.warn({ err: error }, "could not check badges after an accepted answer");
      return [];
    }
  }

  async #markSolved(outcome: SolveOutcome, asker: Named, answerer: Named | undefined, badges: readonly EarnedBadge[], creator: Named | undefined): Promise<void> {
    const q = outcome.question;
    const poster = this.deps.chat[q.platform as PlatformName];
    if (!poster) return;
    const note = solvedNote({
      question: q,
      asker,
      ...(answerer ? { answerer } : {}),
      ...(creator ? { creator } : {}),
      awards: outcome.awards,
      bountyReturned: outcome.bountyReturned,
      held: outcome.held !== undefined,
      ...(outcome.previous ? { previous: { displayName: outcome.previous.displayName } } : {}),
      badges,
    });
    // The points are committed; a thread we cannot update is logged, not undone.
    await poster.markSolved(threadOf(q), note).catch((error: unknown) => this.deps.log.warn({ err: error, question: q.id }, "could not mark the thread solved"));
  }

  async #questionFor(input: { communityId: string; spaceId: string; channelId: string; number?: number | undefined; actor: Actor }): Promise<Question> {
    if (input.number !== undefined) {
      const q = await questionByNumber(this.deps.db, input.communityId, input.number);
      if (!q) throw new UserFacingError(`There is no question #${input.number}. \`/questions\` lists the open ones.`, "unknown_question");
      return q;
    }
    const here = await questionInThread(this.deps.db, input.actor.platform, input.spaceId, input.channelId);
    if (here && here.communityId === input.communityId) return here;
    const mine = await this.deps.db.question.findMany({ where: { communityId: input.communityId, askerId: input.actor.memberId, status: "open" }, orderBy: { number: "asc" }, take: 10, select: { number: true } });
    const where = input.actor.platform === "slack" ? "" : ", or run it in the question's thread";
    const yours = mine.length > 0 ? ` Your open questions: ${mine.map((m) => `#${m.number}`).join(", ")}.` : "";
    throw new UserFacingError(`Which question? Give its number, like \`/solved 12\`${where}.${yours}`, "which_question");
  }

  async #mayResolve(q: Question, actor: Actor, what: string): Promise<void> {
    if (actor.memberId === q.askerId || actor.isCreator) return;
    throw new UserFacingError(`Only the asker, ${quoted(await this.#displayName(q.askerId))}, or a creator can ${what} #${q.number}.`, "not_the_asker");
  }

  async #displayName(memberId: string): Promise<string> {
    const member = await this.deps.db.member.findUnique({ where: { id: memberId }, select: { displayName: true } });
    return member?.displayName ?? "someone";
  }

  /** A community's Q&A settings, by id (scheduled passes know only the id). */
  #settingsFor(communityId: string): Promise<QaConfig> {
    let settings = this.#settings.get(communityId);
    if (!settings) {
      settings = this.deps.db.community.findUnique({ where: { id: communityId }, select: { slug: true } }).then((c) => this.deps.communities.find((x) => x.slug === c?.slug)?.qa ?? qaSettingsSection.defaults);
      this.#settings.set(communityId, settings);
      settings.catch(() => this.#settings.delete(communityId));
    }
    return settings;
  }
}
