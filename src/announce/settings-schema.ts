/** Where /announce and /live post: the announce capability's part of each community's `schedule` section. */
import { channelsSchema, defineSettings } from "../config/communities.js";

export const announceSettingsSection = defineSettings("schedule", {
  /** Where /announce and /live post, on each platform the community uses. */
  announcementChannels: channelsSchema,
});

export type AnnounceConfig = typeof announceSettingsSection.defaults;

declare module "../config/communities.js" {
  interface CommunitySections {
    readonly announce: { readonly schedule: AnnounceConfig };
  }
}
