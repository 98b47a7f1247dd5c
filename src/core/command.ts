import type { CommandContext } from "./context.js";
import type { Choice, OptionSpecs, OptionValues } from "./options.js";
import type { PermissionLevel } from "./permissions.js";
import type { Reply, Visibility } from "./reply.js";

/** A command handler: typed context in, reply model out. It never sees a platform SDK. */
export type Handler<O extends OptionSpecs> = (ctx: CommandContext<OptionValues<O>>) => Promise<Reply> | Reply;

/** Suggestions for an option marked `autocomplete` while the member types (Discord shows up to 25). */
export type Autocomplete = (ctx: Omit<CommandContext<unknown>, "options">, option: string, typed: string) => Promise<readonly Choice<string>[]>;

interface Described {
  /** Lowercase, 1 to 32 characters: letters, digits, `-` and `_` (Discord's rule). */
  readonly name: string;
  /** Up to 100 characters. */
  readonly description: string;
}

/** A command (or subcommand) that runs a handler. */
export interface LeafCommand<O extends OptionSpecs = OptionSpecs> extends Described {
  readonly kind: "leaf";
  readonly options: O;
  /** Defaults to `member`. */
  readonly permission: PermissionLevel;
  /**
   * How the reply is likely to be shown, so adapters can acknowledge a slow command the
   * right way before the handler finishes. Defaults to `ephemeral`.
   */
  readonly visibility: Visibility;
  readonly handler: Handler<O>;
  readonly autocomplete?: Autocomplete;
  /**
   * Running it twice for one interaction does no more than running it once: its effects are
   * keyed by `ctx.interactionId`, or it only reads. When the process that deferred it dies,
   * another process runs it again and sends the answer (src/platform/discord/recovery);
   * otherwise that process tells the member the command was interrupted.
   */
  readonly resumable?: boolean;
}

/** A command with subcommands, such as `/catalog add` and `/catalog list`. */
export interface GroupCommand extends Described {
  readonly kind: "group";
  readonly subcommands: readonly LeafCommand[];
}

export type Command = LeafCommand | GroupCommand;

interface LeafInput<O extends OptionSpecs> extends Described {
  readonly options?: O;
  readonly permission?: PermissionLevel;
  readonly visibility?: Visibility;
  readonly handler: Handler<O>;
  readonly autocomplete?: Autocomplete;
  readonly resumable?: boolean;
}

/** Declares a command as data. The option types flow into the handler's `ctx.options`. */
export function defineCommand<const O extends OptionSpecs = Record<never, never>>(input: LeafInput<O>): LeafCommand {
  return {
    kind: "leaf",
    name: input.name,
    description: input.description,
    options: input.options ?? ({} as O),
    permission: input.permission ?? "member",
    visibility: input.visibility ?? "ephemeral",
    handler: input.handler as Handler<OptionSpecs>,
    ...(input.autocomplete ? { autocomplete: input.autocomplete } : {}),
    ...(input.resumable ? { resumable: true } : {}),
  } as LeafCommand;
}

/** Declares a command made of subcommands. */
export function defineGroup(input: Described & { readonly subcommands: readonly LeafCommand[] }): GroupCommand {
  return { kind: "group", ...input };
}

/** The lowest level among a command's subcommands: who can see the command at all. */
export function minimumPermission(command: Command): PermissionLevel {
  if (command.kind === "leaf") return command.permission;
  const levels = command.subcommands.map((s) => s.permission);
  return levels.includes("member") ? "member" : levels.includes("creator") ? "creator" : "admin";
}
