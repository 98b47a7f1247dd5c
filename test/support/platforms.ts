// The harness for "each command on both platforms" tests: every shipped command over a fresh
// database, served by the real Discord or Slack adapter against the fakes, with the real chat
// posters and direct messengers, and a manual clock. Both harnesses have the same shape, so
// one test body can run under `describe.each(PLATFORMS)`.
import { generateKeyPairSync } from "node:crypto";
import type { REST } from "discord.js";
import type Stripe from "stripe";
import { type CommunityConfig } from "../../src/config/communities.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { ThreadMessage, ThreadRef } from "../../src/core/chat.js";
import type { ActionDefinition } from "../../src/core/action.js";
import type { Command } from "../../src/core/command.js";
import type { PlatformName } from "../../src/core/context.js";
import type { MessageCommand } from "../../src/core/message-command.js";
import type { OptionSpecs } from "../../src/core/options.js";
import type { Services } from "../../src/core/services.js";
import type { Db } from "../../src/db/database.js";
import type { Logger } from "../../src/log/logger.js";
import { HttpServer } from "../../src/http/http-server.js";
import { DiscordChatPoster } from "../../src/platform/discord/chat-poster.js";
import { DISCORD_INTERACTIONS_PATH, discordInteractionsRoute } from "../../src/platform/discord/http/interactions-route.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { DiscordDirectMessenger } from "../../src/platform/discord/direct-messenger.js";
import { createAccessWebClient } from "../../src/platform/slack/access-client.js";
import { SlackChatPoster } from "../../src/platform/slack/chat-poster.js";
import { SlackDirectMessenger } from "../../src/platform/slack/direct-messenger.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { type ApiMessage, type FakeChannel, type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { blockActionsPayload, type FakeSlack, interactionBody, messageEventBody, messageShortcutPayload, postSigned, slashCommandBody, startFakeSlack } from "../fakes/slack/index.js";
import { ManualClock } from "./community.js";
import { freshDatabase, type TestDatabase } from "./databases.js";
import { ADA as DISCORD_ADA, answerTo, connectDiscordAdapter, CREATOR_ROLE, GENERAL, GUILD, messageText } from "./discord.js";
import { quietLogger } from "./logger.js";
import { withExtra } from "./test-commands.js";
import { CHANNEL as SLACK_GENERAL, connectSlackHttpAdapter, SIGNING_SECRET, slackAnswer, slackShown, TEAM } from "./slack.js";

/** Someone in the community, with their account on each platform. */
export interface Person {
  readonly name: string;
  readonly discord: { readonly id: string; readonly username: string; readonly globalName: string };
  readonly slack: { readonly id: string; readonly name: string };
}

function person(name: string, discordId: string): Person {
  const handle = name.toLowerCase();
  return { name, discord: { id: discordId, username: handle, globalName: name }, slack: { id: `U0${name.toUpperCase()}`.padEnd(10, "0"), name } };
}

export const ADA = person("Ada", DISCORD_ADA.id);
export const GRACE = person("Grace", "400000000000000002");
export const LINUS = person("Linus", "400000000000000003");
export const MARGARET = person("Margaret", "400000000000000004");
/** Holds the creator role on Discord and is in the creators user group on Slack. */
export const CREATOR = person("Cleo", "400000000000000005");
/** Discord's Administrator permission; a Slack workspace admin. */
export const ADMIN = person("Root", "400000000000000006");
export const PEOPLE = [ADA, GRACE, LINUS, MARGARET, CREATOR, ADMIN] as const;

/** Who gets pinged about questions: a Discord role and a Slack user group (Grace is in both). */
export const HELPERS = { discordRoleId: "300000000000000002", slackUserGroupId: "S0HELPERS" } as const;
const ADMIN_ROLE = "300000000000000003";
const SLACK_CREATORS = "S0CREATORS";

/** Channels each harness has, by purpose; on Slack `forum` is a plain channel (Slack has no forums). */
export interface Channels {
  readonly general: string;
  readonly help: string;
  readonly forum: string;
  readonly reviews: string;
  readonly announcements: string;
}

