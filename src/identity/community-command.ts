import { defineCommand } from "../core/command.js";
import { reply } from "../core/reply.js";

/** For creators: how this community is set up, to check the configuration took effect. */
export const communityCommand = defineCommand({
  name: "community",
  description: "Show how this community is set up: platforms, roles and members",
  permission: "creator",
  handler: async (ctx) => {
    const { db } = ctx.services;
    const [spaces, members] = await Promise.all([
      db.platformSpace.findMany({ where: { communityId: ctx.community.id }, orderBy: { createdAt: "asc" } }),
      db.member.count({ where: { communityId: ctx.community.id, mergedIntoId: null } }),
    ]);
    const cfg = ctx.community.config;
    const roles = [
      cfg?.discord && `Discord creator roles: ${cfg.discord.creatorRoleIds.length}, admin roles: ${cfg.discord.adminRoleIds.length}`,
      cfg?.slack && `Slack creators: ${cfg.slack.creatorUserIds.length} users, ${cfg.slack.creatorUserGroupIds.length} groups`,
    ].filter(Boolean);
    return reply.ephemeral(`**${ctx.community.name}** (\`${ctx.community.slug}\`)`, {
      title: "Community",
      fields: [
        { name: "Platforms", value: spaces.map((s) => `${s.platform}: ${s.name}`).join("\n") || "none yet", inline: true },
        { name: "Members", value: String(members), inline: true },
        { name: "Roles", value: roles.length > 0 ? roles.join("\n") : "Not configured: platform administrators act as admins. See GUILDHALL_COMMUNITIES in the README." },
      ],
    });
  },
});
