import { accessCommand, billingCommand, buyCommand } from "./commerce/commerce-commands.js";
import { catalogCommand, courseCommand, coursesCommand } from "./commerce/catalog-commands.js";
import type { ActionDefinition } from "./core/action.js";
import type { Command } from "./core/command.js";
import type { MessageCommand } from "./core/message-command.js";
import { helpCommand } from "./help/help-command.js";
import { communityCommand } from "./identity/community-command.js";
import { linkCommand } from "./identity/link-command.js";
import { whoamiCommand } from "./identity/whoami-command.js";
import { awardCommand, leaderboardCommand, pointsCommand } from "./points/points-commands.js";
import { redeemCommand, rewardCommand } from "./points/reward-commands.js";
import { thanksCommand } from "./points/thanks-command.js";
import { claimAction, thankAction } from "./review/review-actions.js";
import { reviewCommand } from "./review/review-commands.js";
import { reviewerCommand } from "./review/reviewer-commands.js";
import { acceptAnswerCommand, askCommand, questionsCommand, solvedCommand } from "./qa/qa-commands.js";
import { digestCommand } from "./schedule/digest/commands.js";
import { announceCommand } from "./schedule/announce/announce-command.js";
import { liveCommand } from "./schedule/live/live-commands.js";
import { rsvpAction } from "./schedule/live/rsvp-action.js";

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
  askCommand,
  solvedCommand,
  questionsCommand,
  reviewCommand,
  reviewerCommand,
  thanksCommand,
  pointsCommand,
  leaderboardCommand,
  redeemCommand,
  awardCommand,
  rewardCommand,
  digestCommand,
  announceCommand,
  liveCommand,
];

/** Every button action Guildhall's replies and posts can carry. Capabilities add theirs here. */
export const allActions: readonly ActionDefinition[] = [claimAction, thankAction, rsvpAction];

/** Every message command (Discord context menu, Slack message shortcut). */
export const allMessageCommands: readonly MessageCommand[] = [acceptAnswerCommand];
