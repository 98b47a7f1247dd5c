import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

const snowflake = z.string().regex(/^\d{5,20}$/, "should be a numeric Discord id");
const slackUser = z.string().regex(/^[UW][A-Z0-9]{2,}$/, "should be a Slack user id such as U012AB3CD");
const slackGroup = z.string().regex(/^S[A-Z0-9]{2,}$/, "should be a Slack user-group id such as S0614TZR7");
const slackChannel = z.string().regex(/^[CG][A-Z0-9]{2,}$/, "should be a Slack channel id such as C012AB3CD");

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
    adminLogChannels: z.object({ discord: snowflake.optional(), slack: slackChannel.optional() }).default({}),
    /**
     * The drift check of managed roles and channels: how often (every N hours, at the top of
     * the hour, UTC) and whether a managed role or channel held by someone owed nothing is
     * removed (true) or only reported (false). Paid access removed by hand is always given back.
     */
    driftCheck: z.object({ everyHours: z.number().int().min(1).max(24).default(6), removeUnowed: z.boolean().default(true) }).default({ everyHours: 6, removeUnowed: true }),
  })
  .default({ graceDays: 7, cancelledAccess: "until_period_end", trialsGrantAccess: true, refundsEndAccess: true, adminLogChannels: {}, driftCheck: { everyHours: 6, removeUnowed: true } });

/** A channel on each platform the community uses. */
const channelsSchema = z.object({ discord: snowflake.optional(), slack: slackChannel.optional() }).prefault({});

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

/** Points and the peer-kudos rules; every cap is per community. */
const pointsSchema = z
  .object({
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
  })
  .prefault({});

/** Questions and answers. */
const qaSchema = z
  .object({
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
  })
  .prefault({});

/** The code-review queue. */
const reviewSchema = z
  .object({
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
  })
  .prefault({});

export const DIGEST_SECTIONS = ["courses", "solved", "waiting", "reviews", "helpers", "levels", "events", "members"] as const;

/** Announcements, live events and digests. */
const scheduleSchema = z
  .object({
    /** Where /announce and /live post, on each platform the community uses. */
    announcementChannels: channelsSchema,
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
  })
  .prefault({});

/** Who counts as a creator or an admin, per platform. Admins may do everything creators may. */
const communitySchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "should be lowercase letters, digits and dashes"),
  name: z.string().min(1).max(100),
  /** IANA time zone for schedules, business hours and dates in posts. */
  timezone: z.string().refine(isTimeZone, "should be an IANA time zone such as Europe/Berlin").default("UTC"),
  commerce: commerceSchema,
  points: pointsSchema,
  qa: qaSchema,
  review: reviewSchema,
  schedule: scheduleSchema,
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
export type PointsConfig = CommunityConfig["points"];
export type QaConfig = CommunityConfig["qa"];
export type ReviewConfig = CommunityConfig["review"];
export type ScheduleConfig = CommunityConfig["schedule"];

/** A community's settings with every default filled in, for communities with no configuration. */
export const DEFAULT_SETTINGS = {
  points: pointsSchema.parse(undefined),
  qa: qaSchema.parse(undefined),
  review: reviewSchema.parse(undefined),
  schedule: scheduleSchema.parse(undefined),
};

/** The policies for a community that has no configuration yet. */
export const DEFAULT_COMMERCE: CommerceConfig = { graceDays: 7, cancelledAccess: "until_period_end", trialsGrantAccess: true, refundsEndAccess: true, adminLogChannels: {}, driftCheck: { everyHours: 6, removeUnowed: true } };

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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A community's settings, with defaults for a community that has no configuration. */
export function communitySettings(config: CommunityConfig | undefined) {
  return {
    timezone: config?.timezone ?? "UTC",
    points: config?.points ?? DEFAULT_SETTINGS.points,
    qa: config?.qa ?? DEFAULT_SETTINGS.qa,
    review: config?.review ?? DEFAULT_SETTINGS.review,
    schedule: config?.schedule ?? DEFAULT_SETTINGS.schedule,
  };
}
