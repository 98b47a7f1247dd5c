import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Message,
  type MessageContextMenuCommandInteraction,
  PermissionFlagsBits,
} from "discord.js";
import type { MessageRef } from "../../core/chat.js";
import type { Invocation } from "../../core/invocation.js";
import type { RawOptionValue } from "../../core/options.js";

type CommandLike = ChatInputCommandInteraction<"cached" | "raw"> | AutocompleteInteraction<"cached" | "raw">;
type GuildInteraction = CommandLike | ButtonInteraction<"cached" | "raw"> | MessageContextMenuCommandInteraction<"cached" | "raw">;

/** Who, where and when: the part of an invocation every guild interaction has. */
function origin(interaction: GuildInteraction, receivedAt: Date): Omit<Invocation, "command" | "subcommand" | "options"> {
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
    receivedAt,
    id: `discord:${interaction.id}`,
  };
}

/** Turns a discord.js slash-command (or autocomplete) interaction into a platform-neutral invocation. */
export function invocationFrom(interaction: CommandLike, receivedAt = new Date()): Invocation {
  const top = interaction.options.data;
  const leafOptions = top.length === 1 && top[0]?.type === ApplicationCommandOptionType.Subcommand ? (top[0].options ?? []) : top;
  return {
    ...origin(interaction, receivedAt),
    command: interaction.commandName,
    subcommand: interaction.options.getSubcommand(false) ?? undefined,
    options: Object.fromEntries(leafOptions.map((o) => [o.name, optionValue(o)])),
  };
}

/** A button click as an invocation of the action its custom id names. */
export function buttonInvocation(interaction: ButtonInteraction<"cached" | "raw">, action: string, receivedAt = new Date()): Invocation {
  return { ...origin(interaction, receivedAt), command: action, subcommand: undefined, options: {} };
}

/** A message context-menu command: the invocation (named by the command's name) and the message it was run on. */
export function messageCommandInput(interaction: MessageContextMenuCommandInteraction<"cached" | "raw">, receivedAt = new Date()): { invocation: Invocation; message: MessageRef } {
  const invocation = { ...origin(interaction, receivedAt), command: interaction.commandName, subcommand: undefined, options: {} };
  return { invocation, message: messageRef(interaction.targetMessage, interaction.channelId) };
}

function messageRef(target: Message, channelId: string): MessageRef {
  const author = target.author;
  const displayName = target.member?.displayName ?? author.globalName ?? author.username;
  return { id: target.id, channelId, author: { id: author.id, displayName, ...(author.bot ? { bot: true } : {}) }, text: target.content };
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
