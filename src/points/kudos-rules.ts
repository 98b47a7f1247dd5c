/**
 * The peer-kudos rules of /thanks. Each refusal names the rule that applied and, where the
 * rule lifts with time, when the member can give again.
 */
import { UserFacingError } from "../core/errors.js";
import type { PointsConfig } from "./settings-schema.js";
import type { Tx } from "../db/transaction.js";
import type { Db } from "../db/database.js";
import { whenAgain } from "./format.js";

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

export type KudosRules = PointsConfig["thanks"];

/** A /thanks refused by one of the rules; `code` names the rule, `until` when it lifts. */
export class ThanksRefused extends UserFacingError {
  override name = "ThanksRefused";
  constructor(
    message: string,
    code: string,
    readonly until?: Date,
  ) {
    super(message, code);
  }
}

/** When the kudos that count against each cap were given, oldest first. */
export interface RecentKudos {
  /** When the giver joined (undefined if they have no member row). */
  readonly giverJoinedAt: Date | undefined;
  /** Given by the giver in the last 24 hours. */
  readonly given: readonly Date[];
  /** Received by the receiver in the last 24 hours. */
  readonly received: readonly Date[];
  /** Given by the giver to this receiver in the last 7 days. */
  readonly pair: readonly Date[];
}

/** Reads the kudos that count against the caps, and when the giver joined, in one statement. */
export async function recentKudos(db: Db | Tx, communityId: string, giverId: string, receiverId: string, now: Date): Promise<RecentKudos> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  // Original rows only: a thanks that was later reversed still used up its allowance.
  const rows = await db.$queryRaw<{ k: "joined" | "given" | "received" | "pair"; at: Date }[]>`
    SELECT 'joined' AS k, "createdAt" AS at FROM "Member" WHERE "id" = ${giverId}
    UNION ALL
    SELECT 'given' AS k, "createdAt" AS at FROM "PointEntry"
      WHERE "communityId" = ${communityId} AND "actorId" = ${giverId} AND "category" = 'kudos' AND "reversesId" IS NULL AND "createdAt" > ${dayAgo}
    UNION ALL
    SELECT 'received', "createdAt" FROM "PointEntry"
      WHERE "communityId" = ${communityId} AND "memberId" = ${receiverId} AND "category" = 'kudos' AND "reversesId" IS NULL AND "createdAt" > ${dayAgo}
    UNION ALL
    SELECT 'pair', "createdAt" FROM "PointEntry"
      WHERE "communityId" = ${communityId} AND "actorId" = ${giverId} AND "memberId" = ${receiverId} AND "category" = 'kudos' AND "reversesId" IS NULL AND "createdAt" > ${weekAgo}`;
  const of = (k: string) => rows.filter((r) => r.k === k).map((r) => new Date(r.at)).sort((a, b) => a.getTime() - b.getTime());
  return { giverJoinedAt: of("joined")[0], given: of("given"), received: of("received"), pair: of("pair") };
}

/** How the receiver appears in refusals (a mention or a bold name). */
export interface ThanksParties {
  readonly receiverLabel: string;
}

/** Rules about the giver alone: whether thanks are on, and how long ago they joined. */
export function checkGiver(rules: KudosRules, giverJoinedAt: Date | undefined, now: Date, timeZone: string): void {
  if (rules.perGiverPerDay === 0 || rules.perReceiverPerDay === 0 || rules.perPairPerWeek === 0) {
    throw new ThanksRefused("Thanks are turned off in this community.", "thanks_off");
  }
  // With no wait configured nobody waits: a member another process created a moment after this
  // interaction arrived (their first two commands at once) joined "after" its `now`.
  const canGiveAt = new Date((giverJoinedAt ?? now).getTime() + rules.minMemberAgeHours * HOUR_MS);
  if (rules.minMemberAgeHours > 0 && canGiveAt > now) {
    throw new ThanksRefused(
      `New members can give thanks once they have been here ${hours(rules.minMemberAgeHours)}. You can give thanks ${whenAgain(canGiveAt, now, timeZone)}.`,
      "thanks_new_member",
      canGiveAt,
    );
  }
}

/** The caps: the giver's daily allowance, the same pair's weekly one, the receiver's daily one. */
export function checkCaps(rules: KudosRules, recent: RecentKudos, parties: ThanksParties, now: Date, timeZone: string): void {
  const given = liftsAt(recent.given, rules.perGiverPerDay, DAY_MS);
  if (given) {
    throw new ThanksRefused(
      `You have given ${times(recent.given.length)} in the last 24 hours: the limit is ${times(rules.perGiverPerDay)} a day. You can thank someone again ${whenAgain(given, now, timeZone)}.`,
      "thanks_giver_daily",
      given,
    );
  }
  const pair = liftsAt(recent.pair, rules.perPairPerWeek, WEEK_MS);
  if (pair) {
    throw new ThanksRefused(
      `You have thanked ${parties.receiverLabel} ${count(recent.pair.length)} in the last 7 days: one member can thank the same person at most ${count(rules.perPairPerWeek)} a week. You can thank them again ${whenAgain(pair, now, timeZone)}.`,
      "thanks_pair_weekly",
      pair,
    );
  }
  const received = liftsAt(recent.received, rules.perReceiverPerDay, DAY_MS);
  if (received) {
    throw new ThanksRefused(
      `${parties.receiverLabel} has received ${times(recent.received.length)} in the last 24 hours: a member can receive at most ${times(rules.perReceiverPerDay)} a day. You can thank them again ${whenAgain(received, now, timeZone)}.`,
      "thanks_receiver_daily",
      received,
    );
  }
}

/**
 * When a cap of `cap` per `window` allows one more, or undefined if it allows one now.
 * With `n` counted, the oldest `n - cap + 1` must leave the window first.
 */
function liftsAt(oldestFirst: readonly Date[], cap: number, window: number): Date | undefined {
  if (oldestFirst.length < cap) return undefined;
  const leaving = oldestFirst[oldestFirst.length - cap]!;
  return new Date(leaving.getTime() + window);
}

const times = (n: number) => `${n} thanks`;
const count = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);
const hours = (n: number) => (n % 24 === 0 && n > 0 ? `${n / 24} day${n === 24 ? "" : "s"}` : `${n} hour${n === 1 ? "" : "s"}`);
