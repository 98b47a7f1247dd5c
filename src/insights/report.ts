import type { Db } from "../db/database.js";
import { addDays, dayBeforeMonth, dayOf, monthOf } from "./periods.js";

/** The periods /stats and the dashboard compare: the last N days against the N before. */
export const PERIODS = { week: 7, month: 30, quarter: 90, year: 365 } as const;
export type PeriodName = keyof typeof PERIODS;

/** One community's rollups, indexed for reading: `get("mrr", "day:2026-12-06", "usd")`. */
export class Rollups {
  readonly #values = new Map<string, number>();
  readonly #keys = new Map<string, Set<string>>();

  constructor(rows: readonly { metric: string; period: string; key: string; value: number }[], readonly builtAt: Date | null) {
    for (const r of rows) {
      this.#values.set(`${r.metric}|${r.period}|${r.key}`, r.value);
      const keys = this.#keys.get(r.metric) ?? new Set();
      keys.add(r.key);
      this.#keys.set(r.metric, keys);
    }
  }

  get(metric: string, period: string, key = ""): number {
    return this.#values.get(`${metric}|${period}|${key}`) ?? 0;
  }

  has(metric: string, period: string, key = ""): boolean {
    return this.#values.has(`${metric}|${period}|${key}`);
  }

  /** Every key a metric has (the currencies of revenue, the items of item revenue). */
  keys(metric: string): string[] {
    return [...(this.#keys.get(metric) ?? [])].sort();
  }

  /** The sum of a daily metric over the `days` days ending with `lastDay`. */
  sumDays(metric: string, lastDay: Date, days: number, key = ""): number {
    let total = 0;
    for (let i = 0; i < days; i++) total += this.get(metric, `day:${dayOf(addDays(lastDay, -i))}`, key);
    return total;
  }
}

/**
 * Which rollup rows a reader needs: some metrics and, when `days` or `periods` is given, only
 * those periods of them (a page that shows 90 days reads 90 days, not two years).
 */
export interface RollupSelection {
  readonly metrics: readonly string[];
  /** Day rows from `from` to `to` ("YYYY-MM-DD"), both included. */
  readonly days?: { readonly from: string; readonly to: string };
  /** Further periods by name: "day:2026-11-30", "month:2026-11", "now". */
  readonly periods?: readonly string[];
}

/** Metrics that /stats' figures and the overview's headline read. */
export const HEADLINE_METRICS = ["revenue.net", "mrr", "paying.members", "paying.subscriptions", "subs.new", "subs.reactivated", "subs.churned", "active.7", "active.30", "active.90", "active.365"];

/** The rollup rows selected (every row of the community without a selection), and when they were built. */
export async function loadRollups(db: Db, communityId: string, select?: RollupSelection): Promise<Rollups> {
  const periods = select?.days || select?.periods
    ? [
        ...(select.days ? [{ period: { gte: `day:${select.days.from}`, lte: `day:${select.days.to}` } }] : []),
        ...(select.periods ? [{ period: { in: [...select.periods] } }] : []),
      ]
    : undefined;
  const where = { communityId, ...(select ? { metric: { in: [...select.metrics] } } : {}), ...(periods ? { OR: periods } : {}) };
  const [rows, state] = await Promise.all([
    db.insightRollup.findMany({ where, select: { metric: true, period: true, key: true, value: true } }),
    db.insightRollupState.findUnique({ where: { communityId } }),
  ]);
  return new Rollups(rows, state?.builtAt ?? null);
}

/** A figure now and at the end of the previous period; `null` where it is not defined (no denominator). */
export interface Figure {
  readonly label: string;
  readonly now: number | null;
  readonly before: number | null;
  /** "average": a mean of counts, shown with one decimal (daily active members over a week). */
  readonly format: "money" | "count" | "percent" | "average";
  readonly currency?: string;
}

/**
 * The headline figures of the period ending with `today` (the last N days) against the N days
 * before: net revenue per currency, MRR per currency and paying members at the period's end,
 * new and reactivated subscriptions, churn rate (subscriptions that ended ÷ paying at the
 * period's start) and distinct active members in the period.
 */
export function headline(r: Rollups, today: Date, period: PeriodName): Figure[] {
  const days = PERIODS[period];
  const prevEnd = addDays(today, -days);
  const prevStart = addDays(today, -2 * days);
  const end = (d: Date) => `day:${dayOf(d)}`;
  const figures: Figure[] = [];
  const currencies = [...new Set([...r.keys("revenue.net"), ...r.keys("mrr")])].sort();
  for (const c of currencies) {
    figures.push({ label: `Net revenue (${c.toUpperCase()})`, now: r.sumDays("revenue.net", today, days, c), before: r.sumDays("revenue.net", prevEnd, days, c), format: "money", currency: c });
  }
  for (const c of currencies) {
    figures.push({ label: `MRR (${c.toUpperCase()})`, now: r.get("mrr", end(today), c), before: r.get("mrr", end(prevEnd), c), format: "money", currency: c });
  }
  figures.push({ label: "Paying members", now: r.get("paying.members", end(today)), before: r.get("paying.members", end(prevEnd)), format: "count" });
  figures.push({ label: "New subscriptions", now: r.sumDays("subs.new", today, days), before: r.sumDays("subs.new", prevEnd, days), format: "count" });
  figures.push({ label: "Reactivated", now: r.sumDays("subs.reactivated", today, days), before: r.sumDays("subs.reactivated", prevEnd, days), format: "count" });
  figures.push({
    label: "Churn rate",
    now: ratio(r.sumDays("subs.churned", today, days), r.get("paying.subscriptions", end(prevEnd))),
    before: ratio(r.sumDays("subs.churned", prevEnd, days), r.get("paying.subscriptions", end(prevStart))),
    format: "percent",
  });
  figures.push({ label: "Active members", now: r.get(`active.${days}`, end(today)), before: r.get(`active.${days}`, end(prevEnd)), format: "count" });
  return figures;
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The calendar months from `months - 1` months ago to this one, oldest first. */
export function lastMonths(today: Date, months: number): string[] {
  const out: string[] = [];
  let m = monthOf(today);
  for (let i = 0; i < months; i++) {
    out.unshift(m);
    const [y, mm] = m.split("-").map(Number) as [number, number];
    m = mm === 1 ? `${y - 1}-12` : `${y}-${String(mm - 1).padStart(2, "0")}`;
  }
  return out;
}

/** Subscriptions per calendar month: MRR at its end, churn rate against paying at its start. */
export function monthlySubscriptions(r: Rollups, months: readonly string[], today: Date) {
  return months.map((month) => {
    const last = month === monthOf(today) ? dayOf(today) : dayBeforeMonth(nextMonth(month));
    const startDay = `day:${dayBeforeMonth(month)}`;
    const sum = (metric: string) => daysOfMonth(month, today).reduce((t, d) => t + r.get(metric, `day:${d}`), 0);
    const churned = sum("subs.churned");
    return {
      month,
      mrr: Object.fromEntries(r.keys("mrr").map((c) => [c, r.get("mrr", `day:${last}`, c)])),
      payingMembers: r.get("paying.members", `day:${last}`),
      activeAtStart: r.get("paying.subscriptions", startDay),
      new: sum("subs.new"),
      reactivated: sum("subs.reactivated"),
      churned,
      churnRate: ratio(churned, r.get("paying.subscriptions", startDay)),
      trialsEnded: r.get("trials.ended", `month:${month}`),
      trialConversion: ratio(r.get("trials.converted", `month:${month}`), r.get("trials.ended", `month:${month}`)),
    };
  });
}

export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

function daysOfMonth(month: string, today: Date): string[] {
  const days: string[] = [];
  for (let d = new Date(`${month}-01T00:00:00Z`); monthOf(d) === month && d <= today; d = addDays(d, 1)) days.push(dayOf(d));
  return days;
}
