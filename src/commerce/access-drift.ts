// The drift check: what members hold on Discord and Slack compared with what Guildhall owes
// them, for the roles and channels it manages (those some catalog item grants) and no others.
// A paid role removed by hand is given back; a managed role held by someone owed nothing is
// removed (unless the community turned removal off: then it is only reported).
import type { CommunityConfig } from "../config/communities.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { AccessGateways, AdminLog } from "../core/platform-services.js";
import type { EntitlementService } from "./entitlement-service.js";

/** One difference: `missing` is owed but not held, `extra` is held but not owed. */
export interface DriftEntry {
  readonly platform: "discord" | "slack";
  readonly userId: string;
  readonly who: string;
  readonly target: string;
  readonly targetName: string;
  readonly kind: "missing" | "extra";
  /** What was done: repaired, left (dry run, or removal turned off), or failed. */
  readonly outcome: "repaired" | "left" | "failed";
}

export interface DriftReport {
  readonly entries: readonly DriftEntry[];
  /** Platform API calls the check made, reads and repairs. */
  readonly calls: number;
  readonly dryRun: boolean;
  /** Whether the community removes managed access nobody owes (else it only reports it). */
  readonly removeUnowed: boolean;
}

export interface DriftOptions {
  readonly dryRun?: boolean;
  /** Check one member only (/access show and /access sync). */
  readonly memberId?: string;
  /** Post a summary to the admin log when something differed (scheduled runs and /access sync). */
  readonly report?: boolean;
}

export class AccessDrift {
  constructor(
    private readonly db: Db,
    private readonly entitlements: EntitlementService,
    private readonly gateways: AccessGateways,
    private readonly adminLog: AdminLog | undefined,
    private readonly communities: readonly CommunityConfig[],
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Every community with a schedule due at this hour (every `driftCheck.everyHours`, 6 by default). */
  async checkDue(): Promise<void> {
    const hour = this.clock.now().getUTCHours();
    const rows = await this.db.community.findMany({ select: { id: true, slug: true } });
    for (const row of rows) {
      const every = this.#settings(row.slug).everyHours;
      if (hour % every !== 0) continue;
      const report = await this.check(row.id, { report: true }).catch((error: unknown) => {
        this.log.error({ err: error, community: row.slug }, "drift check failed");
        return undefined;
      });
      if (report) this.log.info({ community: row.slug, differences: report.entries.length, calls: report.calls }, "drift check finished");
    }
  }

  async check(communityId: string, options: DriftOptions = {}): Promise<DriftReport> {
    const community = await this.db.community.findUnique({ where: { id: communityId } });
    if (!community) return { entries: [], calls: 0, dryRun: options.dryRun ?? false, removeUnowed: true };
    const removeUnowed = this.#settings(community.slug).removeUnowed;
    const [managed, spaces] = await Promise.all([this.entitlements.managedAccess(communityId), this.db.platformSpace.findMany({ where: { communityId } })]);
    const now = this.clock.now();
    const entries: DriftEntry[] = [];
    let calls = 0;
    for (const platform of ["discord", "slack"] as const) {
      const gateway = this.gateways[platform];
      const space = spaces.find((s) => s.platform === platform);
      const targets = platform === "discord" ? managed.discordRoleIds : managed.slackChannelIds;
      if (!gateway?.holders || !space || targets.length === 0) continue;
      const accounts = await this.db.platformAccount.findMany({ where: { communityId, platform, ...(options.memberId ? { memberId: options.memberId } : {}) } });
      if (options.memberId && accounts.length === 0) continue;
      const read = await gateway.holders(space.externalId, targets, options.memberId ? accounts.map((a) => a.externalId) : undefined);
      calls += read.calls;
      const byUser = new Map(accounts.map((a) => [a.externalId, a]));
      const users = new Set([...[...read.held].filter(([, held]) => held.size > 0).map(([user]) => user), ...byUser.keys()]);
      const found: DriftEntry[] = [];
      for (const userId of users) {
        const account = byUser.get(userId);
        const desired = account ? await this.entitlements.desiredAccess(account.memberId, now) : undefined;
        const owed = new Set((platform === "discord" ? desired?.discordRoleIds : desired?.slackChannelIds)?.filter((t) => targets.includes(t)) ?? []);
        const held = read.held.get(userId) ?? new Set<string>();
        // Someone not in the guild at all is owed a join, not a role: their sync follows when they join.
        const present = !read.everyoneListed || read.held.has(userId);
        const missing = present ? [...owed].filter((t) => !held.has(t)) : [];
        const extra = [...held].filter((t) => !owed.has(t));
        if (missing.length === 0 && extra.length === 0) continue;
        const who = account?.displayName ?? `<@${userId}>`;
        const revoke = removeUnowed ? extra : [];
        let result: Awaited<ReturnType<typeof gateway.apply>> | undefined;
        if (!options.dryRun && (missing.length > 0 || revoke.length > 0)) {
          result = await gateway.apply({ spaceId: space.externalId, userId, grant: missing, revoke });
          calls += missing.length + revoke.length + (platform === "discord" ? 1 : 0);
        }
        const outcomeOf = (target: string, kind: "missing" | "extra"): DriftEntry["outcome"] => {
          if (!result || (kind === "extra" && !removeUnowed)) return "left";
          return (kind === "missing" ? result.granted : result.revoked).includes(target) ? "repaired" : "failed";
        };
        const name = (t: string) => read.names.get(t) ?? (platform === "discord" ? `<@&${t}>` : `<#${t}>`);
        for (const t of missing) found.push({ platform, userId, who, target: t, targetName: name(t), kind: "missing", outcome: outcomeOf(t, "missing") });
        for (const t of extra) found.push({ platform, userId, who, target: t, targetName: name(t), kind: "extra", outcome: outcomeOf(t, "extra") });
      }
      entries.push(...found);
      if (options.report && !options.dryRun && found.length > 0 && this.adminLog) {
        await this.adminLog.report(platform, space.externalId, describeDrift({ entries: found, calls: read.calls, dryRun: false, removeUnowed }));
      }
    }
    return { entries, calls, dryRun: options.dryRun ?? false, removeUnowed };
  }

  #settings(slug: string): { everyHours: number; removeUnowed: boolean } {
    const config = this.communities.find((c) => c.slug === slug)?.commerce.driftCheck;
    return { everyHours: config?.everyHours ?? 6, removeUnowed: config?.removeUnowed ?? true };
  }
}

/** The differences as an admin reads them, one line each. */
export function describeDrift(report: DriftReport): string {
  if (report.entries.length === 0) return `No drift: everyone holds exactly what they are owed (${report.calls} platform calls).`;
  const head = `Drift check${report.dryRun ? " (dry run: nothing changed)" : ""}: ${report.entries.length} difference(s), ${report.calls} platform calls.`;
  const lines = report.entries.map((e) => {
    const where = e.platform === "discord" ? `${e.targetName} role` : e.targetName;
    if (e.kind === "missing") {
      const done = e.outcome === "repaired" ? "given back" : e.outcome === "failed" ? "could not be given back (see the notice)" : "would be given back";
      return `• ${e.who} is owed ${where} but did not hold it (removed by hand?): ${done}.`;
    }
    const done = e.outcome === "repaired" ? "removed" : e.outcome === "failed" ? "could not be removed (see the notice)" : report.removeUnowed && report.dryRun ? "would be removed" : "left in place (removal is off for this community)";
    return `• ${e.who} holds ${where} but is owed nothing for it: ${done}.`;
  });
  return [head, ...lines].join("\n");
}
