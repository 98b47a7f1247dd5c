import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  Options,
  type RepliableInteraction,
} from "discord.js";
import type { ThreadMessage } from "../../core/chat.js";
import { type Clock, systemClock } from "../../core/services.js";
import { parseActionId } from "../../core/action.js";
import type { Dispatcher } from "../../core/dispatch.js";
import { StartupError } from "../../db/data-dir-lock.js";
import type { Reply } from "../../core/reply.js";
import type { CommandRegistry } from "../../core/registry.js";
import type { Logger } from "../../log/logger.js";
import { type AnswerObserver, InFlight, type PlatformAdapter } from "../adapter.js";
import { buttonInvocation, invocationFrom, messageCommandInput } from "./interaction-input.js";
import { renderDiscordMessage } from "./render.js";
import { openThread, sendDirectMessage } from "./side-effects.js";
import { guardPackets } from "./packet-guard.js";

export interface DiscordAdapterOptions {
  readonly config: { readonly token: string; readonly apiUrl?: string };
  readonly dispatcher: Dispatcher;
  readonly registry: CommandRegistry;
  readonly log: Logger;
  /** Defer when the handler has not answered after this long; Discord allows 3 s. */
  readonly ackAfterMs?: number;
  readonly onAnswered?: AnswerObserver;
  /** Called when someone joins a guild, so access they paid for before joining follows them in. */
  readonly onMemberJoined?: (guildId: string, userId: string, eventId?: string) => Promise<void>;
  /**
   * Called when Discord reports a change that may fix a refused role change: a role edited
   * or moved, the server's settings, or the bot's own roles (so refused grants are retried).
   */
  readonly onAccessSignal?: (guildId: string) => Promise<void>;
  /** discord.js limits itself to 50 requests a second; load tests that are not about that raise it. */
  readonly globalRequestsPerSecond?: number;
  /** Called for each message someone other than Guildhall posts in a thread (Q&A counts replies). */
  readonly onThreadMessage?: (message: ThreadMessage) => Promise<void>;
  /** The time an interaction is stamped with (its `now`); the system clock by default. */
  readonly clock?: Clock;
}

const DEFAULT_ACK_AFTER_MS = 1500;

/** Serves the command registry on Discord through discord.js. */
export class DiscordAdapter implements PlatformAdapter {
  readonly name = "discord";
  readonly #client: Client;
  readonly #inFlight = new InFlight();
  #status: "starting" | "ready" | "stopped" = "starting";
  #accepting = true;