export const DISCORD_CHANNELS: Channels = {
  general: GENERAL,
  help: "200000000000000002",
  forum: "200000000000000003",
  reviews: "200000000000000004",
  announcements: "200000000000000005",
};
export const SLACK_CHANNELS: Channels = { general: SLACK_GENERAL, help: "C0HELPDESK", forum: "C0QUESTIONS", reviews: "C0REVIEWS", announcements: "C0ANNOUNCE" };

/** The help forum's tags on Discord ("Solved" makes markSolved tag rather than rename). */
export const FORUM_TAGS = [
  { id: "700000000000000001", name: "Solved" },
  { id: "700000000000000002", name: "rust" },
  { id: "700000000000000003", name: "python" },
  { id: "700000000000000004", name: "javascript" },
];

/** An option value: text, a number, a flag, a person (a user option) or a channel. */
export type OptionInput = string | number | boolean | Person | { readonly channel: string };

/** What a member saw: the text (Discord markdown or Slack mrkdwn), whether only they saw it, and the raw request that carried it. */
export interface Seen {
  readonly text: string;
  readonly ephemeral: boolean;
  readonly raw: unknown;
}

/** A message the bot posted through the platform's API (not an interaction reply). */
export interface BotPost {
  readonly id: string;
  readonly text: string;
  readonly raw: unknown;
}

/** A message a member posted; shaped like the MessageRef a message command receives. */
export interface PostedMessage {
  readonly id: string;
  /** Discord: the thread's own id. Slack: the parent channel. */
  readonly channelId: string;
  /** Slack: the thread's parent ts. */
  readonly threadId?: string;
  readonly text: string;
  readonly author: Person;
}

export interface CommunityOptions {
  readonly kind: "pglite" | "postgres";
  readonly clock?: ManualClock;
  /** Merged over the test community (shallowly, like startCommunity's). */
  readonly community?: Partial<CommunityConfig>;
  /** Discord only: channels added to the guild (the standard ones always exist). */
  readonly channels?: readonly FakeChannel[];
  /** Called with each thread message the adapter reports, before `threadMessage` resolves. */
  readonly onThreadMessage?: (message: ThreadMessage, services: Services) => Promise<void>;
  readonly log?: Logger;
  /** How long the adapter waits before deferring; the production default when omitted. */
  readonly ackAfterMs?: number;
  /**
   * Discord only: where interactions arrive. "http" sends them, signed, to POST
   * /discord/interactions (the Interactions Endpoint URL) instead of the gateway, which still
   * carries thread messages and member joins.
   */
  readonly interactionsOver?: "gateway" | "http";
  /** A Stripe client (pointed at the fake Stripe) for commands that need one. */
  readonly stripe?: Stripe;
  /** Test-only definitions served next to the shipped ones. */
  readonly extra?: { readonly commands?: readonly Command[]; readonly actions?: readonly ActionDefinition[]; readonly messageCommands?: readonly MessageCommand[] };
}

/** One platform's harness; Discord's and Slack's have this same shape. */
export interface PlatformCommunity {
  readonly platform: Extract<PlatformName, "discord" | "slack">;
  readonly database: TestDatabase;
  readonly db: Db;
  readonly runtime: Runtime;
  readonly services: Services;
  readonly clock: ManualClock;
  readonly community: CommunityConfig;
  /** Guild id or team id. */
  readonly spaceId: string;
  readonly channels: Channels;
  /** Thread messages the adapter reported, oldest first. */
  readonly threadMessages: ThreadMessage[];
  /** The person's user id on this platform. */
  idOf(who: Person): string;
  /** Runs `/name [subcommand] options...` as `who` in `channelId` (general by default). */
  run(who: Person, name: string, opts?: { subcommand?: string; options?: Record<string, OptionInput>; channelId?: string }): Promise<Seen>;
  /** Clicks a button that runs `action` with `value`. */
  click(who: Person, action: string, value?: string, channelId?: string): Promise<Seen>;
  /** Runs a message command (its id or name) on `target`. */
  messageCommand(who: Person, idOrName: string, target: PostedMessage): Promise<Seen>;
  /** `who` replies in a thread; resolves once the adapter reported it (and onThreadMessage finished). */
  threadMessage(who: Person, thread: ThreadRef | string, text: string): Promise<PostedMessage>;
  /** What the bot posted in a channel (Discord: or in a thread's own channel), oldest first. */
  posts(channelId: string): BotPost[];
  /** Everything in a discussion the bot opened: the opening message first, then the bot's posts in it. */
  thread(ref: ThreadRef): BotPost[];
  /** Direct messages the bot sent `who`, oldest first. */
  dms(who: Person): BotPost[];
  stop(): Promise<void>;
}

