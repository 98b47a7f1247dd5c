import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;
import type { ActorFacts } from "../../core/permissions.js";
import type { Logger } from "../../log/logger.js";

const TTL_MS = 60_000;

/**
 * Looks up Slack user-group membership and workspace admin status, each cached for a
 * minute: a role change takes effect within a minute without an API call per command.
 * A failed lookup grants nothing (the member keeps member rights) and is logged.
 */
export class SlackActorDirectory {
  readonly #groups = new Map<string, { at: number; users: Promise<string[]> }>();
  readonly #admins = new Map<string, { at: number; admin: Promise<boolean> }>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  factsFor(userId: string): ActorFacts {
    return {
      platform: "slack",
      userId,
      inUserGroup: async (groupId) => (await this.#groupUsers(groupId)).includes(userId),
      isWorkspaceAdmin: () => this.#isAdmin(userId),
    };
  }

  #groupUsers(groupId: string): Promise<string[]> {
    const hit = this.#groups.get(groupId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.users;
    const users = this.client.usergroups.users
      .list({ usergroup: groupId })
      .then((r) => r.users ?? [])
      .catch((error: unknown) => {
        this.log.warn({ err: error, usergroup: groupId }, "could not read a Slack user group; its members get member rights");
        this.#groups.delete(groupId);
        return [];
      });
    this.#groups.set(groupId, { at: Date.now(), users });
    return users;
  }

  #isAdmin(userId: string): Promise<boolean> {
    const hit = this.#admins.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.admin;
    const admin = this.client.users
      .info({ user: userId })
      .then((r) => Boolean(r.user?.is_admin || r.user?.is_owner))
      .catch((error: unknown) => {
        this.log.warn({ err: error, user: userId }, "could not look up a Slack user; treating them as a member");
        this.#admins.delete(userId);
        return false;
      });
    this.#admins.set(userId, { at: Date.now(), admin });
    return admin;
  }
}