  constructor(private readonly opts: DiscordAdapterOptions) {
    this.#client = new Client({
      // Server Members is a privileged intent: it must be enabled in the developer portal.
      // Guild Messages is not: it reports that a message was posted (author, channel), and
      // without the privileged Message Content intent its text stays empty, which is all
      // thread activity needs.
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildMessages],
      // Messages are only counted as they arrive, never read back: keeping the last 200 of
      // every channel in memory, discord.js's default, would buy nothing.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      rest: {
        ...(opts.config.apiUrl ? { api: opts.config.apiUrl } : {}),
        ...(opts.globalRequestsPerSecond ? { globalRequestsPerSecond: opts.globalRequestsPerSecond } : {}),
      },
    });
    guardPackets(this.#client, opts.log);
    this.#client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }) => {
      const guildId = accessSignalGuild(packet, this.#client.user?.id);
      if (!guildId || !this.#accepting || !opts.onAccessSignal) return;
      void this.#inFlight.track(opts.onAccessSignal(guildId).catch((error: unknown) => opts.log.error({ err: error, guildId }, "could not retry refused access changes")));
    });
    // Without an 'error' listener an async failure in a listener would kill the process.
    this.#client.on(Events.Error, (error) => opts.log.error({ err: error }, "discord client error"));
    this.#client.on(Events.ShardDisconnect, () => opts.log.warn("discord gateway disconnected; discord.js reconnects"));
    this.#client.on(Events.GuildMemberAdd, (member) => {
      if (!this.#accepting || !opts.onMemberJoined) return;
      // Every gateway session hears the join; guild, user and join time name it for the claim.
      const eventId = `${member.guild.id}:${member.id}:${member.joinedTimestamp ?? ""}`;
      void this.#inFlight.track(opts.onMemberJoined(member.guild.id, member.id, eventId).catch((error: unknown) => opts.log.error({ err: error }, "could not apply access for a new member")));
    });
    this.#client.on(Events.InteractionCreate, (interaction) => {
      if (!this.#accepting) return;
      void this.#inFlight.track(this.#onInteraction(interaction));
    });
    this.#client.on(Events.MessageCreate, (message) => {
      const report = opts.onThreadMessage;
      if (!this.#accepting || !report || !message.inGuild() || !message.channel.isThread()) return;
      if (message.author.id === this.#client.user?.id) return;
      void this.#inFlight.track(report(threadMessageFrom(message, this.#now)).catch((error: unknown) => opts.log.error({ err: error, message: message.id }, "could not handle a thread message")));
    });
  }

  get #now(): Date {
    return (this.opts.clock ?? systemClock).now();
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.#client.once(Events.ClientReady, () => resolve()));
    try {
      await this.#client.login(this.opts.config.token);
    } catch (error) {
      if (/disallowed intents/i.test(String((error as Error).message))) {
        throw new StartupError("Discord refused the Server Members intent. Enable it in the developer portal: your application → Bot → Privileged Gateway Intents → Server Members Intent.");
      }
      throw error;
    }
    await ready;
    this.#status = "ready";
    this.opts.log.info({ user: this.#client.user?.tag, guilds: this.#client.guilds.cache.size }, "connected to Discord");
  }

  async stop(graceMs = 5000): Promise<void> {
    this.#accepting = false;
    await this.#inFlight.drain(graceMs);
    await this.#client.destroy();
    this.#status = "stopped";
  }

  status() {
    return this.#status;
  }

  async #onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.inGuild()) return void (await interaction.respond([]));
        const focused = interaction.options.getFocused(true);
        const invocation = invocationFrom(interaction, this.#now);
        if (!(await this.opts.dispatcher.claim(invocation))) return;
        const choices = await this.opts.dispatcher.autocomplete(invocation, focused.name, String(focused.value));
        return void (await interaction.respond(choices.map((c) => ({ name: c.name, value: c.value }))));
      }
      if (!interaction.isRepliable()) return;
      if (!interaction.inGuild()) {
        return void (await interaction.reply({ content: "Guildhall commands work inside a community server.", flags: MessageFlags.Ephemeral }));
      }
      if (interaction.isChatInputCommand()) return await this.#onCommand(interaction);
      if (interaction.isButton()) return await this.#onButton(interaction);
      if (interaction.isMessageContextMenuCommand()) return await this.#onMessageCommand(interaction);
    } catch (error) {
      this.opts.log.error({ err: error, interaction: interaction.id }, "could not answer an interaction");
    }
  }

  async #onButton(interaction: ButtonInteraction<"cached" | "raw">): Promise<void> {
    const parsed = parseActionId(interaction.customId);
    const invocation = buttonInvocation(interaction, parsed?.action ?? "", this.#now);
    const work = this.opts.dispatcher.runAction(invocation, parsed?.value ?? "");
    const acked = await ackIfSlow(interaction, work, this.opts.ackAfterMs ?? DEFAULT_ACK_AFTER_MS, true);
    const { reply, duplicate } = await work;
    if (duplicate) return;
    await sendReply(interaction, reply, acked ? { deferredEphemeral: true } : undefined);
    if (reply.directMessage) await sendDirectMessage(interaction, reply.directMessage, this.opts.log);
  }

  /** Apps → a Guildhall command on a message: answered like a slash command, privately unless the reply says otherwise. */
  async #onMessageCommand(interaction: MessageContextMenuCommandInteraction<"cached" | "raw">): Promise<void> {
    const receivedAt = performance.now();
    const { invocation, message } = messageCommandInput(interaction, this.#now);
    const work = this.opts.dispatcher.runMessageCommand(invocation, message);
    const acked = await ackIfSlow(interaction, work, this.opts.ackAfterMs ?? DEFAULT_ACK_AFTER_MS, true);
    const { reply, duplicate } = await work;
    if (duplicate) return;
    await sendReply(interaction, reply, acked ? { deferredEphemeral: true } : undefined);
    this.opts.onAnswered?.({ platform: "discord", command: invocation.command, ms: performance.now() - receivedAt });
    if (reply.thread) await openThread(interaction, reply, this.opts.log);
    if (reply.directMessage) await sendDirectMessage(interaction, reply.directMessage, this.opts.log);
  }

  async #onCommand(interaction: ChatInputCommandInteraction<"cached" | "raw">): Promise<void> {
    const receivedAt = performance.now();
    const invocation = invocationFrom(interaction, this.#now);
    const leaf = this.opts.dispatcher.leafFor(invocation);
    const deferEphemeral = leaf?.visibility !== "public";
    const work = this.opts.dispatcher.run(invocation);
    const acked = await ackIfSlow(interaction, work, this.opts.ackAfterMs ?? DEFAULT_ACK_AFTER_MS, deferEphemeral);
    const { reply, duplicate } = await work;
    if (duplicate) return;
    await sendReply(interaction, reply, acked ? { deferredEphemeral: deferEphemeral } : undefined);
    this.opts.onAnswered?.({ platform: "discord", command: invocation.command, ms: performance.now() - receivedAt });
    if (reply.thread) await openThread(interaction, reply, this.opts.log);
    if (reply.directMessage) await sendDirectMessage(interaction, reply.directMessage, this.opts.log);
  }
}

