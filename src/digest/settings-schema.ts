/** The digest's part of each community's `schedule` section (shared with announce's channels). */
import { z } from "zod";
import { channelsSchema, defineSettings } from "../config/communities.js";

export const DIGEST_SECTIONS = ["courses", "solved", "waiting", "reviews", "helpers", "levels", "events", "members"] as const;

export const digestSettingsSection = defineSettings("schedule", {
  digest: z
    .object({
      cadence: z.enum(["daily", "weekly", "off"], { message: "should be daily, weekly or off" }).default("weekly"),
      /** 0 is Sunday; weekly digests only. */
      weekday: z.number().int().min(0).max(6).default(1),
      /** Hour of day in the community's time zone. */
      hour: z.number().int().min(0).max(23).default(9),
      /** Where the digest is posted; the announcement channels when unset. */
      channels: channelsSchema,
      /** Sections to include, in order. */
      sections: z.array(z.enum(DIGEST_SECTIONS)).default([...DIGEST_SECTIONS]),
      /**
       * Also post a creator-only summary of the week's figures (insights) to the admin log
       * channels (`commerce.adminLogChannels`), once a week on the digest's weekday and hour.
       */
      creatorSummary: z.boolean().default(false),
    })
    .prefault({}),
});

export type DigestConfig = (typeof digestSettingsSection.defaults)["digest"];

declare module "../config/communities.js" {
  interface CommunitySections {
    readonly digest: { readonly schedule: { readonly digest: DigestConfig } };
  }
}
