import type { DashboardLookups } from "./lookups.js";
import { addDays, dayBeforeMonth, dayOf, monthOf } from "../periods.js";
import { HEADLINE_METRICS, headline, lastMonths, monthlySubscriptions, nextMonth, PERIODS, type Figure, type PeriodName, type RollupSelection, type Rollups } from "../report.js";
import type { PageSlug } from "./html.js";
import type { Table } from "./table.js";

export interface PageData {
  readonly figures: readonly Figure[];
  readonly tables: readonly Table[];
}

/** Minor units to a number in the currency's major unit (cents → dollars; yen stay yen). */
export function major(minor: number, currency: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(minor) / 10 ** digits;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const upper = (c: string) => c.toUpperCase();

/**
 * The rollup rows a page shows, where that is worth saying: the overview reads its headline's
 * days (both periods compared), 90 days of activity, and 24 months and month ends, not two
 * years of every metric. Other pages read every row of the community.
 */
export function pageSelection(page: PageSlug, now: Date, period: PeriodName): RollupSelection | undefined {
  if (page !== "") return undefined;
  const months = lastMonths(now, 24);
  const monthEnd = (m: string) => (m === monthOf(now) ? dayOf(now) : dayBeforeMonth(nextMonth(m)));
  return {
    metrics: [...HEADLINE_METRICS, "active.1"],
    // The headline compares the last N days with the N before, and reads paying subscriptions on the day before those.
    days: { from: dayOf(addDays(now, -Math.max(2 * PERIODS[period], 89))), to: dayOf(now) },
    periods: months.flatMap((m) => [`month:${m}`, `day:${monthEnd(m)}`]),
  };
}

/** Every table of a page, from rollups (and a few small lookups of names and titles). */
export async function pageData(page: PageSlug, ctx: { lookups: DashboardLookups; communityId: string; rollups: Rollups; now: Date; period: PeriodName }): Promise<PageData> {
  const { rollups: r, now } = ctx;
  const months24 = lastMonths(now, 24);
  const months12 = lastMonths(now, 12);
  const currencies = [...new Set([...r.keys("revenue.net"), ...r.keys("mrr")])].sort();
  const monthEnd = (m: string) => (m === monthOf(now) ? dayOf(now) : dayBeforeMonth(nextMonth(m)));
  switch (page) {
    case "": {
      const days = Array.from({ length: 90 }, (_, i) => dayOf(addDays(now, i - 89)));
      return {
        figures: headline(r, now, ctx.period),
        tables: [
          {
            id: "net-revenue", title: "Net revenue per month", chart: { kind: "bar", series: currencies.map((_, i) => i + 1) },
            columns: ["Month", ...currencies.map((c) => `Net (${upper(c)})`)],
            rows: months24.map((m) => [m, ...currencies.map((c) => major(r.get("revenue.net", `month:${m}`, c), c))]),
          },
          {
            id: "active-members", title: "Active members", note: "Distinct members who ran a command, pressed a button or posted in a tracked thread in the day, 7 days and 30 days to each date.",
            chart: { kind: "line", series: [1, 2, 3] }, columns: ["Date", "Daily", "Weekly", "Monthly"],
            rows: days.map((d) => [d, r.get("active.1", `day:${d}`), r.get("active.7", `day:${d}`), r.get("active.30", `day:${d}`)]),
          },
          {
            id: "mrr", title: "MRR and paying members at each month's end", chart: { kind: "line", series: currencies.map((_, i) => i + 1) },
            columns: ["Month", ...currencies.map((c) => `MRR (${upper(c)})`), "Paying members"],
            rows: months24.map((m) => [m, ...currencies.map((c) => major(r.get("mrr", `day:${monthEnd(m)}`, c), c)), r.get("paying.members", `day:${monthEnd(m)}`)]),
          },
        ],
      };
    }
    case "revenue": {
      const perCurrency: Table[] = currencies.map((c) => ({
        id: `revenue-${c}`, title: `Revenue per month (${upper(c)})`, chart: { kind: "bar", series: [1, 4] },
        columns: ["Month", "Gross", "Refunds", "Disputes", "Net"],
        rows: months24.map((m) => [m, ...["gross", "refunds", "disputes", "net"].map((k) => major(r.get(`revenue.${k}`, `month:${m}`, c), c))]),
      }));
      const items = await ctx.lookups.itemTitles(ctx.communityId);
      const itemRows: (string | number)[][] = [];
      for (const m of months12) {
        for (const key of r.keys("item.net")) {
          if (!r.has("item.gross", `month:${m}`, key)) continue;
          const [itemId, currency] = splitLast(key);
          itemRows.push([m, items.get(itemId) ?? itemId, upper(currency), ...["gross", "refunds", "disputes", "net"].map((k) => major(r.get(`item.${k}`, `month:${m}`, key), currency))]);
        }
      }
      const funnel: Table = {
        id: "checkout", title: "Checkout conversion by the month /buy was run", chart: { kind: "line", series: [1, 2, 4] },
        note: "Members who ran /buy for an item, who completed payment, and who still had paid access 30 days later (counted once 30 days have passed).",
        columns: ["Month", "Ran /buy", "Completed", "Completed 30+ days ago", "Still paying at 30 days"],
        rows: months12.map((m) => [m, ...["started", "completed", "retainedKnown", "retained"].map((k) => r.get(`checkout.${k}`, `month:${m}`))]),
      };
      const buyers = r.get("purchases.buyers", "now");
      const repeat = r.get("purchases.repeat", "now");
      return {
        figures: [
          { label: "Buyers", now: buyers, before: null, format: "count" },
          { label: "Repeat purchase rate", now: buyers ? repeat / buyers : null, before: null, format: "percent" },
        ],
        tables: [...perCurrency, { id: "by-item", title: "Revenue per catalog item (last 12 months)", columns: ["Month", "Item", "Currency", "Gross", "Refunds", "Disputes", "Net"], rows: itemRows }, funnel],
      };
    }
    case "members": {
      const subs = monthlySubscriptions(r, months24, now);
      const cohorts = months24.filter((m) => r.has("cohort.joined", `month:${m}`));
      return {
        figures: headline(r, now, ctx.period).filter((f) => ["Paying members", "New subscriptions", "Reactivated", "Churn rate", "Active members"].includes(f.label)),
        tables: [
          {
            id: "subscriptions", title: "Subscriptions per month", chart: { kind: "line", series: [1, 2, 3, 4] },
            note: "Churn rate = subscriptions that ended in the month ÷ paying subscriptions at its start. Trial conversion = trials that ended in the month and paid an invoice ÷ trials that ended.",
            columns: ["Month", "Paying members", "New", "Reactivated", "Churned", "Paying at start", "Churn rate %", "Trials ended", "Trial conversion %"],
            rows: subs.map((s) => [s.month, s.payingMembers, s.new, s.reactivated, s.churned, s.activeAtStart, pct(s.churnRate), s.trialsEnded, pct(s.trialConversion)]),
          },
          {
            id: "cohorts", title: "New members and 30-day retention by join month", chart: { kind: "bar", series: [1, 2] },
            note: "Retained: active again between 30 and 59 days after joining. A cohort younger than 60 days is still open.",
            columns: ["Join month", "Joined", "Retained", "Retention %", "Complete"],
            rows: cohorts.map((m) => {
              const joined = r.get("cohort.joined", `month:${m}`);
              const retained = r.get("cohort.retained30", `month:${m}`);
              return [m, joined, retained, joined ? pct(retained / joined) : null, r.get("cohort.complete", `month:${m}`) ? "yes" : "no"];
            }),
          },
        ],
      };
    }
    case "qa":
      return {
        figures: [{ label: "Open past the stale window", now: r.get("qa.stale", "now"), before: null, format: "count" }],
        tables: [{
          id: "questions", title: "Questions by the month asked", chart: { kind: "line", series: [1, 2] },
          columns: ["Month", "Asked", "Answered", "Answered %", "Median minutes to first reply", "Median minutes to accepted answer"],
          rows: months12.map((m) => {
            const asked = r.get("qa.asked", `month:${m}`);
            const answered = r.get("qa.answered", `month:${m}`);
            return [m, asked, answered, asked ? pct(answered / asked) : null, nullable(r, "qa.firstReplyMinutes", m), nullable(r, "qa.acceptedMinutes", m)];
          }),
        }],
      };
    case "reviews": {
      const names = await ctx.lookups.memberNames(ctx.communityId, r.keys("reviews.done"));
      const thisMonth = monthOf(now);
      const lastMonth = months12.at(-2)!;
      return {
        figures: [{ label: "Open backlog", now: r.get("reviews.backlog", "now"), before: null, format: "count" }],
        tables: [
          {
            id: "reviews", title: "Review requests by the month requested", chart: { kind: "line", series: [1] },
            columns: ["Month", "Requests", "Median minutes to claim", "Median minutes to done"],
            rows: months12.map((m) => [m, r.get("reviews.requested", `month:${m}`), nullable(r, "reviews.claimMinutes", m), nullable(r, "reviews.doneMinutes", m)]),
          },
          {
            id: "reviewers", title: "Reviews done per reviewer", columns: ["Reviewer", `Done in ${lastMonth}`, `Done in ${thisMonth}`],
            rows: r.keys("reviews.done").map((id) => [names.get(id) ?? id, r.get("reviews.done", `month:${lastMonth}`, id), r.get("reviews.done", `month:${thisMonth}`, id)])
              .filter((row) => Number(row[1]) + Number(row[2]) > 0).sort((a, b) => Number(b[2]) - Number(a[2]) || Number(b[1]) - Number(a[1])),
          },
        ],
      };
    }
    case "events": {
      const events = [...(await ctx.lookups.recentEvents(ctx.communityId, 50))];
      return {
        figures: [],
        tables: [{
          id: "events", title: "Live events", chart: { kind: "bar", series: [2, 3, 4] },
          columns: ["Event", "Title", "RSVPs", "Reminders delivered", "Refused (DMs closed)"],
          rows: events.reverse().map((e) => [`#${e.number} ${dayOf(e.startsAt)}`, e.title, r.get("events.rsvps", "event", e.id), r.get("events.delivered", "event", e.id), r.get("events.refused", "event", e.id)]),
        }],
      };
    }
    case "points": {
      const weeks = Array.from({ length: 26 }, (_, i) => dayOf(mondayOf(addDays(now, -7 * (25 - i)))));
      const top = await ctx.lookups.topHelpers(ctx.communityId, now);
      return {
        figures: [],
        tables: [
          { id: "kudos", title: "Kudos given per week", chart: { kind: "bar", series: [1] }, columns: ["Week of", "Kudos"], rows: weeks.map((w) => [w, r.get("points.kudos", `week:${w}`)]) },
          { id: "top-helpers", title: `Top helpers in ${monthOf(now)}`, columns: ["Member", "Points"], rows: top.map((t) => [t.name, t.total]) },
        ],
      };
    }
  }
}

function nullable(r: Rollups, metric: string, month: string): number | null {
  return r.has(metric, `month:${month}`) ? round1(r.get(metric, `month:${month}`)) : null;
}

function splitLast(key: string): [string, string] {
  const i = key.lastIndexOf(":");
  return [key.slice(0, i), key.slice(i + 1)];
}

function mondayOf(date: Date): Date {
  const d = new Date(`${dayOf(date)}T00:00:00Z`);
  return addDays(d, -((d.getUTCDay() + 6) % 7));
}
