/**
 * Points: peer kudos, creators' awards, history, leaderboards and badges, all written
 * through the ledger. Q&A and review award their own points with the ledger and then ask
 * {@link PointsService.badgesAfter} for the badges that became due.
 */
import { randomUUID } from "node:crypto";
import { UserFacingError } from "../core/errors.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import { inTransaction, type Tx } from "../db/transaction.js";
import { awardDueBadges, type EarnedBadge } from "./badges.js";
import { KeyedQueue } from "../core/keyed-queue.js";
import { checkCaps, checkGiver, type KudosRules, recentKudos } from "./kudos-rules.js";
import { type Board, type BoardPeriod, type BoardRow, leaderboard, rankOf } from "./leaderboard.js";
import { type Entry, InsufficientPoints, type PointCategory, type PointsLedger } from "./ledger.js";
import { type PointsProfile, pointsProfile } from "./profile.js";
import { type RewardShop, RewardsService } from "./rewards-service.js";

/** What thanks on a question need from Q&A (its service provides it). */
export interface QuestionThanks {
  /** Counts the thanks for the receiver's answer, in the thanks' transaction. */
  countThanks(tx: Tx, questionId: string, memberId: string): Promise<{ number: number; countedForAnswer: boolean; heldIn?: string } | undefined>;
}

/** A member as a command knows them: their id and how to show them. */
export interface Party {
  readonly memberId: string;
  readonly displayName: string;
  /** A mention or bold name for refusals; the display name when absent. */
  readonly label?: string;
}

export interface ThanksInput {
  readonly communityId: string;
  readonly giver: Party;
  readonly receiver: Party;
  /** Why, in the giver's words (already length-checked). */
  readonly reason?: string;
  /** The question the thanks is for (its thread, or the `question` option). */
  readonly questionId?: string;
  readonly rules: KudosRules;
  readonly timeZone: string;
  readonly now: Date;
  /** The interaction that asked (ctx.interactionId): the ledger key, so a second delivery of it writes nothing. */
  readonly interactionId?: string;
}

export interface ThanksResult {
  readonly entry: Entry;
  readonly badges: EarnedBadge[];
  /** Set when the thanks was given on a question (in its thread, or naming it). */
  readonly question?: { readonly number: number; readonly countedForAnswer: boolean };
}

export interface AwardInput {
  readonly communityId: string;
  readonly actor: Party;
  readonly member: Party;
  /** Positive to give, negative to take back. */
  readonly amount: number;
  readonly reason: string;
  readonly now: Date;
  /** The interaction that asked (ctx.interactionId): the ledger key, so a second delivery of it writes nothing. */
  readonly interactionId?: string;
}

export class PointsService {
  readonly rewards: RewardsService;
  /** Thanks from one giver wait for each other here, then most refusals need no transaction. */
  readonly #byGiver = new KeyedQueue();

  constructor(
    private readonly db: Db,
    private readonly ledger: PointsLedger,
    private readonly clock: Clock,
    shop: RewardShop,
    /** Q&A's side of thanks given on a question; read lazily (Q&A is built after points). */
    private readonly questions: () => QuestionThanks | undefined = () => undefined,
  ) {
    this.rewards = new RewardsService(db, ledger, shop);
  }

  /**
   * Peer kudos. Every rule is checked inside one transaction after locking the giver's and
   * the receiver's balance rows, so simultaneous thanks from one giver (or to one receiver)
   * are counted one after another and never exceed a cap. A cheap check before the
   * transaction turns away most refusals without taking any lock.
   */
  thank(input: ThanksInput): Promise<ThanksResult> {
    return this.#byGiver.run(input.giver.memberId, () => this.#thank(input));
  }

  async #thank(input: ThanksInput): Promise<ThanksResult> {
    const { communityId, giver, receiver, rules, now, timeZone } = input;
    if (giver.memberId === receiver.memberId) {
      throw new UserFacingError("You can't thank yourself: thanks are for the members who helped you.", "thanks_self");
    }
    const parties = { receiverLabel: receiver.label ?? receiver.displayName };
    const before = await recentKudos(this.db, communityId, giver.memberId, receiver.memberId, now);
    checkGiver(rules, before.giverJoinedAt, now, timeZone);
    checkCaps(rules, before, parties, now, timeZone);

