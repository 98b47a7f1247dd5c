import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { InternalError } from "../core/errors.js";

/**
 * The communities file: each community's name, platforms and who counts as a creator or admin
 * (this module), and one section per capability (`review`, `points`, …), which the capability
 * declares in its folder with {@link defineSettings} and lists in its `settings`. The app
 * composes them (src/capabilities.ts → loadConfig), so this module knows no capability.
 */
export const snowflake = z.string().regex(/^\d{5,20}$/, "should be a numeric Discord id");
const slackUser = z.string().regex(/^[UW][A-Z0-9]{2,}$/, "should be a Slack user id such as U012AB3CD");
export const slackGroup = z.string().regex(/^S[A-Z0-9]{2,}$/, "should be a Slack user-group id such as S0614TZR7");
export const slackChannel = z.string().regex(/^[CG][A-Z0-9]{2,}$/, "should be a Slack channel id such as C012AB3CD");

/** A channel on each platform the community uses. */
export const channelsSchema = z.object({ discord: snowflake.optional(), slack: slackChannel.optional() }).prefault({});

/**
 * A capability's fields in one section of every community's entry. Several capabilities may
 * share a section (announce and digest both fill `schedule`); a section absent from the file
 * gets every field's default.
 */
export interface SettingsSection {
  readonly key: string;
  readonly fields: z.ZodRawShape;
}

/** Declares a capability's fields in section `key`, with `defaults` for a community that has no configuration. */
export function defineSettings<const K extends string, F extends z.ZodRawShape>(key: K, fields: F) {
  const schema = z.object(fields);
  return { key, fields, defaults: schema.parse({}) as z.output<typeof schema> };
}

/**
 * What capabilities add to a community's configuration: each one augments this interface with
 * `readonly <capability>: { readonly <section>: <its type> }`, e.g. in src/review/settings-schema.ts:
 *
 *     declare module "../config/communities.js" {
 *       interface CommunitySections { readonly review: { readonly review: ReviewConfig } }
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation
export interface CommunitySections {}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every capability's sections together (two capabilities' parts of one section intersect). */
export type SectionsConfig = UnionToIntersection<CommunitySections[keyof CommunitySections]>;

/** Who counts as a creator or an admin, per platform. Admins may do everything creators may. */
const baseSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "should be lowercase letters, digits and dashes"),
  name: z.string().min(1).max(100),
  /** IANA time zone for schedules, business hours and dates in posts. */
  timezone: z.string().refine(isTimeZone, "should be an IANA time zone such as Europe/Berlin").default("UTC"),
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

export type CommunityConfig = z.infer<typeof baseSchema> & SectionsConfig;
export type DiscordCommunityConfig = NonNullable<CommunityConfig["discord"]>;
export type SlackCommunityConfig = NonNullable<CommunityConfig["slack"]>;

/** The sections' fields merged by key, each section an object whose absent fields take their defaults. */
function sectionSchemas(sections: readonly SettingsSection[]): Record<string, z.ZodType> {
  const merged = new Map<string, z.ZodRawShape>();
  for (const { key, fields } of sections) {
    const before = merged.get(key) ?? {};
    const clash = Object.keys(fields).find((field) => field in before);
    if (clash) throw new InternalError("settings_field_twice", `Two capabilities declare ${key}.${clash} in the communities file`);
    merged.set(key, { ...before, ...fields });
  }
  return Object.fromEntries([...merged].map(([key, fields]) => [key, z.object(fields).prefault({})]));
}

/** Every section's defaults, by section: the configuration of a community that has none. */
export function sectionDefaults(sections: readonly SettingsSection[]): SectionsConfig {
  return z.object(sectionSchemas(sections)).parse({}) as SectionsConfig;
}

export const DEFAULT_COMMUNITIES_FILE = "guildhall.communities.json";

/**
 * Reads the communities file. A missing default file means "no community configured yet":
 * guilds and workspaces then get a community of their own on first use, with only
 * platform administrators as admins. A file that was named explicitly must exist.
 */
export function loadCommunities(path: string | undefined, sections: readonly SettingsSection[]): { communities: CommunityConfig[] } | { problems: string[] } {
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
  const fileSchema = z.object({ communities: z.array(baseSchema.extend(sectionSchemas(sections))).default([]) });
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`) };
  }
  const problems = duplicates(parsed.data.communities as CommunityConfig[]).map((d) => `${file}: ${d}`);
  return problems.length > 0 ? { problems } : { communities: parsed.data.communities as CommunityConfig[] };
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

/** The community's IANA time zone; UTC for a community with no configuration. */
export function timezoneOf(config: Pick<CommunityConfig, "timezone"> | undefined): string {
  return config?.timezone ?? "UTC";
}
