import type { Db } from "../../db/database.js";
import { dayOf, daysBetween, monthOf } from "../periods.js";

export interface SubscriptionRow {
  readonly id: string;
  readonly memberId: string;
  readonly amount: number;
  readonly currency: string;
  readonly interval: string;
  readonly intervalCount: number;
  readonly startedAt: Date;
  readonly trialEndsAt: Date | null;
  readonly endedAt: Date | null;
}

export function loadSubscriptions(db: Db, communityId: string): Promise<SubscriptionRow[]> {
  return db.insightSubscription.findMany({
    where: { communityId },
    select: { id: true, memberId: true, amount: true, currency: true, interval: true, intervalCount: true, startedAt: true, trialEndsAt: true, endedAt: true },
  });
}

/** Subscriptions with a paid invoice above zero: the ones a trial converted into. */
export async function paidSubscriptionIds(db: Db, communityId: string): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ subscriptionId: string }[]>`
    SELECT DISTINCT "subscriptionId" FROM "InsightMoney"
    WHERE "communityId" = ${communityId} AND "kind" = 'payment' AND "amount" > 0 AND "subscriptionId" IS NOT NULL`;
  return new Set(rows.map((r) => r.subscriptionId));
}

/** The price normalised to a month: yearly ÷ 12, weekly × 52 ÷ 12, daily × 365 ÷ 12. */
export function monthlyAmount(s: Pick<SubscriptionRow, "amount" | "interval" | "intervalCount">): number {
  const perInterval = s.amount / Math.max(1, s.intervalCount);
  switch (s.interval) {
    case "year":
      return perInterval / 12;
    case "week":
      return (perInterval * 52) / 12;
    case "day":
      return (perInterval * 365) / 12;
    default:
      return perInterval;
  }
}

/** Paying starts when the trial (if any) ends; a subscription that ended in its trial never paid. */
export function payingFrom(s: SubscriptionRow): Date {
  return s.trialEndsAt && s.trialEndsAt > s.startedAt ? s.trialEndsAt : s.startedAt;
}

function paying(s: SubscriptionRow): boolean {
  return !s.endedAt || s.endedAt > payingFrom(s);
}

export interface SubscriptionDay {
  /** At the end of the day: MRR per currency, paying subscriptions, paying members. */
  mrr: Map<string, number>;
  subscriptions: number;
  members: number;
  /** During the day. */
  started: number;
  reactivated: number;
  churned: number;
}

/**
 * Day by day, from `from` to `to`: the state at each day's end (a subscription pays from its
 * paying start until Stripe's `ended_at`) and what happened during it. A start is **new** when
 * the member never paid before, **reactivated** when every earlier subscription of theirs had
 * ended; a start alongside another paying subscription is neither. **Churned** counts paying
 * subscriptions that ended.
 */
export function subscriptionDays(subs: readonly SubscriptionRow[], from: Date, to: Date): Map<string, SubscriptionDay> {
  const days = new Map<string, SubscriptionDay>(daysBetween(from, to).map((d) => [d, { mrr: new Map(), subscriptions: 0, members: 0, started: 0, reactivated: 0, churned: 0 }]));
  const payingSubs = subs.filter(paying);
  type Change = { day: string; sub: SubscriptionRow; delta: 1 | -1 };
  const changes: Change[] = [];
  for (const s of payingSubs) {
    changes.push({ day: dayOf(payingFrom(s)), sub: s, delta: 1 });
    if (s.endedAt) changes.push({ day: dayOf(s.endedAt), sub: s, delta: -1 });
  }
  // Starts before ends on the same day, so a member switching plans that day is not a reactivation.
  changes.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : payingFrom(a.sub).getTime() - payingFrom(b.sub).getTime() || b.delta - a.delta));
  const history = startsHistory(payingSubs);
  const perMember = new Map<string, number>();
  const mrr = new Map<string, number>();
  let subscriptions = 0;
  let members = 0;
  let i = 0;
  for (const [day, out] of days) {
    for (; i < changes.length && changes[i]!.day <= day; i++) {
      const { sub, delta } = changes[i]!;
      const had = perMember.get(sub.memberId) ?? 0;
      perMember.set(sub.memberId, had + delta);
      if (had === 0 && delta === 1) members++;
      if (had === 1 && delta === -1) members--;
      subscriptions += delta;
      mrr.set(sub.currency, (mrr.get(sub.currency) ?? 0) + delta * monthlyAmount(sub));
      if (changes[i]!.day !== day) continue; // before the range: state only
      if (delta === -1) out.churned++;
      else if (history.get(sub) === "new") out.started++;
      else if (history.get(sub) === "reactivated") out.reactivated++;
    }
    out.subscriptions = subscriptions;
    out.members = members;
    out.mrr = new Map([...mrr].filter(([, v]) => Math.abs(v) > 1e-9));
  }
  return days;
}

function startsHistory(subs: readonly SubscriptionRow[]): Map<SubscriptionRow, "new" | "reactivated" | "expansion"> {
  const byMember = new Map<string, SubscriptionRow[]>();
  for (const s of subs) byMember.set(s.memberId, [...(byMember.get(s.memberId) ?? []), s]);
  const kinds = new Map<SubscriptionRow, "new" | "reactivated" | "expansion">();
  for (const list of byMember.values()) {
    for (const s of list) {
      const start = payingFrom(s).getTime();
      const earlier = list.filter((o) => o !== s && (payingFrom(o).getTime() < start || (payingFrom(o).getTime() === start && o.id < s.id)));
      if (earlier.length === 0) kinds.set(s, "new");
      else if (earlier.every((o) => o.endedAt && o.endedAt.getTime() <= start)) kinds.set(s, "reactivated");
      else kinds.set(s, "expansion");
    }
  }
  return kinds;
}

/** Trials that ended, by the month they ended, and how many of them paid an invoice. */
export function trialsByMonth(subs: readonly SubscriptionRow[], paid: ReadonlySet<string>, now: Date): Map<string, { ended: number; converted: number }> {
  const months = new Map<string, { ended: number; converted: number }>();
  for (const s of subs) {
    if (!s.trialEndsAt || s.trialEndsAt <= s.startedAt || s.trialEndsAt > now) continue;
    const month = monthOf(s.trialEndsAt);
    const cell = months.get(month) ?? { ended: 0, converted: 0 };
    cell.ended++;
    if (paid.has(s.id)) cell.converted++;
    months.set(month, cell);
  }
  return months;
}
