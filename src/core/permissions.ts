import type { CommunityConfig } from "../config/communities.js";

/** Who may run a command. Each level includes the ones below it. */
export type PermissionLevel = "member" | "creator" | "admin";

const RANK: Record<PermissionLevel, number> = { member: 0, creator: 1, admin: 2 };

export function allows(level: PermissionLevel, required: PermissionLevel): boolean {
  return RANK[level] >= RANK[required];
}

/**
 * What a platform tells us about the person running a command. Adapters fill in what
 * their platform knows; lookups that cost an API call are functions, so they run only
 * when a command needs more than member rights.
 */
export type ActorFacts =
  | { readonly platform: "discord"; readonly roleIds: readonly string[]; readonly isAdministrator: boolean }
  | {
      readonly platform: "slack";
      readonly userId: string;
      readonly inUserGroup: (groupId: string) => Promise<boolean>;
      readonly isWorkspaceAdmin: () => Promise<boolean>;
    }
  | { readonly platform: "playground"; readonly level: PermissionLevel };

/**
 * The level of an actor in a community, checked on the server for every command.
 * Without configuration, a platform's own administrators (Discord's Administrator
 * permission, Slack workspace admins and owners) are Guildhall admins.
 */
export async function levelOf(actor: ActorFacts, community: CommunityConfig | undefined): Promise<PermissionLevel> {
  if (actor.platform === "playground") return actor.level;
  if (actor.platform === "discord") {
    const cfg = community?.discord;
    if (actor.isAdministrator || cfg?.adminRoleIds.some((r) => actor.roleIds.includes(r))) return "admin";
    if (cfg?.creatorRoleIds.some((r) => actor.roleIds.includes(r))) return "creator";
    return "member";
  }
  const cfg = community?.slack;
  if (cfg?.adminUserIds.includes(actor.userId) || (await anyGroup(actor.inUserGroup, cfg?.adminUserGroupIds))) return "admin";
  if (await actor.isWorkspaceAdmin()) return "admin";
  if (cfg?.creatorUserIds.includes(actor.userId) || (await anyGroup(actor.inUserGroup, cfg?.creatorUserGroupIds))) return "creator";
  return "member";
}

export function describeLevel(level: PermissionLevel): string {
  return level === "member" ? "everyone" : level === "creator" ? "creators" : "admins";
}

async function anyGroup(inGroup: (id: string) => Promise<boolean>, groups: readonly string[] | undefined): Promise<boolean> {
  const results = await Promise.all((groups ?? []).map(inGroup));
  return results.includes(true);
}
