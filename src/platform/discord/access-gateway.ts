// Paid access on Discord: roles in a guild. The member is fetched once, and only the roles
// that differ are added or removed, so a sync that finds nothing to change costs one request.
// Each role is its own PUT or DELETE, never one PATCH of the member's whole role list: Discord
// refuses such a PATCH outright (403 / 50013) when any role in it sits above the bot's, so one
// misplaced role would block every other grant, and the list would overwrite a hand edit made
// since the member was read.
import { DiscordAPIError, type APIGuild, type APIGuildMember, type APIRole, type APIUser, PermissionFlagsBits, type REST, RESTJSONErrorCodes, Routes } from "discord.js";
import type { AccessChange, AccessFailure, AccessGateway, AccessResult, Holders } from "../../core/platform-services.js";
import type { Logger } from "../../log/logger.js";
import { type DiscordAccessOutcome, discordOutcome, discordRetryDelay, refusedRoleOutcome } from "./access-errors.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";

/** Options of {@link DiscordAccessGateway}; every field has a production default. */
export interface DiscordAccessGatewayOptions extends RetrySettings {
  /** Shown in the server's audit log next to each role change. */
  readonly auditLogReason?: string;
}

const DEFAULT_AUDIT_LOG_REASON = "Guildhall: paid access";
/** Discord's largest page of guild members. */
const MEMBER_PAGE = 1000;

/** What one apply has done so far. */
interface Tally {
  readonly change: AccessChange;
  readonly granted: string[];
  readonly revoked: string[];
  readonly failures: AccessFailure[];
  /** The guild's roles, read at most once and only to name a role in a fix. */
  roles?: Promise<readonly APIRole[] | undefined>;
  /** Names of the roles that failed, for the admin notice. */
  names?: Map<string, string>;
}

/** What the bot itself holds in a guild, read only to explain a refusal. */
interface BotStanding {
  readonly canManageRoles: boolean;
  readonly highestRole: string | undefined;
}

/**
 * Applies access changes as Discord role changes through discord.js's REST.
 *
 * Rate limits: every request goes through the given REST, whose per-route buckets (and the
 * global 50 requests a second) queue requests and wait out 429s; this class adds no limiter
 * of its own. Pass `client.rest` to share those buckets with the rest of the bot, or a REST
 * built with `retries: 0` (see createAccessRest) so that server errors are retried here, with
 * backoff, rather than at once by discord.js as well.
 */
