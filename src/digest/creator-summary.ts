/**
 * The creator-only summary (opt-in: `schedule.digest.creatorSummary` in the communities
 * file): once a week, on the digest's weekday and hour, insights' figures of the week go to
 * the admin log channels. It is recorded like a digest slot (`DigestRun`), but keyed by the
 * community's calendar week, so it goes out at most once a week even when several processes
 * run the job or a creator moves the digest's day or hour after this week's went out.
 */
import type { CommunityConfig } from "../config/communities.js";
import type { Services } from "../core/services.js";
import { addDays, localTime, weekday } from "../core/zoned-time.js";
import { PROCESS_HOLDER } from "../db/lease.js";
import type { Logger } from "../log/logger.js";
import type { InsightsService } from "../insights/index.js";
import { lastDueSlot, nextDueSlot } from "./due.js";
import { when } from "../core/digest-text.js";
import type { DigestPass } from "./job.js";
import { claimSlot, finishSlot, recordedKeys, releaseSlot, type SlotClaim } from "./runs.js";
import { creatorSummaryTargets, type DigestSettings, effectiveDigestSettings } from "./settings.js";

/** A summary later than this after its slot is skipped, as a digest is. */
const CATCH_UP_MS = 6 * 3_600_000;

export type CreatorSummaryDeps = Pick<Services, "db" | "clock" | "chat" | "delivery"> & { readonly insights: InsightsService };

/** `creator-summary:<communityId>:<Monday of the slot's week, in the community's zone>`. */
export function creatorSummaryKey(communityId: string, slot: Date, zone: string): string {
  const local = localTime(slot, zone);
  const monday = addDays(local, -((weekday(local) + 6) % 7));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `creator-summary:${communityId}:${monday.year}-${pad(monday.month)}-${pad(monday.day)}`;
}

/** One pass: posts each community's summary that is due and not yet recorded this week. */
export async function runCreatorSummaries(services: CreatorSummaryDeps, communities: readonly CommunityConfig[], log: Logger, holder = PROCESS_HOLDER): Promise<DigestPass[]> {
  const wanted = communities.filter((c) => c.schedule.digest.creatorSummary);
  if (wanted.length === 0) return [];
  const now = services.clock.now();
  const [rows, stored] = await Promise.all([
    services.db.community.findMany({ where: { slug: { in: wanted.map((c) => c.slug) } }, select: { id: true, slug: true, name: true, spaces: { select: { platform: true, externalId: true } } } }),
    services.db.digestSettings.findMany(),
  ]);
  const storedBy = new Map(stored.map((s) => [s.communityId, s]));
  const due = rows.flatMap((row) => {
    const config = wanted.find((c) => c.slug === row.slug);
    const settings = effectiveDigestSettings(config, storedBy.get(row.id) ?? null);
    // Weekly on the digest's day and hour, whatever its cadence; nothing while digests are off.
    const slot = lastDueSlot({ ...settings, cadence: settings.cadence === "off" ? "off" : "weekly" }, settings.timezone, now);
    const targets = creatorSummaryTargets(config, row.spaces, services.chat);
    if (!slot || targets.length === 0) return [];
    const claim: SlotClaim = { key: creatorSummaryKey(row.id, slot, settings.timezone), communityId: row.id, slot, holder, at: now };
    return [{ community: row, claim, targets }];
  });
  const recorded = await recordedKeys(services.db, due.map((d) => d.claim.key!));
  const passes: DigestPass[] = [];
  for (const d of due) {
    if (recorded.has(d.claim.key!)) continue;
    const where = { community: d.community.slug, slot: d.claim.slot.toISOString() };
    try {
      if (now.getTime() - d.claim.slot.getTime() > CATCH_UP_MS) {
        const missed = await claimSlot(services.db, d.claim, "missed");
        if (missed) log.info(where, "skipping a creator summary missed while down: outside its catch-up window");
        passes.push({ communityId: d.community.id, slot: d.claim.slot, outcome: missed ? "missed" : "taken" });
        continue;
      }
      if (!(await claimSlot(services.db, d.claim, "running"))) {
        passes.push({ communityId: d.community.id, slot: d.claim.slot, outcome: "taken" });
        continue;
      }
      const post = await services.insights.weeklySummary(d.community, d.claim.slot).catch(async (error: unknown) => {
        // Nothing went out: give the week back so a later pass tries again.
        await releaseSlot(services.db, d.claim);
        throw error;
      });
      const failed = await services.delivery.post(d.targets, [post]);
      const outcome = failed.length === d.targets.length ? "failed" : "posted";
      await finishSlot(services.db, d.claim, outcome, 1, services.clock.now());
      if (outcome === "posted") log.info({ ...where, channels: d.targets.length - failed.length }, "creator summary posted");
      else log.warn(where, "creator summary could not be posted to any admin log channel");
      passes.push({ communityId: d.community.id, slot: d.claim.slot, outcome });
    } catch (error) {
      log.error({ err: error, ...where }, "could not build the creator summary; the next pass tries again");
    }
  }
  return passes;
}

/**
 * For `/digest preview`: when the next creator summary posts and what it would say now (the
 * 7 days before today); undefined when it is off. The playground runs no jobs, so this is
 * where a playground creator sees it.
 */
export async function creatorSummaryPreview(
  services: Pick<CreatorSummaryDeps, "insights">,
  community: { id: string; slug: string; name: string; config: CommunityConfig | undefined },
  settings: DigestSettings,
  now: Date,
): Promise<string | undefined> {
  if (!community.config?.schedule.digest.creatorSummary || settings.cadence === "off") return undefined;
  const next = nextDueSlot({ ...settings, cadence: "weekly" }, settings.timezone, now)!;
  const post = await services.insights.weeklySummary(community, now);
  return `_The weekly creator summary posts ${when(next)} in the admin log channels. As it stands:_\n**${post.title}**\n${post.text}`;
}
