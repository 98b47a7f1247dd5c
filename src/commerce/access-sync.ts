import { KeyedQueue } from "../core/keyed-queue.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { AccessGateways, AdminLog } from "../core/platform-services.js";
import type { EntitlementService } from "./entitlement-service.js";

/**
 * Makes each platform match what a member's entitlements say. It grants everything the
 * active entitlements grant and revokes only the managed roles and channels (those some
 * catalog item grants) they no longer justify: roles Guildhall does not manage are never
 * touched. Safe to run any number of times.
 */
export class AccessSync {
  /** One sync per member at a time in this process, so two webhooks cannot both add a role. */
  readonly #running = new KeyedQueue();

  constructor(
    private readonly db: Db,
    private readonly entitlements: EntitlementService,
    private readonly gateways: AccessGateways,
    private readonly adminLog: AdminLog | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Syncs each member in turn; one member's failure is logged and does not stop the rest. */
  async syncMembers(memberIds: readonly string[]): Promise<void> {
    for (const id of new Set(memberIds)) {
      await this.syncMember(id).catch((error: unknown) => this.log.error({ err: error, member: id }, "could not sync a member's access"));
    }
  }

  /** Posts a message to the admin log channel of every platform a community uses. */
  async reportToAdmins(communityId: string, message: string): Promise<void> {
    if (!this.adminLog) return;
    const spaces = await this.db.platformSpace.findMany({ where: { communityId, platform: { in: ["discord", "slack"] } } });
    for (const space of spaces) await this.adminLog.report(space.platform as "discord" | "slack", space.externalId, message);
  }

  /** Someone joined a guild or workspace: if Guildhall knows them there, apply what they are owed. */
  async syncAccount(platform: "discord" | "slack", spaceId: string, userId: string): Promise<void> {
    const space = await this.db.platformSpace.findUnique({ where: { platform_externalId: { platform, externalId: spaceId } } });
    if (!space) return;
    const account = await this.db.platformAccount.findUnique({ where: { communityId_platform_externalId: { communityId: space.communityId, platform, externalId: userId } } });
    if (account) await this.syncMember(account.memberId);
  }

  async syncMember(memberId: string): Promise<void> {
    if (!this.gateways.discord && !this.gateways.slack) return; // no platform to apply anything on
    await this.#running.run(memberId, () => this.#sync(memberId));
  }

  async #sync(memberId: string): Promise<void> {
    const member = await this.db.member.findUnique({ where: { id: memberId }, include: { accounts: true } });
    if (!member) return;
    const spaces = await this.db.platformSpace.findMany({ where: { communityId: member.communityId } });
    const [desired, managed] = await Promise.all([this.entitlements.desiredAccess(memberId, this.clock.now()), this.entitlements.managedAccess(member.communityId)]);
    for (const platform of ["discord", "slack"] as const) {
      const gateway = this.gateways[platform];
      const account = member.accounts.find((a) => a.platform === platform);
      const space = spaces.find((s) => s.platform === platform);
      if (!gateway || !account || !space) continue;
      const want = platform === "discord" ? desired.discordRoleIds : desired.slackChannelIds;
      const all = platform === "discord" ? managed.discordRoleIds : managed.slackChannelIds;
      const result = await gateway.apply({ spaceId: space.externalId, userId: account.externalId, grant: want, revoke: all.filter((id) => !want.includes(id)) });
      if (result.notInSpace) this.log.info({ member: memberId, platform }, "member not in the space yet; access follows when they join");
      for (const failure of result.failures) {
        this.log.warn({ member: memberId, platform, failure }, "could not apply access");
        await this.adminLog?.report(platform, space.externalId, `Could not ${failure.action} ${failure.target} for ${account.displayName}: ${failure.reason}. Fix: ${failure.fix}`);
      }
    }
  }
}
