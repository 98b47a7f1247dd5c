// Guild, member, role and user routes. Role changes update the stored member so a later
// GET member (or the next interaction) sees them.
import { apiError, formError, unknown } from "./api-errors.js";
import { canManageRole } from "./permissions.js";
import { guildObject } from "./gateway-payloads.js";
import { apiMember } from "./payloads.js";
import { type Route, type RouteContext, type RouteResult, bodyOf, noContent, ok, param } from "./router.js";
import type { GuildState } from "./state.js";

function withGuild(ctx: RouteContext, then: (guild: GuildState) => RouteResult): RouteResult {
  const guild = ctx.state.guild(param(ctx, "guildId"));
  return guild ? then(guild) : unknown.guild();
}

function changeRole(ctx: RouteContext, add: boolean): RouteResult {
  return withGuild(ctx, (guild) => {
    const member = guild.members.get(param(ctx, "userId"));
    if (!member) return unknown.member();
    const roleId = param(ctx, "roleId");
    if (!guild.roles.some((r) => r.id === roleId)) return unknown.role();
    // Role order and Manage Roles are enforced as Discord does (the owner is exempt).
    if (!canManageRole(guild, ctx.state.botUser.id, roleId)) return apiError(403, 50013, "Missing Permissions");
    const others = member.roles.filter((r) => r !== roleId);
    member.roles = add ? [...others, roleId] : others;
    return noContent();
  });
}

function listMembers(ctx: RouteContext): RouteResult {
  return withGuild(ctx, (guild) => {
    const limit = Math.min(Math.max(Number(ctx.call.query.limit ?? 1), 1), 1000);
    const after = BigInt(ctx.call.query.after ?? "0");
    const members = [...guild.members.values()]
      .filter((m) => BigInt(m.user.id) > after)
      .sort((a, b) => (BigInt(a.user.id) > BigInt(b.user.id) ? 1 : -1));
    return ok(members.slice(0, limit).map((m) => apiMember(m)));
  });
}

function editMember(ctx: RouteContext): RouteResult {
  return withGuild(ctx, (guild) => {
    const member = guild.members.get(param(ctx, "userId"));
    if (!member) return unknown.member();
    const body = bodyOf(ctx);
    if (Array.isArray(body.roles)) {
      const roles = body.roles.map(String);
      const missing = roles.find((id) => !guild.roles.some((r) => r.id === id));
      if (missing) return formError(["roles"], "GUILD_MEMBER_ROLE_INVALID", `Role ${missing} is not valid`);
      // Every role added or removed must be below the bot's highest role, as on PUT/DELETE;
      // one refused role refuses the whole edit.
      const changed = [...roles.filter((id) => !member.roles.includes(id)), ...member.roles.filter((id) => !roles.includes(id))];
      if (changed.some((id) => !canManageRole(guild, ctx.state.botUser.id, id))) return apiError(403, 50013, "Missing Permissions");
      member.roles = roles;
    }
    if (body.nick !== undefined) member.nick = typeof body.nick === "string" && body.nick !== "" ? body.nick : null;
    return ok(apiMember(member));
  });
}

/** Routes under /guilds (except threads and commands) and /users. */
export const guildRoutes: Route[] = [
  { method: "GET", pattern: "/guilds/:guildId", handler: (ctx) => withGuild(ctx, (g) => ok(guildObject(g))) },
  {
    method: "GET",
    pattern: "/guilds/:guildId/channels",
    handler: (ctx) => withGuild(ctx, (g) => ok([...ctx.state.channels.values()].filter((c) => c.guild_id === g.id && !c.thread_metadata))),
  },
  { method: "GET", pattern: "/guilds/:guildId/roles", handler: (ctx) => withGuild(ctx, (g) => ok(g.roles)) },
  { method: "GET", pattern: "/guilds/:guildId/members", handler: listMembers },
  {
    method: "GET",
    pattern: "/guilds/:guildId/members/:userId",
    handler: (ctx) =>
      withGuild(ctx, (g) => {
        const member = g.members.get(param(ctx, "userId"));
        return member ? ok(apiMember(member)) : unknown.member();
      }),
  },
  { method: "PATCH", pattern: "/guilds/:guildId/members/:userId", handler: editMember },
  { method: "PUT", pattern: "/guilds/:guildId/members/:userId/roles/:roleId", handler: (ctx) => changeRole(ctx, true) },
  { method: "DELETE", pattern: "/guilds/:guildId/members/:userId/roles/:roleId", handler: (ctx) => changeRole(ctx, false) },
  { method: "GET", pattern: "/users/@me", handler: (ctx) => ok({ ...ctx.state.botUser, bot: true, verified: true, mfa_enabled: false, flags: 0 }) },
  {
    method: "GET",
    pattern: "/users/:userId",
    handler: (ctx) => {
      const user = ctx.state.users.get(param(ctx, "userId"));
      return user ? ok(user) : unknown.user();
    },
  },
];
