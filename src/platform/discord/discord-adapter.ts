import type { PaceGate } from "../pacing.js";
import { pacedRequests } from "./paced-rest.js";
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  Options,
} from "discord.js";
import type { ThreadMessage } from "../../core/chat.js";
import { type Clock, systemClock } from "../../core/services.js";
import { parseActionId } from "../../core/action.js";
import type { Dispatcher } from "../../core/dispatch.js";
import type { Metrics } from "../../core/metrics.js";
import { StartupError } from "../../db/data-dir-lock.js";
import type { Db } from "../../db/database.js";
import type { CommandRegistry } from "../../core/registry.js";
import type { Logger } from "../../log/logger.js";
import { type AnswerObserver, InFlight, type PlatformAdapter } from "../adapter.js";
import { buttonInvocation, invocationFrom, messageCommandInput } from "./interaction-input.js";
import { accessSignalGuild, threadMessageFrom } from "./gateway-events.js";
import { sendReply, targetOf } from "./gateway-reply.js";
import { openThread, sendDirectMessage } from "./side-effects.js";
import { guardPackets } from "./packet-guard.js";
import { gatewayFacts } from "./shards/shard-count.js";
import { type IdentifyGate, LocalIdentifyGate, SharedIdentifyGate } from "./shards/identify-gate.js";
import { agreeShardCount } from "./shards/shard-count-agreement.js";
import { ShardLeases } from "./shards/shard-leases.js";
import { ClaimStates } from "./recovery/claim-states.js";
import { ClaimRecovery } from "./recovery/claim-recovery.js";
import { answerHeld, type HeldAnswerOptions } from "./recovery/held-answer.js";

export interface DiscordAdapterOptions {
  readonly config: { readonly token: string; readonly apiUrl?: string; readonly shardCount?: number };
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
  /**
   * The token's request pace (accessGateways' Discord pacer, shared by every process on
   * PostgreSQL): the client's own requests take their turns there instead of discord.js's
   * per-process limit. Interaction callbacks and webhook follow-ups skip it (paced-rest.ts).
   */
  readonly pace?: PaceGate;
  /** Called for each message someone other than Guildhall posts in a thread (Q&A counts replies). */
  readonly onThreadMessage?: (message: ThreadMessage) => Promise<void>;
  /** The time an interaction is stamped with (its `now`); the system clock by default. */
  readonly clock?: Clock;
  /**
   * Share the gateway shards with the other processes on this database through lease rows
   * (PostgreSQL). Without it this process holds every shard (the embedded database admits one
   * process). The lease lasts `ttlMs` unrenewed, and is renewed and rebalanced every `passEveryMs`.
   */
  readonly shardLeases?: { readonly db: Db; readonly holder: string; readonly ttlMs?: number; readonly passEveryMs?: number };
  /**
   * Record this process as the holder of each interaction it claims, and answer the deferred
   * interactions of processes that died before answering them (src/platform/discord/recovery).
   * `holder` is the name its gateway lease is renewed under (PROCESS_HOLDER).
   */
  readonly recovery?: { readonly db: Db; readonly holder: string; readonly metrics: Metrics; readonly passEveryMs?: number };
}

const DEFAULT_ACK_AFTER_MS = 1500;
/** Another process takes a silent holder's shards this long after its last renewal (plus one pass). */
export const SHARD_LEASE_TTL_MS = 15_000;
/** Leases are renewed and shares checked this often; a released shard is taken within one pass. */
export const SHARD_PASS_EVERY_MS = 500;
/** How long shutdown, or letting a shard go, waits for running handlers. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Members (and users) discord.js keeps per guild: the recently active, for its own bookkeeping. */
const RECENT_MEMBERS = 1000;

/** Serves the command registry on Discord through discord.js. */
export class DiscordAdapter implements PlatformAdapter {
  readonly name = "discord";
  /** One discord.js client per gateway shard this process serves. */
  readonly #clients = new Map<number, Client>();
  readonly #inFlight = new InFlight();
  #status: "starting" | "ready" | "stopped" = "starting";
  #accepting = true;
  #leases: ShardLeases | undefined;
  /** Spaces the shards' identifies as Discord requires (set in start, before any client exists). */
  #identifyGate: IdentifyGate = new LocalIdentifyGate(1);
  #passTimer: NodeJS.Timeout | undefined;
  #passing: Promise<void> | undefined;
  readonly #held: HeldAnswerOptions;
  readonly #recovery: ClaimRecovery | undefined;