export interface DiscordCommunity extends PlatformCommunity {
  readonly platform: "discord";
  readonly fake: FakeDiscord;
}

export interface SlackCommunity extends PlatformCommunity {
  readonly platform: "slack";
  readonly fake: SlackFakeWithUrl;
}

type SlackFakeWithUrl = FakeSlack & { readonly eventsUrl: string };

/** Both starters, for `describe.each(PLATFORMS)("%s", (_name, start) => ...)`. */
export const PLATFORMS = [
  ["discord", (opts: CommunityOptions): Promise<PlatformCommunity> => startDiscordCommunity(opts)],
  ["slack", (opts: CommunityOptions): Promise<PlatformCommunity> => startSlackCommunity(opts)],
] as const;

/** Both platforms, and Discord again with interactions over its Interactions Endpoint URL (HTTP). */
export const PLATFORMS_AND_DISCORD_HTTP = [
  ...PLATFORMS,
  ["discord over HTTP", (opts: CommunityOptions): Promise<PlatformCommunity> => startDiscordCommunity({ ...opts, interactionsOver: "http" })],
] as const;

/** Resolves when `messageId` has been reported (and handled), or fails after `timeoutMs`. */
class ThreadMessageWaiter {
  readonly seen: ThreadMessage[] = [];
  readonly #waiting = new Map<string, () => void>();
  readonly #done = new Set<string>();

  constructor(private readonly handle: ((m: ThreadMessage) => Promise<void>) | undefined) {}

  readonly onThreadMessage = async (message: ThreadMessage): Promise<void> => {
    this.seen.push(message);
    try {
      await this.handle?.(message);
    } finally {
      this.#done.add(message.messageId);
      this.#waiting.get(message.messageId)?.();
    }
  };

  wait(messageId: string, timeoutMs = 10_000): Promise<void> {
    if (this.#done.has(messageId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the adapter never reported thread message ${messageId}`)), timeoutMs);
      this.#waiting.set(messageId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function baseCommunity(extra: Partial<CommunityConfig>, platform: Pick<CommunityConfig, "discord" | "slack">): CommunityConfig {
  return { slug: "acme", name: "Acme Academy", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS, ...platform, ...extra };
}

/** The option kinds a command declares, so values can be sent with the right Discord type. */
function optionSpecs(runtime: Runtime, name: string, subcommand: string | undefined): OptionSpecs {
  const command = runtime.registry.get(name);
  if (!command) return {};
  if (command.kind === "leaf") return command.options;
  return command.subcommands.find((s) => s.name === subcommand)?.options ?? {};
}

const DISCORD_OPTION_TYPE = { string: 3, integer: 4, boolean: 5, user: 6, channel: 7, number: 10 } as const;

function isPerson(value: OptionInput): value is Person {
  return typeof value === "object" && "discord" in value;
}

function messageCommandNamed(runtime: Runtime, idOrName: string): MessageCommand {
  const command = runtime.registry.messageCommand(idOrName);
  if (!command) throw new Error(`no message command ${idOrName}; registered: ${runtime.registry.messageCommands().map((m) => m.id).join(", ") || "none"}`);
  return command;
}

/** Every shipped command on the real Discord adapter, against a fake guild with the standard people and channels. */
export async function startDiscordCommunity(opts: CommunityOptions): Promise<DiscordCommunity> {
  const log = opts.log ?? quietLogger();
  const clock = opts.clock ?? new ManualClock();
  const ch = DISCORD_CHANNELS;
  const fake = await startFakeDiscord({
    guilds: [
      {
        id: GUILD,
        name: "Acme",
        channels: [
          { id: ch.general, name: "general" },
          { id: ch.help, name: "help" },
          { id: ch.forum, name: "questions", type: 15, availableTags: FORUM_TAGS },
          { id: ch.reviews, name: "reviews" },
          { id: ch.announcements, name: "announcements" },
          ...(opts.channels ?? []),
        ],
        roles: [
          { id: CREATOR_ROLE, name: "Creator" },
          { id: HELPERS.discordRoleId, name: "Helpers" },
          { id: ADMIN_ROLE, name: "Admin", permissions: "8" },
        ],
        members: PEOPLE.map((p) => ({
          user: p.discord,
          roles: p === CREATOR ? [CREATOR_ROLE] : p === ADMIN ? [ADMIN_ROLE] : p === GRACE ? [HELPERS.discordRoleId] : [],
        })),
      },
    ],
  });
  const database = await freshDatabase(opts.kind);
  const community = baseCommunity(opts.community ?? {}, { discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] } });
  const rest = createAccessRest({ token: "fake.discord.token", apiUrl: fake.apiUrl });
  const instantRetries = { sleep: async () => undefined };
  const runtime = assemble({
    capabilities: withExtra(opts.extra),
    db: database.prisma,
    communities: [community],
    log,
    clock,
    chat: { discord: new DiscordChatPoster(rest, log, instantRetries) },
    messengers: { discord: new DiscordDirectMessenger(rest, log, instantRetries) },
    ...(opts.stripe ? { stripe: opts.stripe } : {}),
  });
  const waiter = new ThreadMessageWaiter(opts.onThreadMessage && ((m) => opts.onThreadMessage!(m, runtime.services)));
  const adapter = await connectDiscordAdapter(fake, runtime, log, {
    clock,
    onThreadMessage: waiter.onThreadMessage,
    ...(opts.ackAfterMs === undefined ? {} : { ackAfterMs: opts.ackAfterMs }),
  });

