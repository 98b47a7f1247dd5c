// Turns a test's flat option list into Discord's nested `options` and `resolved` data:
// subcommands and groups wrap the options, and user/channel/role options get resolved objects.
import { apiMember } from "./payloads.js";
import { memberPermissions } from "./permissions.js";
import type { FakeState } from "./state.js";
import type { SlashCommandInput, SlashOption } from "./types.js";

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const USER = 6;
const CHANNEL = 7;
const ROLE = 8;
const MENTIONABLE = 9;

type Resolved = Record<"users" | "members" | "channels" | "roles", Record<string, unknown>>;

/** `options` (nested under subcommand and group) and `resolved`, omitted when empty as Discord does. */
export function resolveOptions(state: FakeState, input: SlashCommandInput, focused?: string): { options?: unknown[]; resolved?: Partial<Resolved> } {
  const leaves = (input.options ?? []).map((o: SlashOption) => ({ ...o, ...(o.name === focused ? { focused: true } : {}) }));
  if (focused !== undefined && !leaves.some((o) => o.name === focused)) {
    throw new Error(`Fake Discord: focused option "${focused}" is not among the options given`);
  }
  for (const user of input.resolvedUsers ?? []) state.upsertMember(input.guildId, user);
  let options: unknown[] = leaves;
  if (input.subcommand) options = [{ type: SUBCOMMAND, name: input.subcommand, options }];
  if (input.subcommandGroup) {
    if (!input.subcommand) throw new Error("Fake Discord: subcommandGroup needs a subcommand");
    options = [{ type: SUBCOMMAND_GROUP, name: input.subcommandGroup, options }];
  }
  const roles = input.memberRoles ?? state.member(input.guildId, input.user.id)?.roles ?? [];
  const invoker = input.memberPermissions ?? memberPermissions(state.requireGuild(input.guildId), input.user.id, roles);
  const resolved = resolveValues(state, input.guildId, leaves, invoker);
  return {
    ...(options.length > 0 ? { options } : {}),
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}

function resolveValues(state: FakeState, guildId: string, options: SlashOption[], invokerPermissions: string): Partial<Resolved> {
  const resolved: Partial<Resolved> = {};
  const put = (kind: keyof Resolved, id: string, value: unknown) => {
    (resolved[kind] ??= {})[id] = value;
  };
  const guild = state.requireGuild(guildId);
  for (const option of options) {
    const id = String(option.value);
    if (option.type === USER || option.type === MENTIONABLE) {
      const member = guild.members.get(id);
      if (member) {
        put("users", id, member.user);
        // Resolved members carry no user field: discord.js joins them with resolved.users.
        const { user: _user, ...rest } = apiMember(member, memberPermissions(guild, id, member.roles));
        put("members", id, rest);
        continue;
      }
      if (option.type === USER) throw new Error(`Fake Discord: user option "${option.name}" names ${id}; pass that user in resolvedUsers`);
    }
    if (option.type === CHANNEL) {
      const channel = state.channels.get(id);
      if (!channel) throw new Error(`Fake Discord: channel option "${option.name}" names unknown channel ${id}`);
      const { id: cid, name, type, parent_id, thread_metadata } = channel;
      put("channels", id, { id: cid, name, type, parent_id, ...(thread_metadata ? { thread_metadata } : {}), permissions: invokerPermissions });
    }
    if (option.type === ROLE || option.type === MENTIONABLE) {
      const role = guild.roles.find((r) => r.id === id);
      if (role) put("roles", id, role);
      else throw new Error(`Fake Discord: option "${option.name}" names unknown role ${id}`);
    }
  }
  return resolved;
}
