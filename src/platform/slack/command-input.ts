import type { SlashCommand } from "@slack/bolt";
import type { Invocation } from "../../core/invocation.js";
import type { RawOptionValue } from "../../core/options.js";
import type { ActorFacts } from "../../core/permissions.js";
import type { CommandRegistry } from "../../core/registry.js";
import { parseCommandText } from "../../core/text-args.js";

/** `<@U123|ada>` or `<@U123>` as Slack sends mentions when commands escape them. */
function mention(token: string): RawOptionValue | undefined {
  const m = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token);
  return m ? { platform: "slack", id: m[1]!, displayName: m[2] || m[1]! } : undefined;
}

/** Turns a Slack slash command into a platform-neutral invocation. */
export function invocationFrom(command: SlashCommand, registry: CommandRegistry, actor: ActorFacts, receivedAt = new Date()): Invocation {
  const name = command.command.replace(/^\//, "").toLowerCase();
  const definition = registry.get(name);
  const parsed = definition ? parseCommandText(definition, command.text ?? "", mention) : { subcommand: undefined, options: {} };
  return {
    platform: "slack",
    space: { id: command.team_id, name: command.team_domain || command.team_id },
    user: { id: command.user_id, displayName: command.user_name || command.user_id },
    channel: { id: command.channel_id, ...(command.channel_name ? { name: command.channel_name } : {}) },
    command: name,
    subcommand: parsed.subcommand,
    options: parsed.options,
    actor,
    receivedAt,
    ...(command.trigger_id ? { id: `slack:${command.trigger_id}` } : {}),
  };
}
