/**
 * Digests: a daily or weekly summary post per community, at its hour in its time zone, and
 * (opt-in) a weekly creator-only summary of insights' figures in the admin log channels,
 * read through insights' service.
 */
import { defineCapability } from "../core/capability.js";
import type { DigestSectionSources } from "../core/digest-sections.js";
import { digestCommand } from "./commands.js";
import { digestJob } from "./job.js";
import { checkDigestSources } from "./sections.js";
import { digestSettingsSection } from "./settings-schema.js";
export { DIGEST_SECTIONS, digestSettingsSection, type DigestConfig } from "./settings-schema.js";

declare module "../core/services.js" {
  interface Services {
    /** The digest sections every capability provides, by name. */
    readonly digestSections: DigestSectionSources;
  }
}

export const digest = defineCapability({
  name: "digest",
  settings: [digestSettingsSection],
  provide(_services, deps) {
    checkDigestSources(deps.digestSections);
    return { digestSections: deps.digestSections };
  },
  commands: [digestCommand],
  jobs: (services, deps) => [digestJob(services, deps.communities, deps.log)],
});
