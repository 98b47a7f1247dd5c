import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  PermissionFlagsBits,
} from "discord.js";
import type { Invocation } from "../../core/invocation.js";
import type { RawOptionValue } from "../../core/options.js";

type CommandLike = ChatInputCommandInteraction<"cached" | "raw"> | AutocompleteInteraction<"cached" | "raw">;
type GuildInteraction = CommandLike | ButtonInteraction<"cached" | "raw">;

/** Who, where and when: the part of an invocation every guild interaction has. */
function origin(interaction: GuildInteraction): Omit<Invocation, "command" | "subcommand" | "options"> {
  const member = interaction.member;
  const roleIds = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  const nick = "displayName" in member ? member.displayName : member.nick;
  const channel = interaction.channel;
  return {
    platform: "discord",
    space: { id: interaction.guildId, name: interaction.guild?.name ?? interaction.guildId },
    user: { id: interaction.user.id, displayName: nick ?? interaction.user.globalName ?? interaction.user.username },
    channel: { id: interaction.channelId, ...(channel && "name" in channel && channel.name ? { name: channel.name } : {}) },
    actor: { platform: "discord", roleIds, isAdministrator: interaction.memberPermissions.has(PermissionFlagsBits.Administrator) },
    receivedAt: new Date(),
  };
}

/** Turns a discord.js slash-command (or autocomplete) interaction into a platform-neutral invocation. */
export function invocationFrom(interaction: CommandLike): Invocation {
  const top = interaction.options.data;
  const leafOptions = top.length === 1 && top[0]?.type === ApplicationCommandOptionType.Subcommand ? (top[0].options ?? []) : top;
  return {
    ...origin(interaction),
    command: interaction.commandName,
    subcommand: interaction.options.getSubcommand(false) ?? undefined,
    options: Object.fromEntries(leafOptions.map((o) => [o.name, optionValue(o)])),
  };
}

/** A button click as an invocation of the action its custom id names. */
export function buttonInvocation(interaction: ButtonInteraction<"cached" | "raw">, action: string): Invocation {
  return { ...origin(interaction), command: action, subcommand: undefined, options: {} };
}

function optionValue(o: CommandInteractionOption): RawOptionValue {
  if (o.type === ApplicationCommandOptionType.User && o.user) {
    return { platform: "discord", id: o.user.id, displayName: o.user.globalName ?? o.user.username };
  }
  if (o.type === ApplicationCommandOptionType.Channel && o.channel) {
    return { id: o.channel.id, ...("name" in o.channel && o.channel.name ? { name: o.channel.name } : {}) };
  }
  return o.value ?? "";
}
