/**
 * A community's digest settings: what `/digest settings` stored (the DigestSettings row) over
 * the communities file's `schedule.digest` defaults, and where the digest is posted.
 */
import type { ChatPosters } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { type CommunityConfig, timezoneOf } from "../config/communities.js";
import { announceSettingsSection } from "../announce/index.js";
import { DIGEST_SECTIONS, digestSettingsSection } from "./settings-schema.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import type { ChannelTarget } from "../core/jobs/delivery.js";
import type { DigestSchedule } from "./due.js";

export type DigestSectionName = (typeof DIGEST_SECTIONS)[number];
export type DigestCadence = DigestSchedule["cadence"];

export interface DigestSettings extends DigestSchedule {
  /** Sections to include, in this order. */
  readonly sections: readonly DigestSectionName[];
  /** The community's IANA time zone: the hour and weekday are read in it. */
  readonly timezone: string;
}

/** The stored row's columns (as `/digest settings` writes them). */
export interface StoredDigestSettings {
  readonly cadence: string;
  readonly weekday: number;
  readonly hour: number;
  readonly sections: readonly string[];
}

const CADENCES: readonly string[] = ["daily", "weekly", "off"];

export const isDigestSection = (name: string): name is DigestSectionName => (DIGEST_SECTIONS as readonly string[]).includes(name);

/** The settings in force: the stored row where there is one, else the configured defaults. */
export function effectiveDigestSettings(config: CommunityConfig | undefined, stored: StoredDigestSettings | null): DigestSettings {
  const timezone = timezoneOf(config);
  const defaults = config?.schedule.digest ?? digestSettingsSection.defaults.digest;
  if (!stored) return { cadence: defaults.cadence, weekday: defaults.weekday, hour: defaults.hour, sections: defaults.sections, timezone };
  // An empty list means every section (that is what `sections:all` stores).
  const known = stored.sections.filter(isDigestSection);
  const sections = stored.sections.length === 0 ? [...DIGEST_SECTIONS] : known.length > 0 ? known : defaults.sections;
  return {
    cadence: CADENCES.includes(stored.cadence) ? (stored.cadence as DigestCadence) : defaults.cadence,
    weekday: stored.weekday >= 0 && stored.weekday <= 6 ? stored.weekday : defaults.weekday,
    hour: stored.hour >= 0 && stored.hour <= 23 ? stored.hour : defaults.hour,
    sections,
    timezone,
  };
}

/** Reads a community's settings in force. */
export async function loadDigestSettings(db: Db | Tx, communityId: string, config: CommunityConfig | undefined): Promise<DigestSettings> {
  return effectiveDigestSettings(config, await db.digestSettings.findUnique({ where: { communityId } }));
}

/** Stores a community's settings (every column: later config changes no longer apply to it). */
export async function saveDigestSettings(db: Db | Tx, communityId: string, settings: StoredDigestSettings): Promise<void> {
  const data = { cadence: settings.cadence, weekday: settings.weekday, hour: settings.hour, sections: [...settings.sections] };
  await db.digestSettings.upsert({ where: { communityId }, create: { communityId, ...data }, update: data });
}

/** The channel the digest goes to on a platform: its own channel, else the announcement channel. */
export function digestChannel(config: CommunityConfig | undefined, platform: PlatformName): string | undefined {
  // The playground has one channel.
  if (platform === "playground") return "general";
  const digest = config?.schedule.digest ?? digestSettingsSection.defaults.digest;
  return digest.channels[platform] ?? (config?.schedule ?? announceSettingsSection.defaults).announcementChannels[platform];
}

/** Where to post: the digest channel in each of the community's spaces whose platform is running. */
export function digestTargets(config: CommunityConfig | undefined, spaces: readonly { platform: string; externalId: string }[], chat: ChatPosters): ChannelTarget[] {
  const targets: ChannelTarget[] = [];
  for (const space of spaces) {
    const platform = space.platform as PlatformName;
    const channelId = chat[platform] ? digestChannel(config, platform) : undefined;
    if (channelId) targets.push({ platform, spaceId: space.externalId, channelId });
  }
  return targets;
}

/** The playground's stand-in for an admin log channel (it prints where a post went). */
export const PLAYGROUND_ADMIN_LOG = "admin-log";

/**
 * Where the creator summary goes: the admin log channel (`commerce.adminLogChannels`) in each
 * of the community's spaces whose platform is running; none when the summary is not turned on.
 */
export function creatorSummaryTargets(config: CommunityConfig | undefined, spaces: readonly { platform: string; externalId: string }[], chat: ChatPosters): ChannelTarget[] {
  if (!config?.schedule.digest.creatorSummary) return [];
  const targets: ChannelTarget[] = [];
  for (const space of spaces) {
    const platform = space.platform as PlatformName;
    const channelId = platform === "playground" ? PLAYGROUND_ADMIN_LOG : config.commerce.adminLogChannels[platform];
    if (chat[platform] && channelId) targets.push({ platform, spaceId: space.externalId, channelId });
  }
  return targets;
}
