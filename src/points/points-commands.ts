/** `/award`, `/points` and `/leaderboard`. */
import { defineCommand } from "../core/command.js";
import { option } from "../core/options.js";
import { reply, truncate } from "../core/reply.js";
import { badgeAnnouncement } from "./badges.js";
import { ago, memberLabel, name, points, signed } from "./format.js";
import { BOARD_PERIODS, type BoardPeriod } from "./leaderboard.js";
import { POINT_CATEGORIES, type PointCategory } from "./ledger.js";
import { inline } from "../core/member-text.js";
import { pointsSettingsSection } from "./settings-schema.js";
import { levelUpsAfter } from "./level-news.js";
import { type LevelProgress, levelProgress } from "./levels.js";

/** Categories a leaderboard can show: every way of earning (spending is not a contest). */
const BOARD_CATEGORIES = POINT_CATEGORIES.filter((c) => c !== "redemptions");
const PERIOD_NAME: Record<BoardPeriod, string> = { week: "this week", month: "this month", all: "all time" };
const MEDALS = ["🥇", "🥈", "🥉"];
const AWARD_MAX = 10_000;

export const awardCommand = defineCommand({
  name: "award",
  // Its ledger row is keyed by the interaction id (or it only reads): safe to run again after a crash.
  resumable: true,
  description: "Give a member points (a negative number takes points back)",
  permission: "creator",
  visibility: "public",
  options: {
    member: option.user({ description: "Who", required: true }),
    points: option.integer({ description: `How many points (-${AWARD_MAX} to ${AWARD_MAX}, not 0)`, required: true, min: -AWARD_MAX, max: AWARD_MAX }),
    reason: option.string({ description: "Why; the member sees it in /points", required: true, minLength: 3, maxLength: 200 }),
  },
  handler: async (ctx) => {
    const ref = ctx.options.member;
    const target = (await ctx.services.identity.memberFor(ctx.community.id, ctx.platform, { id: ref.id, displayName: ref.displayName })).member;
    const { entry, balance, badges } = await ctx.services.points.award({
      communityId: ctx.community.id,
      actor: { memberId: ctx.member.id, displayName: ctx.member.displayName },
      member: { memberId: target.id, displayName: ref.displayName, label: memberLabel(ref) },
      amount: ctx.options.points,
      reason: ctx.options.reason,
      now: ctx.now,
      interactionId: ctx.interactionId,
    });
    const why = inline(ctx.options.reason);
    // A correction can take a level back; an award can reach one.
    const levels = await levelUpsAfter(ctx.services, ctx.community, [target.id], ctx.log);
    if (entry.amount < 0) {
      // A correction is between the creator and the ledger, not news for the channel.
      return reply.ephemeral(`Took ${points(-entry.amount)} from ${memberLabel(ref)} (“${why}”). Their balance is now ${points(balance)}.`, { tone: "success" });
    }
    const announced = [badgeAnnouncement(badges), levels].filter(Boolean).map((line) => `\n${line}`).join("");
    return reply.public(`🎉 ${memberLabel(ref)} received **${points(entry.amount)}** from ${name(ctx.member.displayName)}: “${why}”${announced}`, { tone: "success" });
  },
});

export const pointsCommand = defineCommand({
  name: "points",
  // It only reads: safe to run again after a crash.
  resumable: true,
  description: "Your points (or a member's), badges and recent history",
  options: { member: option.user({ description: "Whose points (default: yours)" }) },
  handler: async (ctx) => {
    const ref = ctx.options.member;
    const whose = ref ? `${inline(ref.displayName)}'s` : "Your";
    const memberId = ref ? (await ctx.services.identity.findMember(ctx.community.id, ctx.platform, ref.id))?.id : ctx.member.id;
    // Someone never seen has no points; looking them up does not make them a member.
    if (!memberId) return reply.ephemeral(`**${points(0)}**\n\nNo points yet.`, { title: `${whose} points` });
    const { balance, rank: place, badges, history: entries, earned } = await ctx.services.points.profile(ctx.community.id, memberId);
    const rank = place ? ` · #${place} on the leaderboard` : "";
    const levels = (ctx.community.config?.points ?? pointsSettingsSection.defaults).levels;
    const level = levels.length > 0 ? `\n${levelLine(levelProgress(levels, earned), earned)}` : "";
    const lines = entries.map((e) => `\`${signed(e.amount)}\` ${e.category} · ${truncate(inline(e.reason), 90)} · ${ago(e.createdAt, ctx.now)}`);
    const history = lines.length > 0 ? `\n\n**Recent**\n${lines.join("\n")}` : `\n\n${ref ? "No points yet." : "No points yet: answer questions, review code and help others to earn some."}`;
    return reply.ephemeral(`**${points(balance)}**${rank}${level}${history}`, {
      title: `${whose} points`,
      ...(badges.length > 0 ? { fields: [{ name: "Badges", value: badges.map((b) => `${b.emoji} ${b.title}`).join(" · ") }] } : {}),
    });
  },
});

export const leaderboardCommand = defineCommand({
  name: "leaderboard",
  // It only reads: safe to run again after a crash.
  resumable: true,
  description: "The top 10 members by points, and your own place",
  options: {
    period: option.string({ description: "All time (the default), or this calendar week or month (UTC)", choices: BOARD_PERIODS.map((p) => ({ name: PERIOD_NAME[p], value: p })) }),
    category: option.string({ description: "Only points of one kind", choices: BOARD_CATEGORIES.map((c) => ({ name: c, value: c })) }),
  },
  handler: async (ctx) => {
    const period = (ctx.options.period ?? "all") as BoardPeriod;
    const category = ctx.options.category as PointCategory | undefined;
    const board = await ctx.services.points.leaderboard(ctx.community.id, { period, ...(category ? { category } : {}), viewerId: ctx.member.id, now: ctx.now });
    const title = `Leaderboard · ${PERIOD_NAME[period]}${category ? ` · ${category}` : ""}`;
    if (board.top.length === 0) return reply.ephemeral(`Nobody has ${category ? `${category} ` : ""}points ${period === "all" ? "yet" : PERIOD_NAME[period]}.`, { title });
    const lines = board.top.map((r) => `${MEDALS[r.rank - 1] ?? `${r.rank}.`} ${name(r.displayName)} · ${points(r.points)}${r.memberId === ctx.member.id ? " ← you" : ""}`);
    const you = board.viewer
      ? board.top.some((r) => r.memberId === ctx.member.id)
        ? undefined
        : `You are #${board.viewer.rank} with ${points(board.viewer.points)}.`
      : "You are not on this board yet.";
    return reply.ephemeral([...lines, ...(you ? ["", you] : [])].join("\n"), { title, ...(board.since ? { footer: `Since ${sinceText(period, board.since)}.` } : {}) });
  },
});

/** "Level **Helper** · 120 more points to **Mentor**" (lifetime points earned count, not the balance). */
function levelLine(progress: LevelProgress, earned: number): string {
  const now = progress.current ? `Level **${inline(progress.current.name)}**` : "No level yet";
  const next = progress.next ? `${points(progress.next.missing)} more to **${inline(progress.next.name)}**` : "the highest level";
  return `${now} · ${points(earned)} earned · ${next}`;
}

/** "Mon 7 Dec, 00:00 UTC" or "1 Dec, 00:00 UTC": when a week or month board began. */
function sinceText(period: BoardPeriod, since: Date): string {
  const options: Intl.DateTimeFormatOptions = { timeZone: "UTC", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  return new Intl.DateTimeFormat("en-GB", period === "week" ? { ...options, weekday: "short" } : options).format(since);
}
