import { defineCommand } from "../core/command.js";
import { reply } from "../core/reply.js";

const LABEL: Record<string, string> = { discord: "Discord", slack: "Slack", playground: "Playground" };

/** Shows who Guildhall thinks you are: member, linked accounts and role. */
export const whoamiCommand = defineCommand({
  name: "whoami",
  description: "Show your member profile, linked accounts and role in this community",
  handler: async (ctx) => {
    const accounts = await ctx.services.identity.accountsOf(ctx.member.id);
    return reply.ephemeral(`You are **${ctx.member.displayName}** in ${ctx.community.name}.`, {
      title: "Your profile",
      fields: [
        { name: "Role", value: ctx.level, inline: true },
        { name: "Linked accounts", value: accounts.map((a) => `${LABEL[a.platform] ?? a.platform}: ${a.displayName}`).join("\n"), inline: true },
      ],
    });
  },
});
