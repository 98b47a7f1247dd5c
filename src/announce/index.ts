/** Announcements: a creator's post, now or at a time, in the community's announcement channels. */
import { defineCapability } from "../core/capability.js";
import { announceCommand } from "./announce-command.js";
import { announcementWork } from "./announcements.js";
import { announceSettingsSection } from "./settings-schema.js";
export { announceSettingsSection, type AnnounceConfig } from "./settings-schema.js";

export const announce = defineCapability({
  name: "announce",
  settings: [announceSettingsSection],
  commands: [announceCommand],
  work: (services) => [announcementWork(services)],
});

// What live events share with announcements: where posts go, posting once, reading times.
export { describeTargets, fallbackNote, placeAnnouncement, storedTargets } from "./channels.js";
export { postOnce } from "./post-once.js";
export { DURATION_MAX_MINUTES, describeDuration, looksLikeDuration, looksLikeTime, parseDuration, parseTime } from "./time-input.js";