export class DiscordAccessGateway implements AccessGateway {
  readonly platform = "discord";
  readonly #retry: Retrier;
  readonly #reason: string;
  #me: Promise<APIUser> | undefined;

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
    options: DiscordAccessGatewayOptions = {},
  ) {
    this.#retry = retrier(options, discordRetryDelay, (error, attempt, delayMs) => log.info({ err: error, attempt, delayMs }, "discord access request failed; retrying"));
    this.#reason = options.auditLogReason ?? DEFAULT_AUDIT_LOG_REASON;
  }

  async apply(change: AccessChange): Promise<AccessResult> {
    const grant = unique(change.grant);
    // A role both granted and revoked is kept: taking away paid access by mistake is the worse error.
    const revoke = unique(change.revoke).filter((id) => !grant.includes(id));
    const tally: Tally = { change, granted: [], revoked: [], failures: [] };
    if (grant.length === 0 && revoke.length === 0) return resultOf(tally, false);

    let held: ReadonlySet<string>;
    try {
      const member = (await this.#retry(() => this.rest.get(Routes.guildMember(change.spaceId, change.userId)))) as APIGuildMember;
      held = new Set(member.roles);
    } catch (error) {
      const outcome = discordOutcome(error, "fetch-member", "");
      if (outcome.kind === "not-in-space") return resultOf(tally, true);
      for (const id of grant) this.#fail(tally, id, "grant", error, outcome);
      for (const id of revoke) this.#fail(tally, id, "revoke", error, outcome);
      return resultOf(tally, false);
    }

    for (const id of grant.filter((r) => !held.has(r))) {
      if ((await this.#change(tally, id, "grant")) === "member-left") return resultOf(tally, true);
    }
    for (const id of revoke.filter((r) => held.has(r))) {
      if ((await this.#change(tally, id, "revoke")) === "member-left") return resultOf(tally, true);
    }
    return resultOf(tally, false);
  }

  /**
   * Who holds each role: the guild's member list in pages of 1000 (the Server Members intent
   * allows it), or only the given members; plus one request for the roles' names.
   */
  async holders(spaceId: string, roleIds: readonly string[], userIds?: readonly string[]): Promise<Holders> {
    const held = new Map<string, Set<string>>();
    // Guildhall's own member is no one's access: it is left out.
    const fresh = this.#me === undefined;
    this.#me ??= this.rest.get(Routes.user("@me")) as Promise<APIUser>;
    const botId = (await this.#me).id;
    const record = (member: APIGuildMember) => member.user && member.user.id !== botId && held.set(member.user.id, new Set(member.roles.filter((r) => roleIds.includes(r))));
    let calls = fresh ? 1 : 0;
    if (userIds) {
      for (const id of userIds) {
        calls += 1;
        try {
          record((await this.#retry(() => this.rest.get(Routes.guildMember(spaceId, id)))) as APIGuildMember);
        } catch (error) {
          if (discordOutcome(error, "fetch-member", "").kind !== "not-in-space") throw error;
        }
      }
    } else {
      let after = "0";
      for (;;) {
        calls += 1;
        const query = new URLSearchParams({ limit: String(MEMBER_PAGE), after });
        const page = (await this.#retry(() => this.rest.get(Routes.guildMembers(spaceId), { query }))) as APIGuildMember[];
        for (const member of page) record(member);
        if (page.length < MEMBER_PAGE) break;
        after = page.at(-1)?.user?.id ?? after;
      }
    }
    calls += 1;
    const roles = (await this.#retry(() => this.rest.get(Routes.guildRoles(spaceId)))) as APIRole[];
    const names = new Map(roles.filter((r) => roleIds.includes(r.id)).map((r) => [r.id, r.name]));
    return { held, everyoneListed: userIds === undefined, names, calls };
  }

  /** Adds or removes one role, recording the result in the tally. */
  async #change(tally: Tally, roleId: string, action: "grant" | "revoke"): Promise<"continue" | "member-left"> {
    const { spaceId, userId } = tally.change;
    const route = Routes.guildMemberRole(spaceId, userId, roleId);
    try {
      await this.#retry(() => (action === "grant" ? this.rest.put(route, { reason: this.#reason }) : this.rest.delete(route, { reason: this.#reason })));
      (action === "grant" ? tally.granted : tally.revoked).push(roleId);
      return "continue";
    } catch (error) {
      let outcome = discordOutcome(error, action, roleId);
      if (outcome.kind === "not-in-space") return "member-left";
      // Only a fix an admin will read is worth the requests that name the role and tell a
      // missing permission from a role placed too low.
      if (outcome.kind === "failure") {
        const label = await this.#roleLabel(tally, roleId);
        outcome = discordOutcome(error, action, label);
        if (isRefusal(error) && outcome.kind === "failure") {
          const bot = await this.#botStanding(tally);
          outcome = refusedRoleOutcome(outcome.reason, label, bot?.highestRole, bot?.canManageRoles);
        }
      }
      this.#fail(tally, roleId, action, error, outcome);
      return "continue";
    }
  }

  /** Whether the bot's roles carry Manage Roles, and its highest role's name; undefined when unreadable. */
  async #botStanding(tally: Tally): Promise<BotStanding | undefined> {
    try {
      const roles = await this.#roles(tally);
      this.#me ??= this.rest.get(Routes.user("@me")) as Promise<APIUser>;
      const me = await this.#me;
      const [member, guild] = await Promise.all([
        this.rest.get(Routes.guildMember(tally.change.spaceId, me.id)) as Promise<APIGuildMember>,
        this.rest.get(Routes.guild(tally.change.spaceId)) as Promise<APIGuild>,
      ]);
      // The owner may do anything: a refusal then has some other cause, left unexplained.
      if (!roles || guild.owner_id === me.id) return undefined;
      const held = roles.filter((r) => r.id === tally.change.spaceId || member.roles.includes(r.id));
      const bits = held.reduce((all, r) => all | BigInt(r.permissions), 0n);
      const canManageRoles = (bits & (PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageRoles)) !== 0n;
      const highest = held.filter((r) => r.id !== tally.change.spaceId).sort((a, b) => b.position - a.position)[0];
      return { canManageRoles, highestRole: highest?.name };
    } catch (error) {
      this.log.debug({ err: error, spaceId: tally.change.spaceId }, "could not read the bot's own roles to explain a refusal");
      return undefined;
    }
  }

  /** Records a failure (and logs it: unknown errors are what "Check Guildhall's logs" points at). */
  #fail(tally: Tally, roleId: string, action: "grant" | "revoke", error: unknown, outcome: DiscordAccessOutcome): void {
    if (outcome.kind !== "failure") return;
    const { spaceId, userId } = tally.change;
    this.log.warn({ err: error, spaceId, userId, roleId, action, reason: outcome.reason }, "discord access change failed");
    tally.failures.push({ target: roleId, ...(tally.names?.has(roleId) ? { targetName: tally.names.get(roleId)! } : {}), action, kind: outcome.cause, reason: outcome.reason, fix: outcome.fix });
  }

  /** The role's name for a fix an admin reads, or its id when the roles cannot be listed. */
  async #roleLabel(tally: Tally, roleId: string): Promise<string> {
    const name = (await this.#roles(tally))?.find((r) => r.id === roleId)?.name;
    if (name) (tally.names ??= new Map()).set(roleId, name);
    return name ?? `the role with id ${roleId}`;
  }

  #roles(tally: Tally): Promise<readonly APIRole[] | undefined> {
    tally.roles ??= this.rest.get(Routes.guildRoles(tally.change.spaceId)).then(
      (roles) => roles as APIRole[],
      (error: unknown) => {
        this.log.debug({ err: error, spaceId: tally.change.spaceId }, "could not list roles to name one in a fix");
        return undefined;
      },
    );
    return tally.roles;
  }

}

/** Discord's refusal of a role change: Missing Permissions, which covers role order too. */
function isRefusal(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.MissingPermissions;
}

function resultOf(tally: Tally, notInSpace: boolean): AccessResult {
  return { granted: tally.granted, revoked: tally.revoked, notInSpace, failures: tally.failures };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
