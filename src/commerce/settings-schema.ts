/** Commerce policies, with the defaults the product promises. The `commerce` section of each community in the communities file. */
import { z } from "zod";
import { snowflake, slackChannel, defineSettings } from "../config/communities.js";

export const commerceSettingsSection = defineSettings("commerce", {
  /** Days of access after a failed renewal payment, while the member fixes their card. */
  graceDays: z.number().int().min(0).max(60).default(7),
  /** A cancelled membership keeps access until the end of the period already paid for, or ends at once. */
  cancelledAccess: z.enum(["until_period_end", "immediately"], { message: "should be until_period_end or immediately" }).default("until_period_end"),
  /** A subscription in its free trial grants access. */
  trialsGrantAccess: z.boolean().default(true),
  /** A full refund or a dispute ends the access that payment bought, at once. */
  refundsEndAccess: z.boolean().default(true),
  /** Where access problems an admin must fix are reported. */
  adminLogChannels: z.object({ discord: snowflake.optional(), slack: slackChannel.optional() }).default({}),
  /**
   * The drift check of managed roles and channels: how often (every N hours, at the top of
   * the hour, UTC) and whether a managed role or channel held by someone owed nothing is
   * removed (true) or only reported (false). Paid access removed by hand is always given back.
   */
  driftCheck: z.object({ everyHours: z.number().int().min(1).max(24).default(6), removeUnowed: z.boolean().default(true) }).default({ everyHours: 6, removeUnowed: true }),
});

export type CommerceConfig = typeof commerceSettingsSection.defaults;

declare module "../config/communities.js" {
  interface CommunitySections {
    readonly commerce: { readonly commerce: CommerceConfig };
  }
}
