import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { capabilities } from "./capabilities.js";
import { simulatedPaymentsCapability, startPaymentSimulator, wantsPaymentSimulator } from "./commerce/simulated/index.js";
import { createStripeClient } from "./commerce/stripe-client.js";
import { STRIPE_WEBHOOK_PATH } from "./commerce/stripe-webhook.js";
import type { Config } from "./config/config.js";
import { assemble } from "./core/assemble.js";
import type { Dispatcher } from "./core/dispatch.js";
import { startJobs } from "./core/jobs/jobs.js";
import { Metrics } from "./core/metrics.js";
import { DatabaseRunCoordinator } from "./core/jobs/run-coordinator.js";
import { type Clock, type Services, systemClock } from "./core/services.js";
import { type Database, openDatabase } from "./db/database.js";
import { PROCESS_HOLDER, releaseProcessLeases } from "./db/lease.js";
import { HttpServer, sendJson } from "./http/http-server.js";
import { metricsRoute } from "./http/metrics-route.js";
import type { Logger } from "./log/logger.js";
import { accessGateways } from "./platform/access-gateways.js";
import type { PlatformAdapter } from "./platform/adapter.js";
import { createAccessRest } from "./platform/discord/access-rest.js";
import { DiscordAdapter } from "./platform/discord/discord-adapter.js";
import { DISCORD_INTERACTIONS_PATH, discordInteractionsRoute } from "./platform/discord/http/interactions-route.js";
import { playgroundBanner } from "./platform/playground/banner.js";
import { PlaygroundChatPoster } from "./platform/playground/chat-poster.js";
import { PlaygroundChatState } from "./platform/playground/chat-state.js";
import { PlaygroundClock } from "./platform/playground/clock.js";
import { PlaygroundDirectMessenger } from "./platform/playground/direct-messenger.js";
import { PlaygroundScheduler } from "./platform/playground/scheduler.js";
import { PlaygroundTerminal } from "./platform/playground/terminal.js";
import { runPlayground } from "./platform/playground/playground.js";
import { accessSignalOf, SlackAdapter, type SlackChannelEvent } from "./platform/slack/slack-adapter.js";

/** How long a stopping process lets running work finish (SIGTERM: Kubernetes waits 30 s before killing). */
const SHUTDOWN_GRACE_MS = 10_000;

export interface AppDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
  /** The playground's terminal; standard input and output by default. */
  readonly input?: Readable;
  readonly output?: Writable;
  /** Acknowledge a command that has not answered after this long (tests shorten it). */
  readonly ackAfterMs?: number;
  /** Listen on this host only (tests use 127.0.0.1). */
  readonly httpHost?: string;
  /** Called after each playground line has been answered (tests wait for it). */
  readonly onPlaygroundLine?: () => void;
}

export interface RunningApp {
  readonly services: Services;
  readonly dispatcher: Dispatcher;
  readonly database: Database;
  readonly adapters: readonly PlatformAdapter[];
  readonly http: HttpServer | undefined;
  /** Settles when the playground's input ends; undefined when no playground runs. */
  readonly playgroundDone: Promise<void> | undefined;
  /** Graceful shutdown: stop taking work, finish what is running, close everything. */
  stop(): Promise<void>;
}

