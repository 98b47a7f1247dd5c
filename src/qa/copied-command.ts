/** `/qa copied release|reverse <question>`: a creator settles the points held for a copied answer. */
import { defineCommand, defineGroup } from "../core/command.js";
import { option } from "../core/options.js";
import { reply } from "../core/reply.js";
import { quoted } from "../core/member-text.js";

const copied = defineCommand({
  name: "copied",
  description: "Release or reverse the points held for an answer that matched an earlier one",
  permission: "creator",
  options: {
    action: option.string({ description: "release pays the answerer; reverse takes the points back", required: true, choices: [{ name: "Release", value: "release" }, { name: "Reverse", value: "reverse" }] }),
    question: option.integer({ description: "The question's number", required: true, min: 1 }),
  },
  handler: async (ctx) => {
    const settlement = ctx.options.action === "release" ? "release" : "reverse";
    const done = await ctx.services.qa.settleCopied({ communityId: ctx.community.id, number: ctx.options.question, settlement, actorId: ctx.member.id, now: ctx.now });
    const name = `**${quoted(done.answererName)}**`;
    return reply.ephemeral(
      settlement === "release" ? `Released the ${done.points} held points for #${done.question.number} to ${name}.` : `Reversed the ${done.points} held points for #${done.question.number}: ${name} gets nothing for it, and any bounty went back to the asker.`,
      { tone: "success" },
    );
  },
});

export const qaCommand = defineGroup({ name: "qa", description: "Q&A moderation for creators", subcommands: [copied] });
