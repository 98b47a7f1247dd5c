/**
 * One job posts every community's digest. Settings change at runtime and each community has
 * its own hour, weekday and time zone, so rather than a cron task per community, a pass every
 * five minutes works out each community's most recent slot and posts it once if it is still
 * recent enough. A slot missed while the bot was down is posted when it comes back within
 * the catch-up window (6 hours), and skipped with a log line after that.
 */
import type { CommunityConfig } from "../config/communities.js";
import type { Services } from "../core/services.js";
import { PROCESS_HOLDER } from "../db/lease.js";
import type { Logger } from "../log/logger.js";
import type { ChannelTarget } from "../core/jobs/delivery.js";
import type { Job } from "../core/jobs/jobs.js";
import { type ComposedDigest, composeDigest } from "./compose.js";
import { type CreatorSummaryDeps, runCreatorSummaries } from "./creator-summary.js";
import { lastDueSlot, previousSlot } from "./due.js";
import { claimSlot, digestKey, type DigestOutcome, finishSlot, recordedKeys, releaseSlot, type SlotClaim } from "./runs.js";
import { type DigestSettings, digestTargets, effectiveDigestSettings } from "./settings.js";

/** A slot later than this is no longer news: skipped, not posted. */
export const DIGEST_CATCH_UP_MS = 6 * 3_600_000;
const WEEK_MS = 7 * 24 * 3_600_000;

export type DigestDeps = Pick<Services, "db" | "clock" | "chat" | "delivery" | "digestSections">;

export interface DigestPass {
  readonly communityId: string;
  readonly slot: Date;
  /** "taken": another process (or an earlier pass) has this slot. */
  readonly outcome: Exclude<DigestOutcome, "running" | "superseded"> | "taken";
}

interface Due {
  readonly community: { id: string; slug: string; name: string };
  readonly settings: DigestSettings;
  readonly claim: SlotClaim;
  readonly targets: readonly ChannelTarget[];
}

/**
 * The job the app schedules; catch-up at start runs a pass at once after downtime. Each pass
 * also posts the weekly creator summaries that are due (creator-summary.ts).
 */
export function digestJob(services: CreatorSummaryDeps & DigestDeps, communities: readonly CommunityConfig[], log: Logger, opts: { holder?: string } = {}): Job {
  return {
    name: "digests",
    cron: "*/5 * * * *",
    timezone: "UTC",
    catchUpWithinMs: DIGEST_CATCH_UP_MS,
    run: async () => {
      await runDigests(services, communities, log, opts.holder);
      await runCreatorSummaries(services, communities, log, opts.holder);
    },
  };
}

/** One pass over every community: posts each digest that is due and not yet recorded. */
export async function runDigests(services: DigestDeps, communities: readonly CommunityConfig[], log: Logger, holder = PROCESS_HOLDER): Promise<DigestPass[]> {
  const now = services.clock.now();
  const due = await dueSlots(services, communities, now, holder);
  const recorded = await recordedKeys(services.db, due.map((d) => digestKey(d.community.id, d.claim.slot)));
  const passes: DigestPass[] = [];
  for (const d of due) {
    if (recorded.has(digestKey(d.community.id, d.claim.slot))) continue;
    try {
      passes.push({ communityId: d.community.id, slot: d.claim.slot, outcome: await runOne(services, d, now, log) });
    } catch (error) {
      log.error({ err: error, community: d.community.slug, slot: d.claim.slot.toISOString() }, "could not build a digest; the next pass tries again");
    }
  }
  return passes;
}

async function dueSlots(services: DigestDeps, communities: readonly CommunityConfig[], now: Date, holder: string): Promise<Due[]> {
  const configs = new Map(communities.map((c) => [c.slug, c]));
  const [rows, stored] = await Promise.all([
    services.db.community.findMany({ select: { id: true, slug: true, name: true, spaces: { select: { platform: true, externalId: true } } } }),
    services.db.digestSettings.findMany(),
  ]);
  const storedBy = new Map(stored.map((s) => [s.communityId, s]));
  const due: Due[] = [];
  for (const row of rows) {
    const config = configs.get(row.slug);
    const settings = effectiveDigestSettings(config, storedBy.get(row.id) ?? null);
    const slot = lastDueSlot(settings, settings.timezone, now);
    const targets = digestTargets(config, row.spaces, services.chat);
    if (!slot || targets.length === 0) continue;
    due.push({ community: row, settings, targets, claim: { communityId: row.id, slot, holder, at: now } });
  }
  return due;
}

async function runOne(services: DigestDeps, d: Due, now: Date, log: Logger): Promise<DigestPass["outcome"]> {
  const { db } = services;
  const slot = d.claim.slot;
  const late = now.getTime() - slot.getTime();
  const where = { community: d.community.slug, slot: slot.toISOString() };
  if (late > DIGEST_CATCH_UP_MS) {
    if (!(await claimSlot(db, d.claim, "missed"))) return "taken";
    log.info({ ...where, lateMinutes: Math.round(late / 60_000) }, "skipping a digest missed while down: outside its catch-up window");
    return "missed";
  }
  if (!(await claimSlot(db, d.claim, "running"))) return "taken";
  const composed = await composeOrRelease(services, d, now);
  if (composed.posts.length === 0) {
    await finishSlot(db, d.claim, "empty", 0, now);
    return "empty";
  }
  const failed = await services.delivery.post(d.targets, composed.posts);
  const outcome = failed.length === d.targets.length ? "failed" : "posted";
  await finishSlot(db, d.claim, outcome, composed.posts.length, services.clock.now());
  const report = { ...where, posts: composed.posts.length, channels: d.targets.length - failed.length, failed: failed.length };
  // A failed post is not retried: part of the digest may have gone out, and a repeat would be worse.
  if (outcome === "posted") log.info(report, "digest posted");
  else log.warn(report, "digest could not be posted anywhere");
  return outcome;
}

/** The digest for the slot; on failure the claim is given back (nothing went out), so a later pass retries. */
async function composeOrRelease(services: DigestDeps, d: Due, now: Date): Promise<ComposedDigest> {
  const slot = d.claim.slot;
  try {
    const from = previousSlot(d.settings, d.settings.timezone, slot) ?? new Date(slot.getTime() - WEEK_MS);
    return await composeDigest(services.db, { community: d.community, settings: d.settings, from, to: slot, now }, services.digestSections);
  } catch (error) {
    await releaseSlot(services.db, d.claim);
    throw error;
  }
}
