// Changes an admin makes by hand in Server Settings, each followed by the gateway event
// Discord sends for it, so the bot hears of moved roles and edited members as it would live.
import type { GatewayHub } from "./gateway.js";
import { guildObject } from "./gateway-payloads.js";
import { apiMember } from "./payloads.js";
import type { FakeState } from "./state.js";
import type { FakeDiscord } from "./types.js";

export function adminEdits(state: FakeState, gateway: GatewayHub): Pick<FakeDiscord, "editRole" | "setMemberRoles" | "editGuild"> {
  return {
    editRole(guildId, roleId, patch) {
      const guild = state.requireGuild(guildId);
      const role = guild.roles.find((r) => r.id === roleId);
      if (!role) throw new Error(`Fake Discord guild ${guildId} has no role ${roleId}`);
      Object.assign(role, patch);
      gateway.dispatch("GUILD_ROLE_UPDATE", { guild_id: guildId, role });
    },
    setMemberRoles(guildId, userId, roles) {
      const guild = state.requireGuild(guildId);
      const member = guild.members.get(userId);
      if (!member) throw new Error(`Fake Discord guild ${guildId} has no member ${userId}`);
      member.roles = [...roles];
      gateway.dispatch("GUILD_MEMBER_UPDATE", { guild_id: guildId, ...apiMember(member) });
    },
    editGuild(guildId, patch) {
      const guild = state.requireGuild(guildId);
      if (patch.name !== undefined) guild.name = patch.name;
      if (patch.ownerId !== undefined) guild.ownerId = patch.ownerId;
      gateway.dispatch("GUILD_UPDATE", guildObject(guild));
    },
  };
}
