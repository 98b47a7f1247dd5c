import type { MessageRef } from "./chat.js";
import type { CommandContext } from "./context.js";
import type { PermissionLevel } from "./permissions.js";
import type { Reply } from "./reply.js";
import { InternalError } from "./errors.js";

/**
 * A command run on a message rather than typed: Discord's message context menu (Apps →
 * "Accept answer") and Slack's message shortcuts. Declared once, served on both.
 */
export interface MessageCommand {
  readonly kind: "message";
  /** What Discord shows in the Apps menu and Slack in the shortcut list: 1 to 32 characters, spaces allowed. */
  readonly name: string;
  /** Slack's callback id and the key in the registry: lowercase letters, digits and underscores. */
  readonly id: string;
  /** Slack shows it under the shortcut (up to 80 characters). */
  readonly description: string;
  readonly permission: PermissionLevel;
  readonly handler: (ctx: CommandContext<{ readonly message: MessageRef }>) => Promise<Reply> | Reply;
}

export function defineMessageCommand(input: Omit<MessageCommand, "kind" | "permission"> & { permission?: PermissionLevel }): MessageCommand {
  if (input.name.length < 1 || input.name.length > 32) throw new InternalError("bad_message_command", `message command ${input.name}: names are 1 to 32 characters`);
  if (!/^[a-z0-9_]{1,40}$/.test(input.id)) throw new InternalError("bad_message_command", `message command ${input.name}: ids are 1 to 40 lowercase letters, digits or underscores`);
  if (input.description.length < 1 || input.description.length > 80) throw new InternalError("bad_message_command", `message command ${input.name}: descriptions are 1 to 80 characters`);
  return { kind: "message", permission: input.permission ?? "member", ...input };
}
