import { type Command, defineCommand, type LeafCommand } from "../core/command.js";
import { UserFacingError } from "../core/errors.js";
import { describeAccepts, option } from "../core/options.js";
import { describeLevel, type PermissionLevel } from "../core/permissions.js";
import { reply } from "../core/reply.js";
import type { CommandRegistry } from "../core/registry.js";

/** `<required>` and `[optional]`, the way a member would type them. */
export function usage(prefix: string, leaf: LeafCommand): string {
  const args = Object.entries(leaf.options).map(([name, spec]) => (spec.required ? `<${name}>` : `[${name}]`));
  return [`/${prefix}`, ...args].join(" ");
}

function restricted(level: PermissionLevel): string {
  return level === "member" ? "" : ` _(${describeLevel(level)} only)_`;
}

function summaryLines(command: Command): string[] {
  if (command.kind === "leaf") return [`\`${usage(command.name, command)}\` ${command.description}${restricted(command.permission)}`];
  return command.subcommands.map((s) => `\`${usage(`${command.name} ${s.name}`, s)}\` ${s.description}${restricted(s.permission)}`);
}

function details(command: Command): string {
  const leaves = command.kind === "leaf" ? [{ path: command.name, leaf: command }] : command.subcommands.map((s) => ({ path: `${command.name} ${s.name}`, leaf: s }));
  return leaves
    .map(({ path, leaf }) => {
      const opts = Object.entries(leaf.options).map(
        ([name, spec]) => `  • \`${name}\`${spec.required ? "" : " (optional)"}: ${spec.description}. Takes ${describeAccepts(spec)}.`,
      );
      return [`\`${usage(path, leaf)}\` ${leaf.description}${restricted(leaf.permission)}`, ...opts].join("\n");
    })
    .join("\n\n");
}

/** The list /help shows, made again only when a command was registered since (commands are never removed). */
const summaries = new WeakMap<CommandRegistry, { size: number; text: string }>();

function summaryOf(registry: CommandRegistry): string {
  let made = summaries.get(registry);
  if (made?.size !== registry.size) summaries.set(registry, (made = { size: registry.size, text: registry.all().flatMap(summaryLines).join("\n") }));
  return made.text;
}

/** Lists every command with its options, or explains one command in detail. */
export const helpCommand = defineCommand({
  name: "help",
  // It only reads: safe to run again after a crash.
  resumable: true,
  description: "List every command, or explain one of them",
  options: {
    command: option.string({ description: "A command to explain, such as link", maxLength: 32 }),
  },
  handler: (ctx) => {
    const { registry } = ctx.services;
    const wanted = ctx.options.command?.replace(/^\//, "").toLowerCase();
    if (wanted) {
      // "live rsvp" (or "live:rsvp") explains one subcommand.
      const [name = "", sub] = wanted.split(/[\s:]+/);
      const command = registry.get(name);
      if (!command) throw new UserFacingError(`There is no /${name} command. Type /help to see them all.`, "unknown_command");
      if (sub && command.kind === "group") {
        const leaf = command.subcommands.find((s) => s.name === sub);
        if (!leaf) throw new UserFacingError(`/${name} has no ${sub}: it has ${command.subcommands.map((s) => s.name).join(", ")}.`, "unknown_command");
        return reply.ephemeral(details({ ...command, subcommands: [leaf] }), { title: `/${name} ${leaf.name}` });
      }
      return reply.ephemeral(details(command), { title: `/${command.name}` });
    }
    return reply.ephemeral(summaryOf(registry), {
      title: `Guildhall commands in ${ctx.community.name}`,
      footer: "<required> and [optional] options. /help <command> explains one command.",
    });
  },
});
