import type { CommandContext } from "./context.js";
import type { PermissionLevel } from "./permissions.js";
import type { Reply } from "./reply.js";
import { InternalError } from "./errors.js";

/**
 * What a button does when clicked. A reply's button names an action and carries a value
 * (an event id, a review id); the adapter routes the click here, through the same
 * identity, permission and error handling as commands.
 */
export interface ActionDefinition {
  /** Lowercase letters, digits and dashes; it travels in the button's id. */
  readonly name: string;
  readonly permission: PermissionLevel;
  readonly handler: (ctx: CommandContext<{ readonly value: string }>) => Promise<Reply> | Reply;
}

export function defineAction(input: { name: string; permission?: PermissionLevel; handler: ActionDefinition["handler"] }): ActionDefinition {
  if (!/^[a-z0-9-]{1,40}$/.test(input.name)) throw new InternalError("bad_action", `action ${input.name}: names are 1 to 40 lowercase letters, digits or dashes`);
  return { name: input.name, permission: input.permission ?? "member", handler: input.handler };
}

/** Buttons carry `gh:<action>:<value>` (Discord custom ids) or `gh:<action>` plus a value (Slack). */
export function parseActionId(id: string): { action: string; value: string } | undefined {
  const m = /^gh:([a-z0-9-]{1,40})(?::(.*))?$/s.exec(id);
  return m ? { action: m[1]!, value: m[2] ?? "" } : undefined;
}
