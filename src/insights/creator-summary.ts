/**
 * The weekly creator-only summary the digest posts to the admin log channels: headline
 * figures of the 7 UTC days before the day it is posted, each against the 7 days before.
 */
import type { Post } from "../core/chat.js";
import { quoted } from "../core/member-text.js";
import { describeFigure } from "./describe.js";
import { addDays, dayOf } from "./periods.js";
import { type Figure, ratio, type Rollups } from "./report.js";

/** The rollups the summary reads: nothing else is loaded for it. */
export const SUMMARY_METRICS = ["revenue.net", "paying.members", "subs.new", "subs.churned", "active.1", "active.7", "qa.asked", "qa.answered", "reviews.completed"];

const WEEK = 7;

/**
 * The week ending with `lastDay` (a UTC day) against the week before: net revenue per
 * currency (currencies with money in neither week left out), active paying members at the
 * week's end, new and churned subscriptions, daily active members on average and weekly
 * active members at the week's end, questions asked and the share of them answered, reviews done.
 */
export function weeklyFigures(r: Rollups, lastDay: Date): Figure[] {
  const before = addDays(lastDay, -WEEK);
  const sum = (metric: string, end: Date, key = "") => r.sumDays(metric, end, WEEK, key);
  const at = (metric: string, day: Date) => r.get(metric, `day:${dayOf(day)}`);
  const figures: Figure[] = [];
  for (const c of r.keys("revenue.net")) {
    const now = sum("revenue.net", lastDay, c);
    const then = sum("revenue.net", before, c);
    if (now !== 0 || then !== 0) figures.push({ label: `Net revenue (${c.toUpperCase()})`, now, before: then, format: "money", currency: c });
  }
  if (figures.length === 0) figures.push({ label: "Net revenue", now: 0, before: 0, format: "count" });
  const share = (end: Date) => ratio(sum("qa.answered", end), sum("qa.asked", end));
  figures.push(
    { label: "Active paying members", now: at("paying.members", lastDay), before: at("paying.members", before), format: "count" },
    { label: "New subscriptions", now: sum("subs.new", lastDay), before: sum("subs.new", before), format: "count" },
    { label: "Churned subscriptions", now: sum("subs.churned", lastDay), before: sum("subs.churned", before), format: "count" },
    { label: "Daily active members (average)", now: sum("active.1", lastDay) / WEEK, before: sum("active.1", before) / WEEK, format: "average" },
    { label: "Weekly active members", now: at("active.7", lastDay), before: at("active.7", before), format: "count" },
    { label: "Questions asked", now: sum("qa.asked", lastDay), before: sum("qa.asked", before), format: "count" },
    { label: "Of them answered", now: share(lastDay), before: share(before), format: "percent" },
    { label: "Reviews done", now: sum("reviews.completed", lastDay), before: sum("reviews.completed", before), format: "count" },
  );
  return figures;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
/** "Mon 30 Nov" (a UTC day). */
const dayLabel = (day: Date) => dayFormat.formatToParts(day).filter((p) => p.type !== "literal").map((p) => p.value).join(" ");

/** The summary as one message: a line per figure, the week it covers, when the figures were computed. */
export function creatorSummaryPost(community: { readonly name: string }, lastDay: Date, figures: readonly Figure[], builtAt: Date | null): Post {
  const first = addDays(lastDay, 1 - WEEK);
  const lines = [
    `_For creators and admins: ${dayLabel(first)} to ${dayLabel(lastDay)} ${lastDay.getUTCFullYear()} (UTC days), against the 7 days before._`,
    ...figures.map((f) => `• **${f.label}**: ${describeFigure(f)}`),
    `More on the dashboard: \`/dashboard\`.${builtAt ? ` Figures as of ${builtAt.toISOString().slice(0, 16).replace("T", " ")} UTC.` : ""}`,
  ];
  return { title: `📈 Weekly creator summary: ${quoted(community.name)}`, text: lines.join("\n") };
}
