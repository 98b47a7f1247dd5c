import type { CommunityConfig } from "../config/communities.js";
import type { CountSource } from "../core/counts.js";
import type { Db } from "../db/database.js";
import { activeMembers, joinCohorts } from "./metrics/activity.js";
import { byDay, byMonth, byMonthAndItem, loadMoney, net, revenueBy } from "./metrics/money.js";
import { loadSubscriptions, paidSubscriptionIds, subscriptionDays, trialsByMonth } from "./metrics/subscriptions.js";
import { addDays, dayOf, startOfDay } from "./periods.js";

export interface RollupRow {
  metric: string;
  period: string;
  key: string;
  value: number;
}

/** Windows (in days) for which distinct active members are kept for every day. */
export const ACTIVE_WINDOWS = [1, 7, 30, 90, 365] as const;

/** What a rebuild needs besides insights' own rows: the other capabilities' counts. */
export interface RollupSources {
  /** Every capability's counts of its own records (core/counts.ts). */
  readonly counts: CountSource;
  readonly community: CommunityConfig | undefined;
}

/**
 * Recomputes every figure of one community from the recorded rows and replaces its rollups
 * in one transaction, so readers see the old set or the new one, never half. It reads the raw
 * rows once per rebuild; pages and /stats read only the rollups.
 */
export async function rebuildRollups(db: Db, communityId: string, now: Date, sources: RollupSources): Promise<number> {
  const rows = await computeRollups(db, communityId, now, sources);
  await db.$transaction(async (tx) => {
    await tx.insightRollup.deleteMany({ where: { communityId } });
    for (let i = 0; i < rows.length; i += 5000) {
      await tx.insightRollup.createMany({ data: rows.slice(i, i + 5000).map((r) => ({ communityId, ...r })) });
    }
    await tx.insightRollupState.upsert({ where: { communityId }, create: { communityId, builtAt: now }, update: { builtAt: now } });
  }, { timeout: 120_000 });
  return rows.length;
}

export async function computeRollups(db: Db, communityId: string, now: Date, sources: RollupSources): Promise<RollupRow[]> {
  const out: RollupRow[] = [];
  const put = (metric: string, period: string, key: string, value: number) => out.push({ metric, period, key, value });
  const [money, subs, paid] = await Promise.all([loadMoney(db, communityId), loadSubscriptions(db, communityId), paidSubscriptionIds(db, communityId)]);
  const from = await firstDay(db, communityId, now);

  const revenue = (cells: ReturnType<typeof revenueBy>, prefix: "day" | "month", itemised = false) => {
    for (const [bucket, cell] of cells) {
      const parts = bucket.split("|");
      const currency = parts.at(-1)!;
      const key = itemised ? `${parts[1]}:${currency}` : currency;
      put(itemised ? "item.gross" : "revenue.gross", `${prefix}:${parts[0]}`, key, cell.gross);
      put(itemised ? "item.refunds" : "revenue.refunds", `${prefix}:${parts[0]}`, key, cell.refunds);
      put(itemised ? "item.disputes" : "revenue.disputes", `${prefix}:${parts[0]}`, key, cell.disputes);
      put(itemised ? "item.net" : "revenue.net", `${prefix}:${parts[0]}`, key, net(cell));
    }
  };
  revenue(revenueBy(money, byDay), "day");
  revenue(revenueBy(money, byMonth), "month");
  revenue(revenueBy(money, byMonthAndItem), "month", true);

  for (const [day, s] of subscriptionDays(subs, from, now)) {
    for (const [currency, mrr] of s.mrr) put("mrr", `day:${day}`, currency, mrr);
    put("paying.members", `day:${day}`, "", s.members);
    put("paying.subscriptions", `day:${day}`, "", s.subscriptions);
    if (s.started) put("subs.new", `day:${day}`, "", s.started);
    if (s.reactivated) put("subs.reactivated", `day:${day}`, "", s.reactivated);
    if (s.churned) put("subs.churned", `day:${day}`, "", s.churned);
  }
  for (const [month, t] of trialsByMonth(subs, paid, now)) {
    put("trials.ended", `month:${month}`, "", t.ended);
    put("trials.converted", `month:${month}`, "", t.converted);
  }

  for (const window of ACTIVE_WINDOWS) {
    for (const [day, count] of await activeMembers(db, communityId, window, from, now)) put(`active.${window}`, `day:${day}`, "", count);
  }
  for (const c of await joinCohorts(db, communityId, now)) {
    put("cohort.joined", `month:${c.month}`, "", c.joined);
    put("cohort.retained30", `month:${c.month}`, "", c.retained);
    put("cohort.complete", `month:${c.month}`, "", c.complete ? 1 : 0);
  }
  out.push(...(await sources.counts(db, { communityId, now, community: sources.community })));
  return out;
}

/** The first day anything was recorded (at most three years back), so daily series start there. */
async function firstDay(db: Db, communityId: string, now: Date): Promise<Date> {
  const [row] = await db.$queryRaw<{ first: Date | null }[]>`
    SELECT LEAST(
      (SELECT MIN("occurredAt") FROM "InsightMoney" WHERE "communityId" = ${communityId}),
      (SELECT MIN("startedAt") FROM "InsightSubscription" WHERE "communityId" = ${communityId}),
      (SELECT MIN("day")::timestamp FROM "InsightActivity" WHERE "communityId" = ${communityId})
    ) AS "first"`;
  const earliest = addDays(startOfDay(now), -3 * 365);
  const first = row?.first ? startOfDay(row.first) : addDays(startOfDay(now), -30);
  return new Date(dayOf(first > earliest ? first : earliest));
}
