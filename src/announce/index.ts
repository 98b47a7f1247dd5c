/** Announcements: a creator's post, now or at a time, in the community's announcement channels. */
import { defineCapability } from "../core/capability.js";
import { announceCommand } from "./announce-command.js";
import { announcementWork } from "./announcements.js";

export const announce = defineCapability({
  name: "announce",
  commands: [announceCommand],
  work: (services) => [announcementWork(services)],
});
