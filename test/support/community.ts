import type Stripe from "stripe";
import { capabilities, DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { MessageContent } from "../../src/core/reply.js";
import type { MessageRef } from "../../src/core/chat.js";
import { type CommunityConfig } from "../../src/config/communities.js";
import type { RawOptions } from "../../src/core/options.js";
import type { PermissionLevel } from "../../src/core/permissions.js";
import type { Reply } from "../../src/core/reply.js";
import type { Clock } from "../../src/core/services.js";
import type { AdminLog } from "../../src/core/platform-services.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { freshDatabase, type TestDatabase } from "./databases.js";
import { quietLogger } from "./logger.js";
import { RecordingChat } from "./recording-chat.js";

/** A clock tests move by hand: no sleeps. */
export class ManualClock implements Clock {
  #now: Date;
  constructor(start: Date | string = "2026-12-01T09:00:00Z") {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(to: Date | string): void {
    this.#now = new Date(to);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The playground community's config with every default, plus overrides. */
export function playgroundCommunity(overrides: Partial<CommunityConfig> = {}): CommunityConfig {
  return { slug: "playground", name: "Playground", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS, ...overrides };
}

/** A member of the test community, by name; ids are `pg-<name>` like the playground's. */
export const who = (name: string) => ({ platform: "playground", id: `pg-${name.toLowerCase()}`, displayName: name });

export interface DirectMessageRecord {
  readonly platform: string;
  readonly userId: string;
  readonly message: MessageContent;
}

/**
 * Every shipped command over a fresh database, run as the playground platform with a
 * manual clock and a recording chat poster: for capability tests that are not about a
 * platform (those use the Discord and Slack fakes).
 */
export async function startCommunity(kind: "pglite" | "postgres", opts: { community?: Partial<CommunityConfig>; clock?: ManualClock; stripe?: Stripe; adminLog?: AdminLog } = {}) {
  const database: TestDatabase = await freshDatabase(kind);
  const clock = opts.clock ?? new ManualClock();
  const chat = new RecordingChat("playground");
  const dms: DirectMessageRecord[] = [];
  const messenger = (platform: "discord" | "slack") => ({
    platform,
    send: async (userId: string, message: MessageContent) => {
      dms.push({ platform, userId, message });
      return "sent" as const;
    },
  });
  const runtime: Runtime = assemble({
    capabilities,
    db: database.prisma,
    communities: [playgroundCommunity(opts.community)],
    log: quietLogger(),
    clock,
    chat: { playground: chat },
    messengers: { discord: messenger("discord"), slack: messenger("slack") },
    ...(opts.stripe ? { stripe: opts.stripe } : {}),
    ...(opts.adminLog ? { adminLog: opts.adminLog } : {}),
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
    database,
    db: database.prisma,
    runtime,
    services: runtime.services,
    clock,
    chat,
    dms,
    /** Runs `/command [subcommand]` as the named member and returns the reply. */
    async run(as: string, command: string, options: RawOptions = {}, extra: { subcommand?: string; level?: PermissionLevel; channelId?: string } = {}): Promise<Reply> {
      const inv = invocation(as, command, extra.subcommand, options, extra.level ?? "member");
      const outcome = await runtime.dispatcher.run(extra.channelId ? { ...inv, channel: { id: extra.channelId } } : inv);
      return outcome.reply;
    },
    /** Clicks a button (an action with its value) as the named member. */
    async click(as: string, action: string, value: string, level: PermissionLevel = "member"): Promise<Reply> {
      return (await runtime.dispatcher.runAction(invocation(as, action, undefined, {}, level), value)).reply;
    },
    /** Runs a message command (e.g. "accept_answer") on a message, as the named member. */
    async onMessage(as: string, id: string, message: MessageRef, level: PermissionLevel = "member"): Promise<Reply> {
      return (await runtime.dispatcher.runMessageCommand(invocation(as, id, undefined, {}, level), message)).reply;
    },
    /** Makes the named member exist (joined at the clock's now), returning their member id. */
    async join(as: string): Promise<string> {
      const community = await runtime.services.identity.communityFor("playground", { id: "playground", name: "Playground" });
      const { member } = await runtime.services.identity.memberFor(community.id, "playground", { id: who(as).id, displayName: as });
      return member.id;
    },
    dispose: () => database.dispose(),
  };
}
