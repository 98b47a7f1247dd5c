/**
 * Announcement and live-event tests share one database per backend (a fresh one costs
 * seconds) and run each test in its own "process": a runtime over that database with the
 * test's community settings, recording posters and direct messengers, and the shared clock.
 */
import { capabilities, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { type CommunityConfig } from "../../src/config/communities.js";
import type { ChatPosters } from "../../src/core/chat.js";
import type { RawOptions } from "../../src/core/options.js";
import type { PermissionLevel } from "../../src/core/permissions.js";
import type { MessageContent, Reply } from "../../src/core/reply.js";
import type { Db } from "../../src/db/database.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { type DirectMessageRecord, type ManualClock, playgroundCommunity, who } from "../support/community.js";
import { quietLogger } from "../support/logger.js";
import { RecordingChat } from "../support/recording-chat.js";

/** A community that uses Discord and Slack too, each with an announcement channel. */
export const everywhere = (extra: Partial<CommunityConfig> = {}): Partial<CommunityConfig> => ({
  discord: { guildId: "100000000000000001", creatorRoleIds: [], adminRoleIds: [] },
  slack: { teamId: "TACME01", creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
  schedule: { ...DEFAULT_SETTINGS.schedule, announcementChannels: { discord: "200000000000000005", slack: "C0ANNOUNCE" } },
  ...extra,
});

export interface Process {
  readonly runtime: Runtime;
  readonly services: Runtime["services"];
  /** The playground poster (the channel commands run in is `general`). */
  readonly chat: RecordingChat;
  readonly dms: DirectMessageRecord[];
  run(as: string, command: string, options?: RawOptions, extra?: { subcommand?: string; level?: PermissionLevel }): Promise<Reply>;
  click(as: string, action: string, value: string, level?: PermissionLevel): Promise<Reply>;
}

/** A runtime over `db` as one process would have it; `chat` adds posters for other platforms. */
export function startProcess(db: Db, clock: ManualClock, community: Partial<CommunityConfig> = {}, chat: ChatPosters = {}): Process {
  const playground = new RecordingChat("playground");
  const dms: DirectMessageRecord[] = [];
  const messenger = (platform: "discord" | "slack") => ({
    platform,
    send: async (userId: string, message: MessageContent) => {
      dms.push({ platform, userId, message });
      return "sent" as const;
    },
  });
  const runtime = assemble({
    capabilities,
    db,
    communities: [playgroundCommunity(community)],
    log: quietLogger(),
    clock,
    chat: { playground, ...chat },
    messengers: { discord: messenger("discord"), slack: messenger("slack") },
  });
  const invocation = (as: string, command: string, subcommand: string | undefined, options: RawOptions, level: PermissionLevel) => ({
    platform: "playground" as const,
    space: { id: "playground", name: "Playground" },
    user: { id: who(as).id, displayName: as },
    channel: { id: "general", name: "general" },
    command,
    subcommand,
    options,
    actor: { platform: "playground" as const, level },
    receivedAt: clock.now(),
  });
  return {
    runtime,
    services: runtime.services,
    chat: playground,
    dms,
    run: async (as, command, options = {}, extra = {}) => (await runtime.dispatcher.run(invocation(as, command, extra.subcommand, options, extra.level ?? "member"))).reply,
    click: async (as, action, value, level = "member") => (await runtime.dispatcher.runAction(invocation(as, action, undefined, {}, level), value)).reply,
  };
}

/** Empties what announcements and live events leave behind, so tests sharing a database start clean. */
export async function clearSchedule(db: Db): Promise<void> {
  await db.scheduledWork.deleteMany();
  await db.announcement.deleteMany();
  await db.liveRsvp.deleteMany();
  await db.liveEvent.deleteMany();
  await db.delivery.deleteMany();
  await db.entitlement.deleteMany();
  await db.catalogItem.deleteMany();
}

/**
 * Makes the playground member `name` exist with a Discord account too (direct messages go to
 * Discord or Slack accounts; the playground has none). Returns the member id.
 */
export async function memberWithDm(p: Process, name: string): Promise<string> {
  const community = await p.services.identity.communityFor("playground", { id: "playground", name: "Playground" });
  const { member } = await p.services.identity.memberFor(community.id, "playground", { id: who(name).id, displayName: name });
  const externalId = `dc-${name.toLowerCase()}`;
  await p.services.db.platformAccount.upsert({
    where: { communityId_platform_externalId: { communityId: community.id, platform: "discord", externalId } },
    create: { communityId: community.id, memberId: member.id, platform: "discord", externalId, displayName: name },
    update: {},
  });
  return member.id;
}

/** Direct messages a member received on their Discord account (see {@link memberWithDm}). */
export const dmsTo = (p: Process, name: string) => p.dms.filter((d) => d.userId === `dc-${name.toLowerCase()}`).map((d) => d.message.text ?? "");
