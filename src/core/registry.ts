import type { ActionDefinition } from "./action.js";
import type { Command, LeafCommand } from "./command.js";
import { InternalError } from "./errors.js";
import type { MessageCommand } from "./message-command.js";
import type { OptionSpec } from "./options.js";

const NAME = /^[a-z0-9_-]{1,32}$/;

/** A resolved invocation target: the leaf to run and the path that names it. */
export interface Resolved {
  readonly command: Command;
  readonly leaf: LeafCommand;
  /** `catalog add` for a subcommand, `help` for a plain command. */
  readonly path: string;
}

/**
 * Every command the bot serves, registered explicitly (no filesystem scanning). The
 * registry checks each definition against the strictest platform's rules at start, so a
 * bad definition fails the boot, not the first member who runs it.
 */
export class CommandRegistry {
  readonly #commands = new Map<string, Command>();
  readonly #actions = new Map<string, ActionDefinition>();
  readonly #messageCommands = new Map<string, MessageCommand>();

  constructor(commands: readonly Command[] = [], actions: readonly ActionDefinition[] = [], messageCommands: readonly MessageCommand[] = []) {
    for (const c of commands) this.register(c);
    for (const a of actions) this.registerAction(a);
    for (const m of messageCommands) this.registerMessageCommand(m);
  }

  /** A message command; ids and names are unique. */
  registerMessageCommand(command: MessageCommand): this {
    if (this.messageCommand(command.id) || this.messageCommand(command.name)) throw new InternalError("duplicate_command", `Message command ${command.name} is registered twice`);
    this.#messageCommands.set(command.id, command);
    return this;
  }

  /** Finds a message command by its id (Slack callback id) or its name (Discord). */
  messageCommand(idOrName: string): MessageCommand | undefined {
    return this.#messageCommands.get(idOrName) ?? [...this.#messageCommands.values()].find((m) => m.name === idOrName);
  }

  messageCommands(): readonly MessageCommand[] {
    return [...this.#messageCommands.values()];
  }

  /** A button action; names are unique. */
  registerAction(action: ActionDefinition): this {
    if (this.#actions.has(action.name)) throw new InternalError("duplicate_action", `Action ${action.name} is registered twice`);
    this.#actions.set(action.name, action);
    return this;
  }

  action(name: string): ActionDefinition | undefined {
    return this.#actions.get(name);
  }

  register(command: Command): this {
    validateCommand(command);
    if (this.#commands.has(command.name)) throw new InternalError("duplicate_command", `Command /${command.name} is registered twice`);
    this.#commands.set(command.name, command);
    return this;
  }

  all(): readonly Command[] {
    return [...this.#commands.values()];
  }

  /** How many commands are registered; commands are only ever added, so it changes when the list does. */
  get size(): number {
    return this.#commands.size;
  }

  get(name: string): Command | undefined {
    return this.#commands.get(name);
  }

  /**
   * Finds what to run. For a group without a (valid) subcommand it returns undefined for
   * `leaf` so the caller can explain the available subcommands.
   */
  resolve(name: string, subcommand: string | undefined): Resolved | { command: Command; leaf: undefined } | undefined {
    const command = this.#commands.get(name);
    if (!command) return undefined;
    if (command.kind === "leaf") return { command, leaf: command, path: command.name };
    const leaf = subcommand ? command.subcommands.find((s) => s.name === subcommand) : undefined;
    return leaf ? { command, leaf, path: `${command.name} ${leaf.name}` } : { command, leaf: undefined };
  }
}

function fail(where: string, why: string): never {
  throw new InternalError("invalid_command_definition", `${where}: ${why}`);
}

function validateCommand(command: Command): void {
  const where = `/${command.name}`;
  checkNaming(where, command.name, command.description);
  if (command.kind === "leaf") return validateLeaf(where, command);
  if (command.subcommands.length === 0 || command.subcommands.length > 25) fail(where, "needs 1 to 25 subcommands");
  const names = new Set<string>();
  for (const sub of command.subcommands) {
    if (names.has(sub.name)) fail(where, `subcommand ${sub.name} is declared twice`);
    names.add(sub.name);
    validateLeaf(`${where} ${sub.name}`, sub);
  }
}

function validateLeaf(where: string, leaf: LeafCommand): void {
  checkNaming(where, leaf.name, leaf.description);
  const entries = Object.entries(leaf.options);
  if (entries.length > 25) fail(where, "has more than 25 options");
  let optionalSeen = false;
  for (const [name, spec] of entries) {
    checkNaming(`${where} option ${name}`, name, spec.description);
    if (spec.required) {
      if (optionalSeen) fail(where, `required option ${name} comes after an optional one (Discord requires required options first)`);
    } else optionalSeen = true;
    checkLimits(`${where} option ${name}`, spec);
  }
}

function checkNaming(where: string, name: string, description: string): void {
  if (!NAME.test(name)) fail(where, "names must be 1 to 32 lowercase letters, digits, - or _");
  if (description.length < 1 || description.length > 100) fail(where, "descriptions must be 1 to 100 characters");
}

function checkLimits(where: string, spec: OptionSpec): void {
  if ("choices" in spec && spec.choices && (spec.choices.length === 0 || spec.choices.length > 25)) fail(where, "needs 1 to 25 choices");
  if (spec.kind === "string" && spec.maxLength !== undefined && (spec.maxLength < 1 || spec.maxLength > 6000)) fail(where, "maxLength must be 1 to 6000");
  if ((spec.kind === "integer" || spec.kind === "number") && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) fail(where, "min is above max");
}
