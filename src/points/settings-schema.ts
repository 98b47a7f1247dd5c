/** Points and the peer-kudos rules; every cap is per community. The `points` section of each community in the communities file. */
import { z } from "zod";
import { channelsSchema, defineSettings, slackChannel, snowflake } from "../config/communities.js";

/**
 * A level members reach by the points they earned over their lifetime (redeeming rewards
 * never lowers it). Reaching it grants its roles, channels and catalog items (by name), on
 * top of what lower levels granted.
 */
const levelSchema = z.object({
  name: z.string().min(1).max(40),
  minPoints: z.number().int().min(0).max(10_000_000),
  discordRoles: z.array(snowflake).default([]),
  slackChannels: z.array(slackChannel).default([]),
  items: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "should be a catalog item's short name such as async-rust")).default([]),
});

/** Levels in order of their points; two levels never share a name or a threshold. */
const levelsSchema = z
  .array(levelSchema)
  .default([])
  .superRefine((levels, ctx) => {
    levels.forEach((level, i) => {
      const before = levels[i - 1];
      if (before && level.minPoints <= before.minPoints) ctx.addIssue({ code: "custom", path: [i, "minPoints"], message: `should be more than the level before it (${before.name}: ${before.minPoints}); list levels from the fewest points up` });
      if (levels.findIndex((l) => l.name.toLowerCase() === level.name.toLowerCase()) !== i) ctx.addIssue({ code: "custom", path: [i, "name"], message: `${level.name} is listed twice` });
    });
  });

export const pointsSettingsSection = defineSettings("points", {
  thanks: z
    .object({
      /** Points one /thanks gives. */
      points: z.number().int().min(1).max(100).default(1),
      perGiverPerDay: z.number().int().min(0).max(1000).default(5),
      perReceiverPerDay: z.number().int().min(0).max(1000).default(20),
      perPairPerWeek: z.number().int().min(0).max(1000).default(3),
      /** Members who joined more recently than this cannot give kudos. */
      minMemberAgeHours: z.number().min(0).max(24 * 90).default(24),
    })
    .prefault({}),
  /** Where badges and other point news are announced when they have no channel of their own. */
  announceChannels: channelsSchema,
  /** Levels by lifetime points earned; none by default. */
  levels: levelsSchema,
  /** Where level-ups are announced; `announceChannels` when unset. */
  levelUpChannels: channelsSchema,
});

export type PointsConfig = typeof pointsSettingsSection.defaults;

declare module "../config/communities.js" {
  interface CommunitySections {
    readonly points: { readonly points: PointsConfig };
  }
}
