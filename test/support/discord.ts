import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { DiscordAdapter, type DiscordAdapterOptions } from "../../src/platform/discord/discord-adapter.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import type { Command } from "../../src/core/command.js";
import type { CommunityConfig } from "../../src/config/communities.js";
import type { Db } from "../../src/db/database.js";
import type { Logger } from "../../src/log/logger.js";
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from "../fakes/discord/index.js";
import { withOnly } from "./test-commands.js";

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
  const runtime = assemble({ capabilities: withOnly(opts.commands), db: opts.db, communities: [acmeCommunity()], log: opts.log });
  const { fake, log, db: _db, commands: _commands, ...extra } = opts;
  return connectDiscordAdapter(fake, runtime, log, extra);
}

/** A discord.js adapter over `runtime`, connected to the fake and ready for interactions. */
export async function connectDiscordAdapter(fake: FakeDiscord, runtime: Runtime, log: Logger, extra: Partial<DiscordAdapterOptions> = {}): Promise<DiscordAdapter> {
  const adapter = new DiscordAdapter({
    config: { token: "fake.discord.token", apiUrl: fake.apiUrl },
    dispatcher: runtime.dispatcher,
    registry: runtime.registry,
    log,
    ...extra,
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
  return messageText(call.body.data ?? call.body);
}

/** A message's text as a member reads it: content, then the first embed's title, description and fields. */
export function messageText(data: { content?: string; embeds?: unknown[] }): string {
  const embed = data.embeds?.[0] as { title?: string; description?: string; fields?: { name: string; value: string }[] } | undefined;
  return [data.content, embed?.title, embed?.description, ...(embed?.fields ?? []).map((f: { name: string; value: string }) => `${f.name}: ${f.value}`)]
    .filter(Boolean)
    .join("\n");
}

export const EPHEMERAL = 64;

/** What a member finally saw for an interaction: its text, whether only they saw it, and the request that carried it. */
export interface DiscordAnswer {
  readonly text: string;
  readonly ephemeral: boolean;
  readonly raw: RecordedCall;
}

/**
 * The answer to an interaction, whichever way the adapter gave it: the immediate reply
 * (callback type 4), or after a deferral (type 5) the edit of @original or a follow-up.
 */
export async function answerTo(fake: FakeDiscord, sent: { id: string; token: string }, timeoutMs = 10_000): Promise<DiscordAnswer> {
  const callback = await fake.waitForCall((c) => c.method === "POST" && c.path === `/interactions/${sent.id}/${sent.token}/callback`, timeoutMs);
  const flagged = (body: { flags?: number } | undefined) => ((body?.flags ?? 0) & EPHEMERAL) !== 0;
  if (callback.body.type !== 5) return { text: shown(callback), ephemeral: flagged(callback.body.data), raw: callback };
  const webhook = `/webhooks/${fake.applicationId}/${sent.token}`;
  const answer = await fake.waitForCall((c) => (c.method === "PATCH" && c.path === `${webhook}/messages/@original`) || (c.method === "POST" && c.path === webhook), timeoutMs);
  return { text: shown(answer), ephemeral: answer.method === "PATCH" ? flagged(callback.body.data) : flagged(answer.body), raw: answer };
}
