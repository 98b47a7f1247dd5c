import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  PermissionFlagsBits,
} from "discord.js";
import type { Invocation } from "../../core/invocation.js";
import type { RawOptionValue } from "../../core/options.js";

type CommandLike = ChatInputCommandInteraction<"cached" | "raw"> | AutocompleteInteraction<"cached" | "raw">;

/** Turns a discord.js slash-command (or autocomplete) interaction into a platform-neutral invocation. */
export function invocationFrom(interaction: CommandLike): Invocation {
  const subcommand = interaction.options.getSubcommand(false) ?? undefined;
  const top = interaction.options.data;
  const leafOptions = top.length === 1 && top[0]?.type === ApplicationCommandOptionType.Subcommand ? (top[0].options ?? []) : top;
  const member = interaction.member;
  const roleIds = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return {
    platform: "discord",
    space: { id: interaction.guildId, name: interaction.guild?.name ?? interaction.guildId },
    user: { id: interaction.user.id, displayName: displayNameOf(interaction) },
    channel: { id: interaction.channelId, ...(interaction.channel && "name" in interaction.channel && interaction.channel.name ? { name: interaction.channel.name } : {}) },
    command: interaction.commandName,
    subcommand,
    options: Object.fromEntries(leafOptions.map((o) => [o.name, optionValue(o)])),
    actor: {
      platform: "discord",
      roleIds,
      isAdministrator: interaction.memberPermissions.has(PermissionFlagsBits.Administrator),
    },
    receivedAt: new Date(),
  };
}

function displayNameOf(interaction: CommandLike): string {
  const member = interaction.member;
  const nick = "displayName" in member ? member.displayName : member.nick;
  return nick ?? interaction.user.globalName ?? interaction.user.username;
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
