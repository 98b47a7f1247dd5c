/** Live events: scheduling, RSVPs, reminders before and the "live now" post at the start. */
import { defineCapability } from "../core/capability.js";
import { liveDigestSections } from "./digest-sections.js";
import { liveCounts } from "./insight-counts.js";
import { liveCommand } from "./live-commands.js";
import { LiveService } from "./live-service.js";
import { liveWork } from "./live-work.js";
import { moveLive } from "./merge.js";
import { rsvpAction } from "./rsvp-action.js";

export type { LiveService } from "./live-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Live events, as other capabilities may read them. */
    readonly live: LiveService;
  }
}

export const live = defineCapability({
  name: "live",
  provide(services) {
    // RSVPs and events follow a /link merge, in its transaction.
    services.identity.onMerge(moveLive);
    return { live: new LiveService(services.db) };
  },
  commands: [liveCommand],
  actions: [rsvpAction],
  work: (services) => liveWork(services),
  counts: liveCounts,
  digestSections: liveDigestSections,
});
