/**
 * Digests: a daily or weekly summary post per community, at its hour in its time zone, and
 * (opt-in) a weekly creator-only summary of insights' figures in the admin log channels,
 * read through insights' service.
 */
import { defineCapability } from "../core/capability.js";
import { digestCommand } from "./commands.js";
import { digestJob } from "./job.js";
import { digestSettingsSection } from "./settings-schema.js";
export { DIGEST_SECTIONS, digestSettingsSection, type DigestConfig } from "./settings-schema.js";

export const digest = defineCapability({
  name: "digest",
  settings: [digestSettingsSection],
  commands: [digestCommand],
  jobs: (services, deps) => [digestJob(services, deps.communities, deps.log)],
});
