/**
 * `/review request|pass|done|rate|withdraw|cancel|status|copied`. Discord forbids a command with both a
 * handler and subcommands, so asking for a review is `/review request`. Inside a review's
 * Discord thread the request is found from the thread; Slack commands cannot run in threads,
 * so there `request:<number>` names it (or the member's only matching one is used).
 */
import { defineCommand, defineGroup } from "../core/command.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { isKnownLanguage, MAX_LANGUAGE_LENGTH } from "./languages.js";
import { MAX_LINK_LENGTH } from "./links.js";
import { describeQuota } from "./quota.js";
import { reviewSettings } from "./review-deps.js";
import { linkTo, MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH, ratings, ref, REVIEW_POINTS, statusWords } from "./review-text.js";
import { quoted } from "../core/member-text.js";

const requestOption = option.integer({ description: "The review's number, e.g. 12 (not needed inside its thread on Discord)", min: 1 });
const rating = (what: string) => option.integer({ description: `${what}, from 1 (poor) to 5 (excellent)`, required: true, min: 1, max: 5 });

const request = defineCommand({
  name: "request",
  description: "Ask for a code review of a link on GitHub, GitLab, Bitbucket or a gist",
  options: {
    link: option.string({ description: "https link to the code: a pull request, branch, file or gist", required: true, maxLength: MAX_LINK_LENGTH, typed: typedAs.pattern(/^\S+:\/\/\S+$/) }),
    language: option.string({ description: "Its main language, e.g. typescript (picks a reviewer who knows it)", maxLength: MAX_LANGUAGE_LENGTH, autocomplete: true, typed: typedAs.phrase(1, isKnownLanguage) }),
    notes: option.string({ description: "What you would like the reviewer to look at", maxLength: MAX_NOTES_LENGTH }),
  },
  autocomplete: async (ctx, _option, typed) => {
    const known = await ctx.services.reviews.languages(ctx.community.id);
    const t = typed.trim().toLowerCase();
    return known.filter((l) => l.includes(t)).slice(0, 25).map((l) => ({ name: l, value: l }));
  },
  handler: async (ctx) => {
    const opened = await ctx.services.reviews.request(ctx, { link: ctx.options.link, language: ctx.options.language, notes: ctx.options.notes });
    const r = opened.request;
    const zone = reviewSettings(ctx.community.config).timezone;
    const names = await ctx.services.reviews.names(r.assigneeId ? [r.assigneeId] : []);
    const who = r.assigneeId
      ? `**${quoted(names.get(r.assigneeId) ?? "A reviewer")}** will review it${opened.languageMatched ? "" : ` (nobody available lists \`${r.language}\`, so they were picked from everyone)`}.`
      : "No reviewer is available right now; it goes to the first one who joins or comes back.";
    const lines = [
      `Review ${ref(r)} is open${opened.thread ? " in its thread" : ""}. ${who}`,
      r.priority ? "It used your **priority review**: it is first in line and does not count against your monthly quota." : "",
      `You have ${describeQuota(opened.quota, zone)}.`,
    ];
    return reply.ephemeral(lines.filter(Boolean).join("\n"), { tone: "success", ...(opened.thread?.url ? { links: [{ label: `Open review ${ref(r)}`, url: opened.thread.url }] } : {}) });
  },
});

const pass = defineCommand({
  name: "pass",
  description: "Hand a review assigned to you to the next reviewer",
  options: { request: requestOption },
  handler: async (ctx) => {
    const change = await ctx.services.reviews.pass(ctx, ctx.options.request);
    const names = await ctx.services.reviews.names(change.to ? [change.to] : []);
    const next = change.to ? `it goes to **${quoted(names.get(change.to) ?? "another reviewer")}**` : "nobody else is available, so it waits for the next reviewer";
    return reply.ephemeral(`You passed on ${ref(change.request)}; ${next}. You will not be asked about it again.`, { tone: "info" });
  },
});

const done = defineCommand({
  name: "done",
  description: "Finish a review with ratings and a summary (earns points)",
  options: {
    practicality: rating("How practical and actionable your advice is"),
    coverage: rating("How much of the code you covered"),
    clarity: rating("How clear your feedback is"),
    summary: option.string({ description: "Your review in short: what is good, what to change", required: true, minLength: 10, maxLength: MAX_SUMMARY_LENGTH }),
    request: requestOption,
  },
  handler: async (ctx) => {
    const o = ctx.options;
    const { request: r, balance, held } = await ctx.services.reviews.done(ctx, o.request, { practicality: o.practicality, coverage: o.coverage, clarity: o.clarity, summary: o.summary });
    if (held) {
      return reply.ephemeral(
        `Thank you! ${ref(r)} is done (${ratings(r)}). ⏸️ Its ${REVIEW_POINTS} points are held: your summary matches ${Math.round(held.share * 100)}% of an earlier ${held.label.startsWith("review") ? "review summary" : "answer"} by another member. A creator will release or reverse them.`,
        { tone: "warning" },
      );
    }
    return reply.ephemeral(`Thank you! ${ref(r)} is done (${ratings(r)}). You earned ${REVIEW_POINTS} points; you now have ${balance.toLocaleString("en-US")}.`, { tone: "success" });
  },
});

const rate = defineCommand({
  name: "rate",
  description: "Rate a review you received, from 1 to 5 stars",
  options: {
    request: option.integer({ description: "The review's number, e.g. 12", required: true, min: 1 }),
    stars: option.integer({ description: "From 1 (not helpful) to 5 (very helpful)", required: true, min: 1, max: 5 }),
  },
  handler: async (ctx) => {
    const { request: r, changed } = await ctx.services.reviews.rate(ctx, { number: ctx.options.request }, ctx.options.stars);
    return reply.ephemeral(`${changed ? "Changed your rating of" : "You rated"} review ${ref(r)} ${"★".repeat(ctx.options.stars)} (${ctx.options.stars}/5). Thank you!`, { tone: "success" });
  },
});

const withdraw = defineCommand({
  name: "withdraw",
  description: "Retract a review you finished; its points are taken back",
  options: { request: requestOption },
  handler: async (ctx) => {
    const { request: r, reversed } = await ctx.services.reviews.withdraw(ctx, ctx.options.request);
    return reply.ephemeral(`You withdrew your review of ${ref(r)}${reversed > 0 ? `; ${reversed} points were taken back` : ""}. The requester can ask again without using their quota.`, { tone: "info" });
  },
});

const cancel = defineCommand({
  name: "cancel",
  description: "Cancel a review you asked for (it no longer counts against your quota)",
  options: { request: requestOption },
  handler: async (ctx) => {
    const r = await ctx.services.reviews.cancel(ctx, ctx.options.request);
    const slot = r.priorityRedemptionId ? " Your priority review is yours to use again." : "";
    return reply.ephemeral(`Cancelled ${ref(r)}; it no longer counts against your monthly quota.${slot}`, { tone: "info" });
  },
});

const status = defineCommand({
  name: "status",
  description: "Your open review requests and how many reviews you have left this month",
  handler: async (ctx) => {
    const s = await ctx.services.reviews.status(ctx);
    const zone = reviewSettings(ctx.community.config).timezone;
    const names = await ctx.services.reviews.names([...s.requests, ...s.assigned].flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])));
    const line = (r: (typeof s.requests)[number]) => `${linkTo(r)}: ${statusWords(r.status)}${r.assigneeId ? ` · **${quoted(names.get(r.assigneeId) ?? "a reviewer")}**` : ""}${r.priority ? " · priority" : ""}`;
    return reply.ephemeral(`You have ${describeQuota(s.quota, zone)}.${s.prioritySlots > 0 ? ` Plus ${s.prioritySlots} priority review${s.prioritySlots === 1 ? "" : "s"} redeemed, used by your next request.` : ""}`, {
      title: "Code reviews",
      fields: [
        { name: "Your requests", value: s.requests.length > 0 ? s.requests.map(line).join("\n") : "None open. Ask with `/review request <link>`." },
        ...(s.assigned.length > 0 ? [{ name: "Assigned to you", value: s.assigned.map((r) => `${linkTo(r)}: ${statusWords(r.status)}`).join("\n") }] : []),
      ],
    });
  },
});

const copied = defineCommand({
  name: "copied",
  description: "Release or reverse the points held for a review whose summary matched an earlier one",
  permission: "creator",
  options: {
    action: option.string({ description: "release pays the reviewer; reverse takes the points back", required: true, choices: [{ name: "Release", value: "release" }, { name: "Reverse", value: "reverse" }] }),
    request: option.integer({ description: "The review's number, e.g. 12", required: true, min: 1 }),
  },
  handler: async (ctx) => {
    const settlement = ctx.options.action === "release" ? "release" : "reverse";
    const done = await ctx.services.reviews.settleCopied(ctx, ctx.options.request, settlement);
    const name = `**${quoted(done.reviewer)}**`;
    return reply.ephemeral(
      settlement === "release" ? `Released the ${done.points} held points for review ${ref(done.request)} to ${name}.` : `Reversed the ${done.points} held points for review ${ref(done.request)}: ${name} gets nothing for it.`,
      { tone: "success" },
    );
  },
});

/** The `/review` command. */
export const reviewCommand = defineGroup({
  name: "review",
  description: "Code reviews: ask for one, pass, finish, rate, withdraw, cancel, status",
  subcommands: [request, pass, done, rate, withdraw, cancel, status, copied],
});