    return inTransaction(this.db, async (tx) => {
      await this.ledger.lock(tx, communityId, [giver.memberId, receiver.memberId]);
      checkCaps(rules, await recentKudos(tx, communityId, giver.memberId, receiver.memberId, now), parties, now, timeZone);
      const question = input.questionId ? await this.questions()?.countThanks(tx, input.questionId, receiver.memberId) : undefined;
      const why = input.reason ? `: ${input.reason}` : "";
      const where = question ? ` on #${question.number}` : "";
      // Thanks for an answer whose points are held (copied) wait in the same hold account.
      const held = question?.heldIn ? " (held: copied answer)" : "";
      const idempotencyKey = `thanks:${input.interactionId ?? randomUUID()}`;
      const { written } = await this.ledger.append(tx, [
        {
          communityId,
          memberId: question?.heldIn ?? receiver.memberId,
          amount: rules.points,
          category: "kudos",
          reason: `Thanks from ${giver.displayName}${where}${held}${why}`,
          source: input.questionId ? `thanks:question:${input.questionId}` : "thanks",
          idempotencyKey,
          actorId: giver.memberId,
          at: now,
        },
      ]);
      const badges = await awardDueBadges(tx, communityId, [receiver.memberId]);
      return { entry: await writtenOrEarlier(tx, communityId, written, idempotencyKey), badges, ...(question ? { question } : {}) };
    });
  }

  /** A creator gives (or, with a negative amount, takes back) points. */
  async award(input: AwardInput): Promise<{ entry: Entry; balance: number; badges: EarnedBadge[] }> {
    const { communityId, member, amount } = input;
    if (!Number.isSafeInteger(amount) || amount === 0) throw new UserFacingError("Give a whole number of points other than 0.", "award_zero");
    if (input.actor.memberId === member.memberId) throw new UserFacingError("You can't award points to yourself.", "award_self");
    try {
      return await inTransaction(this.db, async (tx) => {
        const idempotencyKey = `award:${input.interactionId ?? randomUUID()}`;
        const { written } = await this.ledger.append(tx, [
          {
            communityId,
            memberId: member.memberId,
            amount,
            category: "awards",
            reason: `${amount > 0 ? "Award" : "Correction"} from ${input.actor.displayName}: ${input.reason}`,
            source: "award",
            idempotencyKey,
            actorId: input.actor.memberId,
            requireFunds: amount < 0,
            at: input.now,
          },
        ]);
        const balance = await balanceIn(tx, communityId, member.memberId);
        const badges = amount > 0 ? await awardDueBadges(tx, communityId, [member.memberId]) : [];
        return { entry: await writtenOrEarlier(tx, communityId, written, idempotencyKey), balance, badges };
      });
    } catch (error) {
      if (error instanceof InsufficientPoints) {
        throw new UserFacingError(`${member.label ?? member.displayName} has only ${error.balance} point${error.balance === 1 ? "" : "s"}: you can take back at most that many.`, "award_insufficient");
      }
      throw error;
    }
  }

  /** Badges that these members became due for after their points changed; see {@link awardDueBadges}. */
  badgesAfter(db: Db | Tx, communityId: string, memberIds: readonly string[]): Promise<EarnedBadge[]> {
    return awardDueBadges(db, communityId, memberIds);
  }

  /** The member's balance and their latest ledger rows, newest first. */
  async history(communityId: string, memberId: string, limit = 10): Promise<{ balance: number; entries: Entry[] }> {
    const [balance, entries] = await Promise.all([
      this.ledger.balance(communityId, memberId),
      this.db.pointEntry.findMany({ where: { communityId, memberId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit }),
    ]);
    return { balance, entries };
  }

  /** Everything `/points` shows about a member, in one statement. */
  profile(communityId: string, memberId: string): Promise<PointsProfile> {
    return pointsProfile(this.db, communityId, memberId);
  }

  /** The member's all-time place, or undefined when they have no points. */
  rank(communityId: string, memberId: string): Promise<BoardRow | undefined> {
    return rankOf(this.db, communityId, memberId, { period: "all", now: this.clock.now() });
  }

  /** Top 10 of all time or of this calendar week or month (and a category), with the viewer's own place. */
  leaderboard(communityId: string, opts: { period: BoardPeriod; category?: PointCategory | undefined; viewerId: string; now?: Date }): Promise<Board> {
    return leaderboard(this.db, communityId, { ...opts, now: opts.now ?? this.clock.now() });
  }
}

async function balanceIn(tx: Tx, communityId: string, memberId: string): Promise<number> {
  const row = await tx.pointBalance.findUnique({ where: { communityId_memberId: { communityId, memberId } }, select: { balance: true } });
  return row?.balance ?? 0;
}

/**
 * The row an append wrote, or the one an earlier run of the same interaction wrote (the
 * ledger skipped it as a duplicate): a command run again after its process died mid-answer
 * (src/platform/discord/recovery) answers as the first run would have.
 */
async function writtenOrEarlier(tx: Tx, communityId: string, written: readonly Entry[], idempotencyKey: string): Promise<Entry> {
  return written[0] ?? (await tx.pointEntry.findUniqueOrThrow({ where: { communityId_idempotencyKey: { communityId, idempotencyKey } } }));
}