/** The guild whose roles or settings changed in a way that may unblock a refused role change. */
function accessSignalGuild(packet: { t?: unknown; d?: unknown }, botId: string | undefined): string | undefined {
  const d = packet.d as { id?: unknown; guild_id?: unknown; user?: { id?: unknown } } | null | undefined;
  if (typeof d !== "object" || d === null) return undefined;
  switch (packet.t) {
    case "GUILD_ROLE_UPDATE":
    case "GUILD_ROLE_CREATE":
      return typeof d.guild_id === "string" ? d.guild_id : undefined;
    case "GUILD_UPDATE":
      return typeof d.id === "string" ? d.id : undefined;
    case "GUILD_MEMBER_UPDATE":
      return botId !== undefined && d.user?.id === botId && typeof d.guild_id === "string" ? d.guild_id : undefined;
    default:
      return undefined;
  }
}

/**
 * A message in a thread as Q&A sees it: who posted where, never what they wrote. `at` is
 * when Guildhall heard of it, on the adapter's clock, like an interaction's `now`.
 */
function threadMessageFrom(message: Message<true>, at: Date): ThreadMessage {
  const author = message.author;
  return {
    platform: "discord",
    spaceId: message.guildId,
    threadId: message.channelId,
    messageId: message.id,
    author: { id: author.id, displayName: message.member?.displayName ?? author.globalName ?? author.username, bot: author.bot },
    at,
  };
}

/** Defers the interaction if `work` is still running after `afterMs`; returns whether it did. */
async function ackIfSlow(interaction: RepliableInteraction, work: Promise<unknown>, afterMs: number, ephemeral: boolean): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<"slow">((resolve) => (timer = setTimeout(() => resolve("slow"), afterMs)));
  const first = await Promise.race([work.then(() => "done" as const), slow]);
  clearTimeout(timer);
  if (first === "done") return false;
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  return true;
}

/**
 * Answers the interaction. After a deferral whose visibility turned out wrong (a public
 * command that failed, say), the placeholder is deleted and the reply sent as a follow-up,
 * because Discord cannot change a message's visibility.
 */
async function sendReply(interaction: RepliableInteraction, reply: Reply, deferred: { deferredEphemeral: boolean } | undefined): Promise<void> {
  const ephemeral = reply.visibility === "ephemeral";
  const image = reply.image ? { files: [{ attachment: Buffer.from(reply.image.png), name: reply.image.name, description: reply.image.alt }] } : {};
  const payload = { ...renderDiscordMessage(reply), ...image };
  const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
  if (!deferred) return void (await interaction.reply({ ...payload, ...(flags ? { flags } : {}) }));
  if (deferred.deferredEphemeral === ephemeral) return void (await interaction.editReply(payload));
  await interaction.deleteReply().catch((error: unknown) => {
    if (!(error instanceof DiscordAPIError)) throw error;
  });
  await interaction.followUp({ ...payload, ...(flags ? { flags } : {}) });
}
