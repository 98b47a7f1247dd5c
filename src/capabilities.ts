/**
 * Every capability Guildhall serves. The order is the /help order, and the order services
 * are built in (a capability may use the services of those before it while it is built).
 * To add a capability, add its index.ts here; nothing else outside its folder changes.
 */
import { commerce } from "./commerce/index.js";
import type { Capability } from "./core/capability.js";
import { help } from "./help/index.js";
import { identity } from "./identity/index.js";
import { points } from "./points/index.js";
import { qa } from "./qa/index.js";
import { ratings } from "./ratings/index.js";
import { recommendations } from "./recommend/index.js";
import { review } from "./review/index.js";
import { announce } from "./announce/index.js";
import { digest } from "./digest/index.js";
import { live } from "./live/index.js";
import { insights } from "./insights/index.js";

export const capabilities: readonly Capability[] = [help, identity, commerce, points, qa, review, ratings, recommendations, digest, announce, live, insights];

/** Every slash command, in /help order (for the command artifacts and Discord registration). */
export const allCommands = capabilities.flatMap((c) => c.commands ?? []);

/** Every message command (Discord context menu, Slack message shortcut). */
export const allMessageCommands = capabilities.flatMap((c) => c.messageCommands ?? []);
