import type { webApi } from "@slack/bolt";
import type { ActorFacts } from "../../core/permissions.js";
import type { Logger } from "../../log/logger.js";
import { TtlCache } from "../ttl-cache.js";

type WebClient = webApi.WebClient;

const TTL_MS = 60_000;
/** Names change rarely and only label things; an hour saves a call per thread reply. */
const NAME_TTL_MS = 60 * 60_000;

/**
 * Looks up Slack user-group membership and workspace admin status, each cached for a
 * minute: a role change takes effect within a minute without an API call per command.
 * A failed lookup grants nothing (the member keeps member rights), is logged, and is
 * cached like an answer, so a broken lookup does not cost an API call per command.
 */
export class SlackActorDirectory {
  readonly #groups = new TtlCache<Promise<readonly string[]>>(TTL_MS);
  readonly #admins = new TtlCache<Promise<boolean>>(TTL_MS);
  readonly #names = new TtlCache<Promise<string>>(NAME_TTL_MS);

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

  /** The name Slack shows for a member (display name, else real name); their id when the lookup fails. */
  displayName(userId: string): Promise<string> {
    return this.#names.getOrSet(userId, () =>
      this.client.users
        .info({ user: userId })
        .then((r) => r.user?.profile?.display_name || r.user?.real_name || r.user?.name || userId)
        .catch((error: unknown) => {
          this.log.info({ err: error, user: userId }, "could not look up a Slack member's name; using their id");
          return userId;
        }),
    );
  }

  #groupUsers(groupId: string): Promise<readonly string[]> {
    return this.#groups.getOrSet(groupId, () =>
      this.client.usergroups.users
        .list({ usergroup: groupId })
        .then((r) => r.users ?? [])
        .catch((error: unknown) => {
          this.log.warn({ err: error, usergroup: groupId }, "could not read a Slack user group; its members get member rights");
          return [];
        }),
    );
  }

  #isAdmin(userId: string): Promise<boolean> {
    return this.#admins.getOrSet(userId, () =>
      this.client.users
        .info({ user: userId })
        .then((r) => Boolean(r.user?.is_admin || r.user?.is_owner))
        .catch((error: unknown) => {
          this.log.warn({ err: error, user: userId }, "could not look up a Slack user; treating them as a member");
          return false;
        }),
    );
  }
}
