import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

const snowflake = z.string().regex(/^\d{5,20}$/, "should be a numeric Discord id");
const slackUser = z.string().regex(/^[UW][A-Z0-9]{2,}$/, "should be a Slack user id such as U012AB3CD");
const slackGroup = z.string().regex(/^S[A-Z0-9]{2,}$/, "should be a Slack user-group id such as S0614TZR7");

/** Commerce policies, with the defaults the product promises. */
const commerceSchema = z
  .object({
    /** Days of access after a failed renewal payment, while the member fixes their card. */
    graceDays: z.number().int().min(0).max(60).default(7),
    /** A cancelled membership keeps access until the end of the period already paid for, or ends at once. */
    cancelledAccess: z.enum(["until_period_end", "immediately"], { message: "should be until_period_end or immediately" }).default("until_period_end"),
    /** A subscription in its free trial grants access. */
    trialsGrantAccess: z.boolean().default(true),
    /** A full refund or a dispute ends the access that payment bought, at once. */
    refundsEndAccess: z.boolean().default(true),
    /** Where access problems an admin must fix are reported. */
    adminLogChannels: z.object({ discord: snowflake.optional(), slack: z.string().regex(/^[CG][A-Z0-9]{2,}$/, "should be a Slack channel id such as C012AB3CD").optional() }).default({}),
  })
  .default({ graceDays: 7, cancelledAccess: "until_period_end", trialsGrantAccess: true, refundsEndAccess: true, adminLogChannels: {} });

/** Who counts as a creator or an admin, per platform. Admins may do everything creators may. */
const communitySchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "should be lowercase letters, digits and dashes"),
  name: z.string().min(1).max(100),
  timezone: z.string().default("UTC"),
  commerce: commerceSchema,
  discord: z
    .object({
      guildId: snowflake,
      creatorRoleIds: z.array(snowflake).default([]),
      adminRoleIds: z.array(snowflake).default([]),
    })
    .optional(),
  slack: z
    .object({
      teamId: z.string().regex(/^[TE][A-Z0-9]{2,}$/, "should be a Slack team id such as T012AB3CD"),
      creatorUserIds: z.array(slackUser).default([]),
      creatorUserGroupIds: z.array(slackGroup).default([]),
      adminUserIds: z.array(slackUser).default([]),
      adminUserGroupIds: z.array(slackGroup).default([]),
    })
    .optional(),
});

const fileSchema = z.object({ communities: z.array(communitySchema).default([]) });

export type CommunityConfig = z.infer<typeof communitySchema>;
export type DiscordCommunityConfig = NonNullable<CommunityConfig["discord"]>;
export type SlackCommunityConfig = NonNullable<CommunityConfig["slack"]>;
export type CommerceConfig = CommunityConfig["commerce"];

/** The policies for a community that has no configuration yet. */
export const DEFAULT_COMMERCE: CommerceConfig = { graceDays: 7, cancelledAccess: "until_period_end", trialsGrantAccess: true, refundsEndAccess: true, adminLogChannels: {} };

export const DEFAULT_COMMUNITIES_FILE = "guildhall.communities.json";

/**
 * Reads the communities file. A missing default file means "no community configured yet":
 * guilds and workspaces then get a community of their own on first use, with only
 * platform administrators as admins. A file that was named explicitly must exist.
 */
export function loadCommunities(path: string | undefined): { communities: CommunityConfig[] } | { problems: string[] } {
  const file = path ?? DEFAULT_COMMUNITIES_FILE;
  if (!existsSync(file)) {
    return path ? { problems: [`GUILDHALL_COMMUNITIES: the file ${file} does not exist`] } : { communities: [] };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { problems: [`${file}: is not valid JSON (${(error as Error).message})`] };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`) };
  }
  const problems = duplicates(parsed.data.communities).map((d) => `${file}: ${d}`);
  return problems.length > 0 ? { problems } : { communities: parsed.data.communities };
}

function duplicates(communities: CommunityConfig[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const c of communities) {
    for (const key of [`slug ${c.slug}`, c.discord && `Discord guild ${c.discord.guildId}`, c.slack && `Slack team ${c.slack.teamId}`]) {
      if (!key) continue;
      const owner = seen.get(key);
      if (owner) problems.push(`${key} is claimed by both ${owner} and ${c.slug}`);
      else seen.set(key, c.slug);
    }
  }
  return problems;
}
