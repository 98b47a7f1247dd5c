import { accessCommand, billingCommand, buyCommand } from "./commerce/commerce-commands.js";
import { catalogCommand, courseCommand, coursesCommand } from "./commerce/catalog-commands.js";
import type { Command } from "./core/command.js";
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
