/** The code-review queue. The `review` section of each community in the communities file. */
import { z } from "zod";
import { channelsSchema, defineSettings } from "../config/communities.js";

export const reviewSettingsSection = defineSettings("review", {
  /** Where /review opens threads; the channel /review ran in when unset. */
  channels: channelsSchema,
  /** Hosts a review link may point at (a subdomain of one counts too). */
  codeHosts: z.array(z.string().regex(/^[a-z0-9.-]+$/, "should be a host name such as github.com")).default(["github.com", "gist.github.com", "gitlab.com", "bitbucket.org"]),
  /** Reviews per calendar month for members with access to a catalog item, by item name; the most generous applies. */
  monthlyQuota: z.record(z.string(), z.number().int().min(0).max(1000)).default({}),
  /** Reviews per month for members without any of those items. */
  freeMonthlyQuota: z.number().int().min(0).max(1000).default(1),
  /** An assigned review not started after this many business hours reminds the reviewer... */
  remindAfterBusinessHours: z.number().min(1).max(24 * 30).default(48),
  /** ...and this many business hours after the reminder it goes to someone else. */
  reassignAfterBusinessHours: z.number().min(1).max(24 * 30).default(24),
});

export type ReviewConfig = typeof reviewSettingsSection.defaults;

declare module "../config/communities.js" {
  interface CommunitySections {
    readonly review: { readonly review: ReviewConfig };
  }
}