  const endpoint = opts.interactionsOver === "http" ? await serveInteractionsEndpoint(fake, runtime, rest, log, clock, opts.ackAfterMs) : undefined;

  const interactionMessages = () => new Set([...fake.state.interactions.values()].flatMap((i) => i.messageIds));
  const botPosts = (messages: ApiMessage[]): BotPost[] => {
    const replies = interactionMessages();
    return messages
      .filter((m) => m.author.id === fake.botUser.id && !replies.has(m.id) && (m.flags & 64) === 0)
      .map((m) => ({ id: m.id, text: messageText(m), raw: m }));
  };
  const actor = (who: Person, channelId: string) => ({ guildId: GUILD, channelId, user: who.discord });

  return {
    platform: "discord",
    fake,
    database,
    db: database.prisma,
    runtime,
    services: runtime.services,
    clock,
    community,
    spaceId: GUILD,
    channels: ch,
    threadMessages: waiter.seen,
    idOf: (who) => who.discord.id,
    async run(who, name, { subcommand, options = {}, channelId = ch.general } = {}) {
      const specs = optionSpecs(runtime, name, subcommand);
      const users = Object.values(options).filter(isPerson).map((p) => p.discord);
      const sent = fake.sendSlashCommand({
        ...actor(who, channelId),
        name,
        ...(subcommand ? { subcommand } : {}),
        options: Object.entries(options).map(([key, value]) => {
          if (isPerson(value)) return { name: key, type: DISCORD_OPTION_TYPE.user, value: value.discord.id };
          if (typeof value === "object") return { name: key, type: DISCORD_OPTION_TYPE.channel, value: value.channel };
          const kind = specs[key]?.kind;
          const type = kind ? DISCORD_OPTION_TYPE[kind] : typeof value === "number" ? 10 : typeof value === "boolean" ? 5 : 3;
          return { name: key, type, value };
        }),
        ...(users.length > 0 ? { resolvedUsers: users } : {}),
      });
      return answerTo(fake, sent);
    },
    async click(who, action, value = "", channelId = ch.general) {
      return answerTo(fake, fake.sendButtonClick({ ...actor(who, channelId), customId: `gh:${action}:${value}` }));
    },
    async messageCommand(who, idOrName, target) {
      const command = messageCommandNamed(runtime, idOrName);
      const sent = fake.sendMessageCommand({ ...actor(who, target.channelId), name: command.name, targetMessage: { id: target.id, content: target.text, author: target.author.discord } });
      return answerTo(fake, sent);
    },
    async threadMessage(who, thread, text) {
      const threadId = typeof thread === "string" ? thread : thread.threadId;
      const message = fake.sendUserMessage({ channelId: threadId, user: who.discord, content: text });
      await waiter.wait(message.id);
      return { id: message.id, channelId: threadId, text, author: who };
    },
    posts: (channelId) => botPosts(fake.state.channelMessages(channelId)),
    thread(ref) {
      // A thread started from a message shares that message's id; a forum post's opener is inside it.
      const opener = fake.state.messages.get(ref.threadId);
      const inside = fake.state.channelMessages(ref.threadId).filter((m) => m.id !== opener?.id);
      return botPosts([...(opener ? [opener] : []), ...inside]);
    },
    dms(who) {
      const dm = [...fake.state.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === who.discord.id);
      return dm ? botPosts(fake.state.channelMessages(dm.id)) : [];
    },
    async stop() {
      await endpoint?.close();
      await adapter.stop();
      await fake.close();
      await database.dispose();
    },
  };
}