/** Builds Guildhall from its configuration and starts whatever the configuration asks for. */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const { config, log } = deps;
  const database = await openDatabase(config.database, log.child({ module: "db" }));
  // Without Stripe, the playground sells through a simulated payment provider (labelled as such);
  // it follows the services' clock, which exists once the runtime is assembled.
  const assembled: { clock?: Clock } = {};
  const simulator = wantsPaymentSimulator(config) ? await startPaymentSimulator(config, { now: () => (assembled.clock ?? deps.clock ?? systemClock).now() }, { stateFile: join(config.dataDir, "simulated-stripe.json") }) : undefined;
  const stripe = config.stripe ? createStripeClient(config.stripe) : simulator?.stripe;
  const stripeWebhookSecret = config.stripe?.webhookSecret ?? simulator?.webhookSecret;
  const metrics = new Metrics();
  metrics.sample({ poolInUse: () => database.poolStats?.().inUse, poolWaiting: () => database.poolStats?.().waiting });
  // On PostgreSQL other processes may send on the same tokens: their pace is one shared budget.
  const { gateways, adminLog, messengers, chat, discordPace } = accessGateways(config, log.child({ module: "access" }), database.prisma, metrics, { sharedPace: database.kind === "postgres" });
  const output = deps.output ?? process.stdout;
  const terminal = new PlaygroundTerminal(output);
  // With no platform configured the playground runs, and posts go to its terminal.
  const playgroundRuns = !config.discord && !config.slack;
  // The playground's clock can be moved forward with /clock, and stays moved after a restart.
  const clock = deps.clock ?? (playgroundRuns ? new PlaygroundClock({ file: join(config.dataDir, "playground-clock.json") }) : undefined);
  // Kept in the data directory, so threads and messages of an earlier run can still be opened and answered.
  const playgroundChat = new PlaygroundChatState(playgroundRuns ? { file: join(config.dataDir, "playground-chat.json") } : {});
  // The server exists either way: when nothing needs it at start, a capability may start it
  // on first use (/dashboard does).
  const server = new HttpServer(log.child({ module: "http" }));
  let listening: Promise<unknown> | undefined;
  const startHttp = async () => void (await (listening ??= server.listen(config.http.port, deps.httpHost)));
  // The simulator sends its signed events to the webhook route; the server starts with the first.
  const simulatorWebhook = async () => {
    await startHttp();
    return `http://127.0.0.1:${server.port}${STRIPE_WEBHOOK_PATH}`;
  };
  const runtime = assemble({
    capabilities: simulator ? [...capabilities, simulatedPaymentsCapability(simulator, simulatorWebhook)] : capabilities,
    gateways,
    adminLog,
    messengers: playgroundRuns ? { ...messengers, playground: new PlaygroundDirectMessenger(terminal, playgroundChat) } : messengers,
    chat: playgroundRuns ? { ...chat, playground: new PlaygroundChatPoster(terminal, playgroundChat) } : chat,
    db: database.prisma,
    communities: config.communities,
    log,
    checkoutReturnUrl: config.checkoutReturnUrl,
    publicUrl: config.publicUrl,
    startHttp,
    metrics,
    ...(clock ? { clock } : {}),
    ...(stripe ? { stripe } : {}),
    ...(stripeWebhookSecret ? { stripeWebhookSecret } : {}),
  });
  const { registry, services, dispatcher } = runtime;
  assembled.clock = services.clock;
  const adapterDeps = { dispatcher, registry, clock: services.clock, onThreadMessage: runtime.onThreadMessage, ...(deps.ackAfterMs === undefined ? {} : { ackAfterMs: deps.ackAfterMs }) };

  const adapters: PlatformAdapter[] = [];
  const routes = runtime.routes();
  const needsHttp = config.http.explicit || config.slack?.mode === "http" || config.discordPublicKey !== undefined || (routes.length > 0 && !simulator);
  const http = needsHttp ? server : undefined;
  const onDiscordJoin = (guildId: string, userId: string, eventId?: string) => runtime.onMemberJoined("discord", guildId, userId, eventId);
  const onAccessSignal = (guildId: string) => runtime.onAccessSignal({ platform: "discord", spaceId: guildId, kind: "roles-changed" });
  // On PostgreSQL several processes may share the bot: they split its gateway shards through
  // lease rows. The embedded database admits one process, which holds every shard.
  const shardLeases = config.database.kind === "postgres" ? { shardLeases: { db: database.prisma, holder: PROCESS_HOLDER } } : {};
  // Each interaction's claim names this process, so another can answer what it deferred should it die.
  const recovery = { recovery: { db: database.prisma, holder: PROCESS_HOLDER, metrics } };
  const discord = config.discord ? new DiscordAdapter({ ...adapterDeps, ...shardLeases, ...recovery, ...(discordPace ? { pace: discordPace } : {}), config: config.discord, onMemberJoined: onDiscordJoin, onAccessSignal, log: log.child({ module: "discord" }) }) : undefined;
  if (discord) adapters.push(discord);
  metrics.sample({ shardLeases: () => discord?.heldShards().length ?? 0 });
  const onSlackJoin = (teamId: string, userId: string, eventId?: string) => runtime.onMemberJoined("slack", teamId, userId, eventId);
  const onChannelEvent = (e: SlackChannelEvent) => runtime.onAccessSignal(accessSignalOf(e));
  if (config.slack) adapters.push(new SlackAdapter({ ...adapterDeps, config: config.slack, http, onMemberJoined: onSlackJoin, onChannelEvent, log: log.child({ module: "slack" }) }));

  let playground: ReturnType<typeof runPlayground> | undefined;
  // On a platform, jobs run on the system clock; the playground runs them itself, as its own
  // clock passes them (it can be moved forward with /clock).
  const jobs = startJobs(adapters.length > 0 ? [services.work.job(), services.delivery.unsettledCheck(), ...runtime.jobs()] : [], log.child({ module: "schedule" }), {
    coordinator: new DatabaseRunCoordinator(database.prisma),
    clock: services.clock,
    metrics: services.metrics,
  });
  let draining = false;
  let stopping: Promise<void> | undefined;
  // Stopping twice (a test's cleanup after a test that stopped it) waits for the one stop.
  const stop = () => (stopping ??= shutDown());
  const shutDown = async () => {
    log.info("shutting down");
    // Draining: /healthz answers 503 so load balancers look elsewhere, no new firing, stored
    // work or gateway event is taken, and shard leases go back at once (in the adapter's stop).
    // What already runs gets SHUTDOWN_GRACE_MS; HTTP requests still arriving are served.
    draining = true;
    // Stored work still running (a long fan-out) stops between sends and goes back to pending
    // at once, unclaimed, for another process to continue without waiting for its lease.
    services.work.stop();
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    await Promise.all([jobs.stop(SHUTDOWN_GRACE_MS), Promise.allSettled(adapters.map((a) => a.stop(SHUTDOWN_GRACE_MS)))]);
    await server.close(Math.max(1000, deadline - Date.now()));
    // A clock move or a tick may be running: let it finish before the database closes.
    playground?.close();
    await playground?.done;
    // Whatever is still claimed (a job past its grace) is handed back rather than left to expire.
    await releaseProcessLeases(database.prisma, PROCESS_HOLDER, new Date()).catch((error: unknown) => log.warn({ err: error }, "could not release this process's leases; they expire on their own"));
    playgroundChat.flush();
    await simulator?.close();
    await database.close();
    log.info("stopped");
  };

  try {
    if (http) {
      http.route("GET", "/healthz", async (_req, res) => {
        const db = await database.ping().then(() => "ok", () => "unreachable");
        const platforms = Object.fromEntries(adapters.map((a) => [a.name, a.status()]));
        const shards = discord ? { discordShards: discord.servingShards() } : {};
        const status = draining ? "draining" : db === "ok" ? "ok" : "degraded";
        sendJson(res, status === "ok" ? 200 : 503, { status, database: db, platforms, ...shards });
      });
    }
    server.route("GET", "/metrics", metricsRoute(metrics, config.metricsToken));
    if (config.discordPublicKey) {
      const apiUrl = config.discord?.apiUrl;
      // With the bot token, the threads and direct messages replies ask for are sent too.
      const rest = config.discord ? { rest: createAccessRest(config.discord) } : {};
      // Recorded with the gateway adapter's claims: its lease is what says this process is alive.
      const claims = discord?.claimStates();
      const discordHttp = { publicKey: config.discordPublicKey, dispatcher, clock: services.clock, log: log.child({ module: "discord-http" }), ...rest, ...(apiUrl ? { apiUrl } : {}), ...(deps.ackAfterMs === undefined ? {} : { ackAfterMs: deps.ackAfterMs }), ...(claims ? { claims } : {}) };
      server.route("POST", DISCORD_INTERACTIONS_PATH, discordInteractionsRoute(discordHttp));
    }
    // Routes go on the server even when it is not listening yet: a capability may start it later.
    for (const route of routes) server.route(route.method, route.path, route.handler);
    for (const mount of runtime.mounts()) server.mount(mount.prefix, mount.listener);
    for (const adapter of adapters) await adapter.start();
    if (http) await startHttp();
    if (adapters.length === 0) {
      const scheduler = new PlaygroundScheduler({
        jobs: runtime.jobs(),
        runDue: () => services.work.runDue(),
        nextWorkAfter: (after) => services.work.nextRunAfter(after),
        clock: services.clock,
        log: log.child({ module: "schedule" }),
      });
      playground = runPlayground({
        dispatcher,
        registry,
        chat: playgroundChat,
        onThreadMessage: runtime.onThreadMessage,
        scheduler,
        ...(deps.onPlaygroundLine ? { onLineDone: deps.onPlaygroundLine } : {}),
        input: deps.input ?? process.stdin,
        output,
        terminal,
        clock: services.clock,
        log: log.child({ module: "playground" }),
        banner: playgroundBanner(config),
        imageDir: config.dataDir,
      });
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { services, dispatcher, database, adapters, http, playgroundDone: playground?.done, stop };
}
