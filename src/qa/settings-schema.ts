/** Questions and answers. The `qa` section of each community in the communities file. */
import { z } from "zod";
import { channelsSchema, slackGroup, snowflake, defineSettings } from "../config/communities.js";

export const qaSettingsSection = defineSettings("qa", {
  /** Where /ask opens threads; the channel /ask ran in when unset. On Discord it may be a forum. */
  helpChannels: channelsSchema,
  /** Who is pinged about questions nobody answered. */
  helpers: z.object({ discordRoleId: snowflake.optional(), slackUserGroupId: slackGroup.optional() }).prefault({}),
  /** A question with no reply after this long is re-posted to the helpers. */
  staleAfterHours: z.number().min(1).max(24 * 30).default(24),
  /** An answered question not accepted after this long gets the asker a reminder. */
  remindAskerAfterHours: z.number().min(1).max(24 * 60).default(72),
  /** How long a bounty waits for an accepted answer before it is settled. */
  bountyDays: z.number().int().min(1).max(60).default(7),
  /** An accepted answer matching this share of an earlier answer by another member has its points held for a creator. */
  copiedShare: z.number().min(0.3).max(1).default(0.7),
});

export type QaConfig = typeof qaSettingsSection.defaults;

declare module "../config/communities.js" {
  interface CommunitySections {
    readonly qa: { readonly qa: QaConfig };
  }
}
