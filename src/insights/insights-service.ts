import type { CommunityConfig } from "../config/communities.js";
import type { CountSource } from "../core/counts.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { Post } from "../core/chat.js";
import { chartPng, type ChartSeries } from "./chart.js";
import { creatorSummaryPost, SUMMARY_METRICS, weeklyFigures } from "./creator-summary.js";
import { addDays, dayBeforeMonth, dayOf, monthOf, startOfDay } from "./periods.js";
import { HEADLINE_METRICS, headline, lastMonths, loadRollups, nextMonth, PERIODS, type Figure, type PeriodName, type RollupSelection, type Rollups } from "./report.js";
import { rebuildRollups } from "./rollups.js";

/** Where the dashboard is served, and how to make sure it is (the server may start on first use). */
export interface DashboardHost {
  readonly publicUrl: string;
  ensureListening(): Promise<void>;
}

export interface InsightsDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly communities: readonly CommunityConfig[];
  readonly log: Logger;
  readonly dashboard?: DashboardHost;
  /** The other capabilities' counts of their own records. */
  readonly counts: CountSource;
}

const STALE_AFTER_MS = 15 * 60_000;

/**
 * Creator insights: rollups rebuilt from recorded rows (by a job, or on first use), headline
 * figures and the chart for /stats, and what the dashboard's pages read.
 */
export class InsightsService {
  readonly #building = new Map<string, Promise<void>>();

  constructor(readonly deps: InsightsDeps) {}

  get dashboard(): DashboardHost | undefined {
    return this.deps.dashboard;
  }

  /** Rebuilds one community's rollups now (one at a time per community within a process). */
  async rebuild(communityId: string, slug?: string): Promise<void> {
    const running = this.#building.get(communityId);
    if (running) return running;
    const config = this.deps.communities.find((c) => c.slug === slug);
    const work = rebuildRollups(this.deps.db, communityId, this.deps.clock.now(), { counts: this.deps.counts, community: config })
      .then(() => undefined)
      .finally(() => this.#building.delete(communityId));
    this.#building.set(communityId, work);
    return work;
  }

  /** Every community's rollups, for the job. */
  async rebuildAll(): Promise<number> {
    const communities = await this.deps.db.community.findMany({ select: { id: true, slug: true } });
    for (const c of communities) await this.rebuild(c.id, c.slug);
    return communities.length;
  }

  /**
   * The rollups to read. The job rebuilds them every 10 minutes while a platform is
   * connected; they are rebuilt here only when missing or older than 15 minutes (the
   * playground runs no jobs, or the job is behind).
   */
  async rollups(communityId: string, slug: string, select?: RollupSelection, opts: { builtAfter?: Date } = {}): Promise<Rollups> {
    // Read first: fresh rollups (the usual case) cost one round trip.
    const found = await loadRollups(this.deps.db, communityId, select);
    const builtAt = found.builtAt;
    const stale = !builtAt || this.deps.clock.now().getTime() - builtAt.getTime() > STALE_AFTER_MS || (opts.builtAfter !== undefined && builtAt < opts.builtAfter);
    if (!stale) return found;
    await this.rebuild(communityId, slug);
    return loadRollups(this.deps.db, communityId, select);
  }

  /**
   * The weekly creator-only summary posted at `at`: the 7 UTC days before `at`'s day against
   * the 7 before them, from rollups built after that week ended (rebuilt now if they are older).
   */
  async weeklySummary(community: { id: string; slug: string; name: string }, at: Date): Promise<Post> {
    const weekEnd = startOfDay(at);
    const r = await this.rollups(community.id, community.slug, { metrics: SUMMARY_METRICS, days: { from: dayOf(addDays(weekEnd, -14)), to: dayOf(addDays(weekEnd, -1)) } }, { builtAfter: weekEnd });
    const lastDay = addDays(weekEnd, -1);
    return creatorSummaryPost(community, lastDay, weeklyFigures(r, lastDay), r.builtAt);
  }

  /** Headline figures of the period and the 12-month chart, for /stats. */
  async stats(community: { id: string; slug: string; name: string }, period: PeriodName, now: Date): Promise<{ figures: Figure[]; png: Uint8Array; builtAt: Date | null; currency: string | undefined }> {
    const r = await this.rollups(community.id, community.slug, statsSelection(now, period));
    const figures = headline(r, now, period);
    const series = twelveMonths(r, now, `${community.name}: the last 12 months`);
    return { figures, png: chartPng(series), builtAt: r.builtAt, currency: series.currency };
  }
}

/** What /stats shows: the headline's days (both periods compared) and the chart's 12 months and month ends. */
export function statsSelection(now: Date, period: PeriodName): RollupSelection {
  const monthEnd = (m: string) => (m === monthOf(now) ? dayOf(now) : dayBeforeMonth(nextMonth(m)));
  return {
    metrics: HEADLINE_METRICS,
    days: { from: dayOf(addDays(now, -2 * PERIODS[period])), to: dayOf(now) },
    periods: lastMonths(now, 12).flatMap((m) => [`month:${m}`, `day:${monthEnd(m)}`]),
  };
}

/** The currency with the most net revenue in the months shown: the chart shows one (currencies are never summed). */
export function mainCurrency(r: Rollups, months: readonly string[]): string | undefined {
  const total = (c: string) => months.reduce((t, m) => t + r.get("revenue.net", `month:${m}`, c), 0);
  return r.keys("revenue.net").map((c) => ({ c, total: total(c) })).sort((a, b) => b.total - a.total || a.c.localeCompare(b.c))[0]?.c;
}

/** Net revenue per month and active members in the 30 days to each month's end (today for this month). */
export function twelveMonths(r: Rollups, now: Date, title: string): ChartSeries & { currency: string | undefined } {
  const months = lastMonths(now, 12);
  const currency = mainCurrency(r, months);
  const monthEnd = (m: string) => (m === monthOf(now) ? dayOf(now) : dayBeforeMonth(nextMonth(m)));
  return {
    title,
    currency,
    labels: months,
    bars: { name: currency ? `Net revenue (${currency.toUpperCase()})` : "Net revenue", values: months.map((m) => (currency ? r.get("revenue.net", `month:${m}`, currency) / 100 : 0)) },
    line: { name: "Active members (30 days)", values: months.map((m) => r.get("active.30", `day:${monthEnd(m)}`)) },
  };
}
