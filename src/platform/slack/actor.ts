import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;
import type { ActorFacts } from "../../core/permissions.js";

const TTL_MS = 60_000;

/**
 * Looks up Slack user-group membership and workspace admin status, each cached for a
 * minute: a role change takes effect within a minute without an API call per command.
 */
export class SlackActorDirectory {
  readonly #groups = new Map<string, { at: number; users: Promise<string[]> }>();
  readonly #admins = new Map<string, { at: number; admin: Promise<boolean> }>();

  constructor(private readonly client: WebClient) {}

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
    const users = this.client.usergroups.users.list({ usergroup: groupId }).then((r) => r.users ?? []);
    this.#groups.set(groupId, { at: Date.now(), users });
    users.catch(() => this.#groups.delete(groupId));
    return users;
  }

  #isAdmin(userId: string): Promise<boolean> {
    const hit = this.#admins.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.admin;
    const admin = this.client.users.info({ user: userId }).then((r) => Boolean(r.user?.is_admin || r.user?.is_owner));
    this.#admins.set(userId, { at: Date.now(), admin });
    admin.catch(() => this.#admins.delete(userId));
    return admin;
  }
}
