/** `/recommend`: up to three catalog items for the member, each with why. */
import { defineCommand } from "../core/command.js";
import { reply } from "../core/reply.js";

export const recommendCommand = defineCommand({
  name: "recommend",
  description: "Courses and memberships you may like, and why",
  handler: async (ctx) => {
    const found = await ctx.services.recommend.forMember(ctx.community.id, ctx.member.id, ctx.now);
    if (found.length === 0) return reply.ephemeral("Nothing to recommend: you already have everything in the catalog, or it is empty. `/courses` lists it.");
    const lines = found.map((r, i) => `${i + 1}. **${r.title}** (\`/buy ${r.name}\`): ${r.reasons.length > 0 ? r.reasons.join("; ") : "new in the catalog"}`);
    return reply.ephemeral(lines.join("\n"), { title: "Recommended for you", footer: "/course <name> shows one in detail." });
  },
});