/** POST /discord/interactions over `runtime`, on a port of its own, with the fake sending it every interaction, signed. */
async function serveInteractionsEndpoint(fake: FakeDiscord, runtime: Runtime, rest: REST, log: Logger, clock: ManualClock, ackAfterMs: number | undefined): Promise<HttpServer> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicKeyHex = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url").toString("hex");
  const server = new HttpServer(log);
  const route = discordInteractionsRoute({ publicKey: publicKeyHex, dispatcher: runtime.dispatcher, clock, log, rest, apiUrl: fake.apiUrl, ...(ackAfterMs === undefined ? {} : { ackAfterMs }) });
  server.route("POST", DISCORD_INTERACTIONS_PATH, route);
  const port = await server.listen(0, "127.0.0.1");
  fake.useInteractionsEndpoint(`http://127.0.0.1:${port}${DISCORD_INTERACTIONS_PATH}`, privateKey);
  return server;
}

/** Every shipped command on the real Slack adapter (HTTP mode, signed requests), against the fake Web API. */
export async function startSlackCommunity(opts: CommunityOptions): Promise<SlackCommunity> {
  const log = opts.log ?? quietLogger();
  const clock = opts.clock ?? new ManualClock();
  const ch = SLACK_CHANNELS;
  const everyone = PEOPLE.map((p) => p.slack.id);
  const fake = await startFakeSlack({
    teamId: TEAM,
    users: PEOPLE.map((p) => ({ id: p.slack.id, name: p.slack.name, real_name: p.name, ...(p === ADMIN ? { is_admin: true } : {}) })),
    // Every standard channel is public, with everyone and the bot in it; #general is Slack's #general.
    channels: Object.entries(ch).map(([purpose, id]) => ({ id, name: purpose, general: id === ch.general, members: everyone })),
  });
  fake.userGroups.set(SLACK_CREATORS, [CREATOR.slack.id]);
  fake.userGroups.set(HELPERS.slackUserGroupId, [GRACE.slack.id]);
  const database = await freshDatabase(opts.kind);
  const community = baseCommunity(opts.community ?? {}, {
    slack: { teamId: TEAM, creatorUserIds: [], creatorUserGroupIds: [SLACK_CREATORS], adminUserIds: [], adminUserGroupIds: [] },
  });
  const client = createAccessWebClient({ botToken: "xoxb-fake", apiUrl: fake.apiUrl });
  const instantRetries = { sleep: async () => undefined };
  const runtime = assemble({
    capabilities: withExtra(opts.extra),
    db: database.prisma,
    communities: [community],
    log,
    clock,
    chat: { slack: new SlackChatPoster(client, log, instantRetries) },
    messengers: { slack: new SlackDirectMessenger(client, log, instantRetries) },
    ...(opts.stripe ? { stripe: opts.stripe } : {}),
  });
  const waiter = new ThreadMessageWaiter(opts.onThreadMessage && ((m) => opts.onThreadMessage!(m, runtime.services)));
  const server = await connectSlackHttpAdapter(fake, runtime, log, {
    clock,
    onThreadMessage: waiter.onThreadMessage,
    ...(opts.ackAfterMs === undefined ? {} : { ackAfterMs: opts.ackAfterMs }),
  });

  let responses = 0;
  let userTs = 0;
  const nextResponse = () => `harness-${(responses += 1)}`;
  const post = (body: string) => postSigned(server.url, SIGNING_SECRET, body);
  const base = (who: Person, channelId: string, responseUrlId: string) => ({ userId: who.slack.id, userName: who.slack.name, teamId: TEAM, channelId, responseUrl: fake.responseUrl(responseUrlId) });
  const asPost = (m: FakeSlack["messages"][number]): BotPost => ({ id: m.ts, text: slackShown({ text: m.text, blocks: m.blocks }) || m.text, raw: m });

  return {
    platform: "slack",
    fake: Object.assign(fake, { eventsUrl: server.url }),
    database,
    db: database.prisma,
    runtime,
    services: runtime.services,
    clock,
    community,
    spaceId: TEAM,
    channels: ch,
    threadMessages: waiter.seen,
    idOf: (who) => who.slack.id,
    async run(who, name, { subcommand, options = {}, channelId = ch.general } = {}) {
      const id = nextResponse();
      const text = [subcommand ?? "", ...Object.entries(options).map(([key, value]) => `${key}:${slackOptionText(value)}`)].filter(Boolean).join(" ");
      const body = slashCommandBody({ command: `/${name}`, text, userId: who.slack.id, userName: who.slack.name, teamId: TEAM, teamDomain: "acme", channelId, responseUrl: fake.responseUrl(id) });
      return slackAnswer(fake, await post(body), id);
    },
    async click(who, action, value = "", channelId = ch.general) {
      const id = nextResponse();
      await post(interactionBody(blockActionsPayload({ ...base(who, channelId, id), actionId: `gh:${action}`, value, messageTs: "1700000000.000001" })));
      return slackAnswer(fake, { body: "" }, id);
    },
    async messageCommand(who, idOrName, target) {
      const id = nextResponse();
      const message = { ts: target.id, text: target.text, user: target.author.slack.id, ...(target.threadId ? { thread_ts: target.threadId } : {}) };
      await post(interactionBody(messageShortcutPayload({ ...base(who, target.channelId, id), callbackId: messageCommandNamed(runtime, idOrName).id, message })));
      return slackAnswer(fake, { body: "" }, id);
    },
    async threadMessage(who, thread, text) {
      const threadId = typeof thread === "string" ? thread : thread.threadId;
      const channelId = typeof thread === "string" ? fake.messages.find((m) => m.ts === thread)?.channel : thread.channelId;
      if (!channelId) throw new Error(`no message ${threadId} the bot posted; pass the ThreadRef instead`);
      // Members' messages get timestamps after any the bot could have posted in a test.
      const ts = `1800000000.${String((userTs += 1)).padStart(6, "0")}`;
      await post(messageEventBody({ teamId: TEAM, channelId, userId: who.slack.id, text, ts, threadTs: threadId }));
      await waiter.wait(ts);
      return { id: ts, channelId, threadId, text, author: who };
    },
    posts: (channelId) => fake.messages.filter((m) => (m.channel === channelId && !m.thread_ts) || m.thread_ts === channelId).map(asPost),
    thread: (ref) => fake.messages.filter((m) => m.channel === ref.channelId && (m.ts === ref.threadId || m.thread_ts === ref.threadId)).map(asPost),
    dms: (who) => fake.messages.filter((m) => m.channel === `D${who.slack.id}`).map(asPost),
    async stop() {
      await server.stop();
      await fake.close();
      await database.dispose();
    },
  };
}

/** An option value as a member would type it after a Slack slash command. */
function slackOptionText(value: OptionInput): string {
  if (isPerson(value)) return `<@${value.slack.id}|${value.slack.name}>`;
  if (typeof value === "object") return `<#${value.channel}>`;
  const text = String(value);
  if (!/\s/.test(text) && text !== "") return text;
  return text.includes('"') ? `“${text}”` : `"${text}"`;
}
