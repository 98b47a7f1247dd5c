/**
 * Every capability Guildhall serves. The order is the /help order, and the order services
 * are built in (a capability may use the services of those before it while it is built).
 * To add a capability, add its index.ts here; nothing else outside its folder changes.
 */
import { commerce } from "./commerce/index.js";
import { sectionDefaults } from "./config/communities.js";
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

/** Every capability's fields in the communities file, by section (loadConfig composes them). */
export const settingsSections = capabilities.flatMap((c) => c.settings ?? []);

/**
 * A community with no configuration: its commerce policies, and every other section's
 * defaults (tests and benchmarks build community configurations from these).
 */
export const { commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS } = sectionDefaults(settingsSections);
