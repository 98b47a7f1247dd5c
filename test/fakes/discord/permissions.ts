// Guild-level permission arithmetic, enough for interaction payloads: real Discord sends the
// member's permissions computed from @everyone plus their roles (channel overwrites are ignored here).
import type { GuildState } from "./state.js";

const ADMINISTRATOR = 1n << 3n;

/** Every permission bit Discord defines today (and a few spare ones); used for the bot and for admins. */
export const ALL_PERMISSIONS = ((1n << 53n) - 1n).toString();

/** Bitfield string of a member with these roles in this guild. */
export function memberPermissions(guild: GuildState, userId: string, roleIds: string[]): string {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  let bits = 0n;
  for (const role of guild.roles) {
    if (role.id === guild.id || roleIds.includes(role.id)) bits |= BigInt(role.permissions);
  }
  return (bits & ADMINISTRATOR) !== 0n ? ALL_PERMISSIONS : bits.toString();
}

const MANAGE_ROLES = 1n << 28n;

/**
 * Whether `userId` may add or remove `roleId`, as Discord decides: the owner always may;
 * anyone else needs Manage Roles (or Administrator) and a highest role strictly above it.
 */
export function canManageRole(guild: GuildState, userId: string, roleId: string): boolean {
  if (guild.ownerId === userId) return true;
  const held = guild.members.get(userId)?.roles ?? [];
  if ((BigInt(memberPermissions(guild, userId, held)) & MANAGE_ROLES) === 0n) return false;
  const target = guild.roles.find((r) => r.id === roleId);
  const highest = Math.max(0, ...guild.roles.filter((r) => held.includes(r.id)).map((r) => r.position));
  return target !== undefined && highest > target.position;
}
