/** Live events: scheduling, RSVPs, reminders before and the "live now" post at the start. */
import { defineCapability } from "../core/capability.js";
import { liveCounts } from "./insight-counts.js";
import { liveCommand } from "./live-commands.js";
import { liveWork } from "./live-work.js";
import { rsvpAction } from "./rsvp-action.js";

export const live = defineCapability({
  name: "live",
  commands: [liveCommand],
  actions: [rsvpAction],
  work: (services) => liveWork(services),
  counts: liveCounts,
});
