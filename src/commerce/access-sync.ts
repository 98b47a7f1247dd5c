import { KeyedQueue } from "../core/keyed-queue.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { AccessGateways, AccessSignal, AdminLog } from "../core/platform-services.js";
import { BurstCoalescer, type BurstSettings, DEFAULT_BURST } from "./access-burst.js";
import { AccessProblems } from "./access-problems.js";
import { type EntitlementService, isActive } from "./entitlement-service.js";

/**
 * Makes each platform match what a member's entitlements say. It grants everything the
 * active entitlements grant and revokes only the managed roles and channels (those some
 * catalog item grants) they no longer justify: roles Guildhall does not manage are never
 * touched. Safe to run any number of times.
 */
export class AccessSync {
  /** One sync per member at a time in this process, so two webhooks cannot both add a role. */
  readonly #running = new KeyedQueue();
  /**
   * A sync queued behind a running one and not started yet: later callers share it, so
   * syncs asked for while one runs cost one more, not one each.
   */
  readonly #queued = new Map<string, Promise<void>>();
  /** Webhook-triggered syncs, one per member per burst of webhooks. */
  readonly #bursts: BurstCoalescer;
  readonly problems: AccessProblems;

  constructor(
    private readonly db: Db,
    private readonly entitlements: EntitlementService,
    private readonly gateways: AccessGateways,
    private readonly adminLog: AdminLog | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
    burst: BurstSettings = DEFAULT_BURST,
  ) {
    this.problems = new AccessProblems(db, adminLog, clock, log);
    this.#bursts = new BurstCoalescer(burst, (memberId) => this.syncMembers([memberId]));
  }

  /**
   * Stripe changed these members' access (a webhook): sync each once their burst of
   * webhooks is over, so a purchase's five or so events cost one platform sync, not five.
   */
  syncAfterBurst(memberIds: readonly string[]): void {
    for (const id of new Set(memberIds)) this.#bursts.request(id);
  }

  /**
   * A webhook arrived and is being applied: hold back the burst syncs until it is done, so a
   * burst whose webhooks take a while to apply still makes one sync. Call the result when done.
   */
  holdBursts(): () => void {
    return this.#bursts.hold();
  }

  /** Resolves once every webhook-triggered sync requested so far has run. */
  settled(): Promise<void> {
    return this.#bursts.settled();
  }

  /** Retries every refused or failed change whose wait is over (the minute job). */
  async retryDue(): Promise<void> {
    await this.syncMembers(await this.problems.due());
  }

  /**
   * The platform says something that refused a change may be fixed now (a role moved, the
   * bot invited to a channel): retry that space's open problems at once.
   */
  async retrySpace(platform: "discord" | "slack", spaceId: string, target?: string): Promise<void> {
    const members = await this.problems.inSpace(platform, spaceId, target);
    if (members.length > 0) this.log.info({ platform, spaceId, target, members: members.length }, "retrying refused access changes");
    await this.syncMembers(members);
  }

  /**
   * A platform reported a change. Membership changes keep the gateway's member lists
   * current; a change that may remove the cause of a refusal retries that space's problems
   * at once: roles or server settings edited on Discord (the bot's own roles included), the
   * bot invited to a Slack channel, a Slack channel unarchived.
   */
  async onSignal(signal: AccessSignal): Promise<void> {
    const gateway = this.gateways[signal.platform];
    if (signal.target && signal.userId && (signal.kind === "joined" || signal.kind === "left")) gateway?.noteMembership?.(signal.target, signal.userId, signal.kind === "joined");
    if (signal.kind === "roles-changed") await this.retrySpace(signal.platform, signal.spaceId);
    else if (signal.kind === "unarchived" || (signal.kind === "joined" && signal.isBot)) await this.retrySpace(signal.platform, signal.spaceId, signal.target);
  }

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
    const queued = this.#queued.get(memberId);
    if (queued) return queued;
    const run: Promise<void> = this.#running.run(memberId, () => {
      if (this.#queued.get(memberId) === run) this.#queued.delete(memberId);
      return this.#sync(memberId);
    });
    this.#queued.set(memberId, run);
    await run;
  }

  async #sync(memberId: string): Promise<void> {
    const member = await this.db.member.findUnique({ where: { id: memberId }, include: { accounts: true } });
    if (!member) return;
    const spaces = await this.db.platformSpace.findMany({ where: { communityId: member.communityId } });
    const now = this.clock.now();
    const [desired, managed, owned] = await Promise.all([this.entitlements.desiredAccess(memberId, now), this.entitlements.managedAccess(member.communityId), this.entitlements.forMember(memberId)]);
    const titles = owned.filter((e) => isActive(e, now));
    const itemTitle = (target: string) => titles.find((e) => e.item.discordRoleIds.includes(target) || e.item.slackChannelIds.includes(target))?.item.title;
    for (const platform of ["discord", "slack"] as const) {
      const gateway = this.gateways[platform];
      const account = member.accounts.find((a) => a.platform === platform);
      const space = spaces.find((s) => s.platform === platform);
      if (!gateway || !account || !space) continue;
      const want = platform === "discord" ? desired.discordRoleIds : desired.slackChannelIds;
      const all = platform === "discord" ? managed.discordRoleIds : managed.slackChannelIds;
      const revoke = all.filter((id) => !want.includes(id));
      const result = await gateway.apply({ spaceId: space.externalId, userId: account.externalId, grant: want, revoke });
      if (result.notInSpace) {
        this.log.info({ member: memberId, platform }, "member not in the space yet; access follows when they join");
        continue;
      }
      for (const failure of result.failures) this.log.warn({ member: memberId, platform, failure }, "could not apply access");
      await this.problems.settle({
        communityId: member.communityId,
        memberId,
        memberName: account.displayName,
        platform,
        spaceId: space.externalId,
        attempted: [...want.map((target) => ({ target, action: "grant" as const })), ...revoke.map((target) => ({ target, action: "revoke" as const }))],
        failures: result.failures,
        itemTitle,
      });
    }
  }
}
