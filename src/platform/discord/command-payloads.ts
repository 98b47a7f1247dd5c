import { type Command, type LeafCommand, minimumPermission } from "../../core/command.js";
import type { MessageCommand } from "../../core/message-command.js";
import { DEFAULT_MAX_LENGTH, integerBounds, type OptionSpec } from "../../core/options.js";

/** Discord's application command option types. */
const OPTION_TYPE = { subcommand: 1, string: 3, integer: 4, boolean: 5, user: 6, channel: 7, number: 10 } as const;

/** Manage Server: creator-only commands are hidden from members until an admin grants them. */
const MANAGE_GUILD = String(1 << 5);

type Json = Record<string, unknown>;

function optionPayload(name: string, spec: OptionSpec): Json {
  const base: Json = { type: OPTION_TYPE[spec.kind], name, description: spec.description, required: spec.required === true };
  switch (spec.kind) {
    case "string":
      return {
        ...base,
        ...(spec.choices ? { choices: spec.choices } : {}),
        ...(spec.minLength !== undefined ? { min_length: spec.minLength } : {}),
        max_length: spec.maxLength ?? DEFAULT_MAX_LENGTH,
        ...(spec.autocomplete ? { autocomplete: true } : {}),
      };
    case "integer": {
      // Discord's own bounds are wider than the database's: keep the client's picker honest.
      const { min, max } = integerBounds(spec);
      return { ...base, ...(spec.choices ? { choices: spec.choices } : {}), min_value: min, max_value: max };
    }
    case "number":
      return {
        ...base,
        ...(spec.min !== undefined ? { min_value: spec.min } : {}),
        ...(spec.max !== undefined ? { max_value: spec.max } : {}),
      };
    default:
      return base;
  }
}

function leafOptions(leaf: LeafCommand): Json[] {
  return Object.entries(leaf.options).map(([name, spec]) => optionPayload(name, spec));
}

/** One command as Discord's bulk-overwrite endpoint expects it. */
export function discordCommandPayload(command: Command): Json {
  const options =
    command.kind === "leaf"
      ? leafOptions(command)
      : command.subcommands.map((s) => ({ type: OPTION_TYPE.subcommand, name: s.name, description: s.description, options: leafOptions(s) }));
  const level = minimumPermission(command);
  return {
    name: command.name,
    description: command.description,
    type: 1,
    contexts: [0], // guilds only: every command belongs to a community
    options,
    ...(level === "member" ? {} : { default_member_permissions: MANAGE_GUILD }),
  };
}

/** A message command as Discord's context menu entry (Apps → name); such entries take no description. */
export function discordMessageCommandPayload(command: MessageCommand): Json {
  return {
    name: command.name,
    type: 3,
    contexts: [0],
    ...(command.permission === "member" ? {} : { default_member_permissions: MANAGE_GUILD }),
  };
}

/** Every slash command, then every message command: one bulk overwrite replaces them all. */
export function discordCommandsPayload(commands: readonly Command[], messageCommands: readonly MessageCommand[] = []): Json[] {
  return [...commands.map(discordCommandPayload), ...messageCommands.map(discordMessageCommandPayload)];
}
