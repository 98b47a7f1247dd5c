/** `/reviewer join|away|back|leave|list`: who reviews code, in which languages, and when. */
import { defineCommand, defineGroup } from "../core/command.js";
import { option } from "../core/options.js";
import { reply } from "../core/reply.js";
import { isAvailable } from "./assignment.js";
import type { Reassignment } from "./queue.js";
import { reviewSettings } from "./review-deps.js";
import { ref } from "./review-text.js";
import { formatDate, formatDateTime } from "../core/zoned-time.js";
import { quoted } from "../core/member-text.js";

/** " Review #1 waited for a reviewer and is now yours." with "is" or "are" as many as there are. */
const moved = (changes: readonly Reassignment[], what: (verb: "is" | "are") => string) =>
  changes.length === 0 ? "" : ` ${changes.length === 1 ? "Review" : "Reviews"} ${changes.map((c) => ref(c.request)).join(", ")} ${what(changes.length === 1 ? "is" : "are")}.`;

const join = defineCommand({
  name: "join",
  description: "Review code for the community, in the languages you list",
  options: { languages: option.string({ description: "Languages you review, e.g. typescript, rust, python", required: true, maxLength: 200 }) },
  handler: async (ctx) => {
    const { reviewer, rejoined, moved: assigned } = await ctx.services.reviews.join(ctx, ctx.options.languages);
    const langs = reviewer.languages.map((l) => `\`${l}\``).join(", ");
    const mine = assigned.filter((c) => c.to === ctx.member.id);
    return reply.ephemeral(`${rejoined ? "Updated: you review" : "Welcome, reviewer! You review"} ${langs}.${moved(mine, (is) => `waited for a reviewer and ${is} now yours`)} Requests come to you in their threads; \`/reviewer away\` pauses them.`, { tone: "success" });
  },
});

const away = defineCommand({
  name: "away",
  description: "Pause new reviews until a date or for a while",
  options: { until: option.string({ description: "A date like 2026-12-24, or a duration like 3d, 12h or 2w", required: true, maxLength: 30 }) },
  handler: async (ctx) => {
    const { reviewer, moved: handed } = await ctx.services.reviews.away(ctx, ctx.options.until);
    const zone = reviewSettings(ctx.community.config).timezone;
    return reply.ephemeral(`You get no new reviews until ${formatDateTime(reviewer.awayUntil!, zone)}; \`/reviewer back\` ends that sooner.${moved(handed, () => "you had not started went to other reviewers")}`, { tone: "info" });
  },
});

const back = defineCommand({
  name: "back",
  description: "Take new reviews again",
  handler: async (ctx) => {
    const { wasAway, moved: assigned } = await ctx.services.reviews.back(ctx);
    const mine = assigned.filter((c) => c.to === ctx.member.id);
    return reply.ephemeral(`${wasAway ? "Welcome back!" : "You were not away."} You take new reviews.${moved(mine, (is) => `waited for a reviewer and ${is} now yours`)}`, { tone: "success" });
  },
});

const leave = defineCommand({
  name: "leave",
  description: "Stop reviewing; your open reviews go to other reviewers",
  handler: async (ctx) => {
    const { moved: handed } = await ctx.services.reviews.leave(ctx);
    return reply.ephemeral(`You are no longer a reviewer. Thank you for your reviews!${moved(handed, () => "went to other reviewers")} \`/reviewer join\` brings you back.`, { tone: "info" });
  },
});

const list = defineCommand({
  name: "list",
  description: "Who reviews code, in which languages",
  handler: async (ctx) => {
    const entries = await ctx.services.reviews.roster(ctx.community.id);
    if (entries.length === 0) return reply.ephemeral("Nobody reviews code yet. Be the first: `/reviewer join <languages>`.");
    const zone = reviewSettings(ctx.community.config).timezone;
    const rated = await ctx.services.ratings.reviewerAverages(ctx.community.id, entries.map((e) => e.memberId));
    const lines = entries.map((e) => {
      const state = isAvailable({ awayUntil: e.awayUntil, leftAt: null }, ctx.now) ? `${e.openReviews} open` : `away until ${formatDate(e.awayUntil!, zone)}`;
      const r = rated.get(e.memberId);
      const stars = r ? ` · ★ ${r.average.toFixed(1)} (${r.count} rating${r.count === 1 ? "" : "s"})` : "";
      return `**${quoted(e.displayName)}**: ${e.languages.map((l) => `\`${l}\``).join(", ")} · ${state}${stars}`;
    });
    return reply.ephemeral(lines.join("\n"), { title: `Reviewers (${entries.length})` });
  },
});

/** The `/reviewer` command. */
export const reviewerCommand = defineGroup({
  name: "reviewer",
  description: "Review code for the community: join, away, back, leave, list",
  subcommands: [join, away, back, leave, list],
});
