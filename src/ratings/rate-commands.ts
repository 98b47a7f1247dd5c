/**
 * `/rate course <course> <1-5> [comment]` and, for creators, `/rate hide <number>`. Discord
 * forbids a command with both options and subcommands, so rating is `/rate course`.
 */
import { suggestItems } from "../commerce/index.js";
import { defineCommand, defineGroup } from "../core/command.js";
import { inline } from "../core/member-text.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { MAX_COMMENT_LENGTH, starsText } from "./ratings-service.js";

const course = defineCommand({
  name: "course",
  description: "Rate a course or membership you have or had, from 1 to 5 stars",
  options: {
    course: option.string({ description: "The item's short name, e.g. async-rust", required: true, maxLength: 40, autocomplete: true, typed: typedAs.word }),
    stars: option.integer({ description: "From 1 (poor) to 5 (excellent)", required: true, min: 1, max: 5 }),
    comment: option.string({ description: "What you thought of it; other members see it with /course", maxLength: MAX_COMMENT_LENGTH }),
  },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const item = await ctx.services.catalog.find(ctx.community.id, ctx.options.course, { includeArchived: true });
    const { rating, changed } = await ctx.services.ratings.rateItem({
      communityId: ctx.community.id,
      memberId: ctx.member.id,
      itemId: item.id,
      itemTitle: item.title,
      stars: ctx.options.stars,
      comment: ctx.options.comment,
      now: ctx.now,
    });
    const summary = (await ctx.services.ratings.averageFor(ctx.community.id, [item.id])).get(item.id);
    const words = rating.comment ? ` with your comment “${inline(rating.comment)}”` : "";
    return reply.ephemeral(`${changed ? "Changed your rating of" : "You rated"} **${item.title}** ${"★".repeat(rating.stars)}${words} (rating #${rating.number}). It is now ${starsText(summary)}.`, { tone: "success" });
  },
});

const hide = defineCommand({
  name: "hide",
  description: "Hide a rating's comment (its stars still count)",
  permission: "creator",
  options: { number: option.integer({ description: "The rating's number, shown next to its comment in /course", required: true, min: 1 }) },
  handler: async (ctx) => {
    const rating = await ctx.services.ratings.hideComment(ctx.community.id, ctx.options.number, ctx.member.id, ctx.now);
    return reply.ephemeral(`The comment of rating #${rating.number} is hidden; its ${rating.stars} star${rating.stars === 1 ? "" : "s"} still count.`, { tone: "success" });
  },
});

/** The `/rate` command. */
export const rateCommand = defineGroup({ name: "rate", description: "Rate the courses you have or had; creators hide comments", subcommands: [course, hide] });
