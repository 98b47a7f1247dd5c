import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/config/communities.js";
import { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import { createRuntime } from "../../src/runtime.js";
import type { Command } from "../../src/core/command.js";
import type { CommunityConfig } from "../../src/config/communities.js";
import type { Db } from "../../src/db/database.js";
import type { Logger } from "../../src/log/logger.js";
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from "../fakes/discord/index.js";
import { testOnlyActions } from "./test-commands.js";

export const GUILD = "100000000000000001";
export const GENERAL = "200000000000000001";
export const CREATOR_ROLE = "300000000000000001";
export const ADA = { id: "400000000000000001", username: "ada", globalName: "Ada" };

export function acmeCommunity(): CommunityConfig {
  return { slug: "acme", name: "Acme Academy", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS, discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] } };
}

export function startAcmeDiscord(): Promise<FakeDiscord> {
  return startFakeDiscord({
    guilds: [{ id: GUILD, name: "Acme", channels: [{ id: GENERAL, name: "general" }], roles: [{ id: CREATOR_ROLE, name: "Creator" }] }],
  });
}

/** A discord.js adapter over a runtime with the given commands, connected to the fake. */
export async function startDiscordAdapter(opts: { fake: FakeDiscord; db: Db; commands: readonly Command[]; log: Logger; ackAfterMs?: number; onMemberJoined?: (guildId: string, userId: string) => Promise<void> }) {
  const runtime = createRuntime({ db: opts.db, communities: [acmeCommunity()], commands: opts.commands, actions: testOnlyActions, log: opts.log });
  const adapter = new DiscordAdapter({
    config: { token: "fake.discord.token", apiUrl: opts.fake.apiUrl },
    dispatcher: runtime.dispatcher,
    registry: runtime.registry,
    log: opts.log,
    ...(opts.ackAfterMs === undefined ? {} : { ackAfterMs: opts.ackAfterMs }),
    ...(opts.onMemberJoined ? { onMemberJoined: opts.onMemberJoined } : {}),
  });
  await adapter.start();
  return adapter;
}

/** Sends a slash command and waits for the interaction's first callback. */
export async function run(fake: FakeDiscord, name: string, extra: Partial<Parameters<FakeDiscord["sendSlashCommand"]>[0]> = {}) {
  const sent = fake.sendSlashCommand({ guildId: GUILD, channelId: GENERAL, user: ADA, name, ...extra });
  const callback = await fake.waitForCall((c) => c.method === "POST" && c.path === `/interactions/${sent.id}/${sent.token}/callback`);
  return { sent, callback };
}

/** What a member saw for a callback of type 4 (immediate reply): text from content or embed. */
export function shown(call: RecordedCall): string {
  const data = call.body.data ?? call.body;
  const embed = data.embeds?.[0];
  return [data.content, embed?.title, embed?.description, ...(embed?.fields ?? []).map((f: { name: string; value: string }) => `${f.name}: ${f.value}`)]
    .filter(Boolean)
    .join("\n");
}

export const EPHEMERAL = 64;