  constructor(private readonly opts: DiscordAdapterOptions) {
    const states = opts.recovery ? new ClaimStates(opts.recovery.db, opts.recovery.holder, (error) => opts.log.warn({ err: error }, "could not mark interactions answered")) : undefined;
    this.#held = { states, ackAfterMs: opts.ackAfterMs ?? DEFAULT_ACK_AFTER_MS, log: opts.log };
    this.#recovery =
      states && opts.recovery
        ? new ClaimRecovery({ states, dispatcher: opts.dispatcher, metrics: opts.recovery.metrics, log: opts.log, ...(opts.config.apiUrl ? { apiUrl: opts.config.apiUrl } : {}) })
        : undefined;
  }

  /**
   * A discord.js client for one gateway shard, its events wired to the dispatcher. Events
   * count only while this client is the one serving its shard: a client that is being let go
   * (its shard taken over, or shutdown) hears on, and ignores, what the new holder handles.
   */
  #clientFor(shard: number, count: number): Client {
    const opts = this.opts;
    const client = new Client({
      // Server Members is a privileged intent: it must be enabled in the developer portal.
      // Guild Messages is not: it reports that a message was posted (author, channel), and
      // without the privileged Message Content intent its text stays empty, which is all
      // thread activity needs.
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildMessages],
      shards: [shard],
      shardCount: count,
      // A client per shard, maybe in several processes: the identifies of all are spaced together.
      ws: { buildIdentifyThrottler: () => this.#identifyGate },
      // Messages are only counted as they arrive, never read back: keeping the last 200 of
      // every channel in memory, discord.js's default, would buy nothing. Every interaction
      // and message brings its member and user, which discord.js keeps forever by default:
      // a community's first-contact burst (an announcement, a launch) would grow them without
      // end. Guildhall reads members from the interaction itself and asks REST for the rest,
      // so a bounded cache (the bot's own member and user always kept) loses nothing.
      makeCache: Options.cacheWithLimits({
        ...Options.DefaultMakeCacheSettings,
        MessageManager: 0,
        GuildMemberManager: { maxSize: RECENT_MEMBERS, keepOverLimit: (member) => member.id === member.client.user.id },
        UserManager: { maxSize: RECENT_MEMBERS, keepOverLimit: (user) => user.id === user.client.user.id },
      }),
      // Replies are rendered in the API's own shape (render.ts types them with discord-api-types),
      // so discord.js's default, a deep copy of every embed and button row with each key
      // snake-cased, would change nothing at some cost on every answer.
      jsonTransformer: (data: unknown) => data,
      rest: {
        ...(opts.config.apiUrl ? { api: opts.config.apiUrl } : {}),
        ...(opts.globalRequestsPerSecond ? { globalRequestsPerSecond: opts.globalRequestsPerSecond } : {}),
        ...(opts.pace ? { globalRequestsPerSecond: Number.POSITIVE_INFINITY, makeRequest: pacedRequests(opts.pace) } : {}),
      },
    });
    const serving = () => this.#accepting && this.#clients.get(shard) === client;
    guardPackets(client, opts.log);
    client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }) => {
      const guildId = accessSignalGuild(packet, client.user?.id);
      if (!guildId || !serving() || !opts.onAccessSignal) return;
      void this.#inFlight.track(opts.onAccessSignal(guildId).catch((error: unknown) => opts.log.error({ err: error, guildId }, "could not retry refused access changes")));
    });
    // Without an 'error' listener an async failure in a listener would kill the process.
    client.on(Events.Error, (error) => opts.log.error({ err: error, shard }, "discord client error"));
    client.on(Events.ShardDisconnect, () => serving() && opts.log.warn({ shard }, "discord gateway disconnected; discord.js reconnects"));
    client.on(Events.GuildMemberAdd, (member) => {
      if (!serving() || !opts.onMemberJoined) return;
      // Every gateway session hears the join; guild, user and join time name it for the claim.
      const eventId = `${member.guild.id}:${member.id}:${member.joinedTimestamp ?? ""}`;
      void this.#inFlight.track(opts.onMemberJoined(member.guild.id, member.id, eventId).catch((error: unknown) => opts.log.error({ err: error }, "could not apply access for a new member")));
    });
    client.on(Events.InteractionCreate, (interaction) => {
      if (!serving()) return;
      void this.#inFlight.track(this.#onInteraction(interaction));
    });
    client.on(Events.MessageCreate, (message) => {
      const report = opts.onThreadMessage;
      if (!serving() || !report || !message.inGuild() || !message.channel.isThread()) return;
      if (message.author.id === client.user?.id) return;
      void this.#inFlight.track(report(threadMessageFrom(message, this.#now)).catch((error: unknown) => opts.log.error({ err: error, message: message.id }, "could not handle a thread message")));
    });
    return client;
  }

  get #now(): Date {
    return (this.opts.clock ?? systemClock).now();
  }

  /**
   * Connects the shards this process holds: all of them, or with `shardLeases` those the
   * leases give it (possibly none: the process then serves HTTP and runs jobs only), checking
   * the leases again every `passEveryMs`.
   */
  async start(): Promise<void> {
    const facts = await gatewayFacts(this.opts.config);
    const recommended = facts.shards;
    const leasing = this.opts.shardLeases;
    this.#identifyGate = leasing
      ? new SharedIdentifyGate(leasing.db, leasing.holder, facts.identifyConcurrency)
      : new LocalIdentifyGate(facts.identifyConcurrency);
    const ttlMs = leasing?.ttlMs ?? SHARD_LEASE_TTL_MS;
    // Processes sharing the database use one count, or each would connect shards of its own.
    const count = leasing ? await agreeShardCount(leasing.db, recommended, ttlMs, new Date()) : recommended;
    if (count !== recommended) {
      this.opts.log.warn(
        { recommended, inUse: count },
        `using ${count} gateway shards, the count the processes already running use (this one arrived at ${recommended}); stop every process, then start them again to change it`,
      );
    }
    if (leasing) {
      this.#leases = new ShardLeases({ db: leasing.db, holder: leasing.holder, count, ttlMs });
      const { held, offered } = await this.#leases.balance(new Date());
      for (const shard of [...held, ...offered]) await this.#connect(shard, count);
      this.#passTimer = setInterval(() => void this.#pass(), leasing.passEveryMs ?? SHARD_PASS_EVERY_MS).unref();
    } else {
      for (let shard = 0; shard < count; shard++) await this.#connect(shard, count);
    }
    this.#status = "ready";
    this.#recovery?.start(this.opts.recovery?.passEveryMs);
    this.opts.log.info({ shards: [...this.#clients.keys()], of: count }, "connected to Discord");
  }

  /** Logs in one shard's client and waits for its guilds. */
  async #connect(shard: number, count: number): Promise<void> {
    const client = this.#clientFor(shard, count);
    this.#clients.set(shard, client);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    try {
      await client.login(this.opts.config.token);
    } catch (error) {
      if (this.#clients.get(shard) === client) this.#clients.delete(shard);
      await client.destroy();
      if (/disallowed intents/i.test(String((error as Error).message))) {
        throw new StartupError("Discord refused the Server Members intent. Enable it in the developer portal: your application → Bot → Privileged Gateway Intents → Server Members Intent.");
      }
      throw error;
    }
    await ready;
    this.opts.log.info({ shard, of: count, guilds: client.guilds.cache.size }, "holding Discord gateway shard");
    // A process that offered this shard listens until now; it may let go.
    await this.#leases?.markConnected(shard, new Date()).catch((error: unknown) => this.opts.log.warn({ err: error, shard }, "could not record a connected Discord shard"));
  }

  /** One lease pass: connect the shards gained, let go of those another process has taken. */
  async #pass(): Promise<void> {
    const leases = this.#leases;
    if (!leases || this.#passing || !this.#accepting) return;
    const pass = (async () => {
      // Leases follow the wall clock: other processes compare against theirs.
      let holdings = leases.holdings(new Date());
      try {
        holdings = await leases.balance(new Date());
      } catch (error) {
        // Shards whose lease ran out meanwhile are let go below: another process may hold them now.
        this.opts.log.warn({ err: error }, "could not renew Discord shard leases");
        holdings = leases.holdings(new Date());
      }
      if (!this.#accepting) return;
      const wanted = new Set([...holdings.held, ...holdings.offered]);
      for (const [shard, client] of this.#clients) if (!wanted.has(shard)) this.#letGo(shard, client);
      // Connecting runs beside the passes, so a slow gateway never holds up renewing the leases.
      for (const shard of wanted) {
        if (this.#clients.has(shard)) continue;
        void this.#connect(shard, leases.count).catch((error: unknown) => {
          if (this.#accepting) this.opts.log.error({ err: error, shard }, "could not connect a Discord gateway shard; trying again on the next pass");
        });
      }
    })();
    this.#passing = pass;
    await pass.finally(() => (this.#passing = undefined));
  }

  /** Stops serving a shard at once; its client closes once the work it started is answered. */
  #letGo(shard: number, client: Client): void {
    this.#clients.delete(shard);
    this.opts.log.info({ shard }, "another process holds this Discord gateway shard now; letting go");
    void this.#inFlight.drain(SHUTDOWN_GRACE_MS).then(() => client.destroy());
  }

  /**
   * Stops taking events, hands the shard leases back at once (another process connects them on
   * its next pass instead of waiting for them to expire), answers what is running (up to
   * `graceMs`), then disconnects.
   */
  async stop(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#passTimer);
    const recovering = this.#recovery?.stop();
    await this.#passing;
    await this.#leases?.release().catch((error: unknown) => this.opts.log.warn({ err: error }, "could not release Discord shard leases; they expire on their own"));
    await this.#inFlight.drain(graceMs);
    await recovering;
    await this.#held.states?.flush();
    await Promise.all([...this.#clients.values()].map((c) => c.destroy()));
    this.#clients.clear();
    this.#status = "stopped";
  }

  /**
   * The gateway shards this process is connected to and answering now (for /healthz): while a
   * shard changes hands, both processes list it, then only the new holder.
   */
  servingShards(): number[] {
    return [...this.#clients].filter(([, client]) => client.isReady()).map(([shard]) => shard).sort((a, b) => a - b);
  }

  /** The gateway shards whose leases this process holds now (every shard it serves, without leases), for /metrics. */
  heldShards(): number[] {
    return this.#leases ? [...this.#leases.holdings(new Date()).held] : [...this.#clients.keys()].sort((a, b) => a - b);
  }

  status() {
    return this.#status;
  }

  /** Where this process records the claims it holds (with `recovery`), for interactions over HTTP too. */
  claimStates(): ClaimStates | undefined {
    return this.#held.states;
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
    const value = parsed?.value ?? "";
    const held = { kind: "action" as const, invocation, ephemeralWhenDeferred: true };
    const reply = await answerHeld(interaction, held, (hooks) => this.opts.dispatcher.runAction(invocation, value, hooks), (r, deferred) => sendReply(interaction, r, deferred ? { deferredEphemeral: true } : undefined), this.#held);
    if (reply?.directMessage) await sendDirectMessage(targetOf(interaction), reply.directMessage, this.opts.log);
  }

  /** Apps → a Guildhall command on a message: answered like a slash command, privately unless the reply says otherwise. */
  async #onMessageCommand(interaction: MessageContextMenuCommandInteraction<"cached" | "raw">): Promise<void> {
    const receivedAt = performance.now();
    const { invocation, message } = messageCommandInput(interaction, this.#now);
    const held = { kind: "message" as const, invocation, ephemeralWhenDeferred: true };
    const reply = await answerHeld(interaction, held, (hooks) => this.opts.dispatcher.runMessageCommand(invocation, message, hooks), (r, deferred) => sendReply(interaction, r, deferred ? { deferredEphemeral: true } : undefined), this.#held);
    if (!reply) return;
    this.opts.onAnswered?.({ platform: "discord", command: invocation.command, ms: performance.now() - receivedAt });
    if (reply.thread) await openThread(targetOf(interaction), reply, this.opts.log);
    if (reply.directMessage) await sendDirectMessage(targetOf(interaction), reply.directMessage, this.opts.log);
  }

  async #onCommand(interaction: ChatInputCommandInteraction<"cached" | "raw">): Promise<void> {
    const receivedAt = performance.now();
    const invocation = invocationFrom(interaction, this.#now);
    const leaf = this.opts.dispatcher.leafFor(invocation);
    const deferEphemeral = leaf?.visibility !== "public";
    const held = { kind: "command" as const, invocation, ephemeralWhenDeferred: deferEphemeral };
    const reply = await answerHeld(interaction, held, (hooks) => this.opts.dispatcher.run(invocation, hooks), (r, deferred) => sendReply(interaction, r, deferred ? { deferredEphemeral: deferEphemeral } : undefined), this.#held);
    if (!reply) return;
    this.opts.onAnswered?.({ platform: "discord", command: invocation.command, ms: performance.now() - receivedAt });
    if (reply.thread) await openThread(targetOf(interaction), reply, this.opts.log);
    if (reply.directMessage) await sendDirectMessage(targetOf(interaction), reply.directMessage, this.opts.log);
  }
}
