import { accessCommand, billingCommand, buyCommand } from "./commerce/commerce-commands.js";
import { catalogCommand, courseCommand, coursesCommand } from "./commerce/catalog-commands.js";
import type { ActionDefinition } from "./core/action.js";
import type { Command } from "./core/command.js";
import type { MessageCommand } from "./core/message-command.js";
import { helpCommand } from "./help/help-command.js";
import { communityCommand } from "./identity/community-command.js";
import { linkCommand } from "./identity/link-command.js";
import { whoamiCommand } from "./identity/whoami-command.js";

/** Every command Guildhall serves, in the order /help lists them. Capabilities add theirs here. */
export const allCommands: readonly Command[] = [
  helpCommand,
  linkCommand,
  whoamiCommand,
  communityCommand,
  coursesCommand,
  courseCommand,
  buyCommand,
  billingCommand,
  accessCommand,
  catalogCommand,
];

/** Every button action Guildhall's replies and posts can carry. Capabilities add theirs here. */
export const allActions: readonly ActionDefinition[] = [];

/** Every message command (Discord context menu, Slack message shortcut). */
export const allMessageCommands: readonly MessageCommand[] = [];
