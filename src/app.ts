import type { Readable, Writable } from "node:stream";
import { allActions, allCommands, allMessageCommands } from "./commands.js";
import { createStripeClient } from "./commerce/stripe-client.js";
import { commerceRuntime, reconciliationJob } from "./commerce/commerce-runtime.js";
import { STRIPE_WEBHOOK_PATH, stripeWebhookRoute } from "./commerce/stripe-webhook.js";
import type { Config } from "./config/config.js";
import type { Dispatcher } from "./core/dispatch.js";
import type { Clock, Services } from "./core/services.js";
import { type Database, openDatabase } from "./db/database.js";
import { HttpServer, sendJson } from "./http/http-server.js";
import type { Logger } from "./log/logger.js";
import type { PlatformAdapter } from "./platform/adapter.js";
import { DiscordAdapter } from "./platform/discord/discord-adapter.js";
import { runPlayground } from "./platform/playground/playground.js";
import { SlackAdapter } from "./platform/slack/slack-adapter.js";
import { playgroundBanner } from "./platform/playground/banner.js";
import { PlaygroundChatPoster } from "./platform/playground/chat-poster.js";
import { PlaygroundTerminal } from "./platform/playground/terminal.js";
import { createRuntime } from "./runtime.js";
import { accessExpiryJob } from "./commerce/jobs.js";
import { startJobs } from "./core/jobs/jobs.js";
import { digestJob } from "./schedule/digest/job.js";
import { qaJobs } from "./qa/qa-jobs.js";
import type { ThreadMessage } from "./core/chat.js";
import { reviewJobs } from "./review/jobs.js";
import { DatabaseRunCoordinator } from "./core/jobs/run-coordinator.js";
import { accessGateways } from "./platform/access-gateways.js";

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
  const stripe = config.stripe ? createStripeClient(config.stripe) : undefined;
  const { gateways, adminLog, messengers, chat } = accessGateways(config, log.child({ module: "access" }), database.prisma);
  const output = deps.output ?? process.stdout;
  const terminal = new PlaygroundTerminal(output);
  // With no platform configured the playground runs, and posts go to its terminal.
  const playgroundRuns = !config.discord && !config.slack;
  const { registry, services, dispatcher } = createRuntime({
    gateways,
    adminLog,
    messengers,
    chat: playgroundRuns ? { ...chat, playground: new PlaygroundChatPoster(terminal) } : chat,
    db: database.prisma,
    communities: config.communities,
    commands: allCommands,
    actions: allActions,
    messageCommands: allMessageCommands,
    log,
    checkoutReturnUrl: config.checkoutReturnUrl,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(stripe ? { stripe } : {}),
  });
  // Every message in a thread is reported; Q&A counts the replies in question threads.
  const onThreadMessage = (message: ThreadMessage) => services.qa.recordReply(message);
  const adapterDeps = { dispatcher, registry, clock: services.clock, onThreadMessage, ...(deps.ackAfterMs === undefined ? {} : { ackAfterMs: deps.ackAfterMs }) };

  const adapters: PlatformAdapter[] = [];
  const needsHttp = config.http.explicit || config.slack?.mode === "http" || config.stripe?.webhookSecret !== undefined;
  const http = needsHttp ? new HttpServer(log.child({ module: "http" })) : undefined;
  const onMemberJoined = (guildId: string, userId: string) => services.accessSync.syncAccount("discord", guildId, userId);
  if (config.discord) adapters.push(new DiscordAdapter({ ...adapterDeps, config: config.discord, onMemberJoined, log: log.child({ module: "discord" }) }));
  const onSlackJoin = (teamId: string, userId: string) => services.accessSync.syncAccount("slack", teamId, userId);
  if (config.slack) adapters.push(new SlackAdapter({ ...adapterDeps, config: config.slack, http, onMemberJoined: onSlackJoin, log: log.child({ module: "slack" }) }));

  let playground: ReturnType<typeof runPlayground> | undefined;
  const commerceLog = log.child({ module: "commerce" });
  const commerce = stripe ? commerceRuntime(database.prisma, stripe, services, commerceLog) : undefined;
  // Stored one-off work (a scheduled announcement) runs in the playground too; the rest
  // talks to platforms and members, so it runs only when a platform is connected.
  const jobs = startJobs(
    [
      services.work.job(),
      ...(adapters.length > 0
        ? [
            accessExpiryJob(database.prisma, services.accessSync, services.clock),
            ...(commerce ? [reconciliationJob(commerce.reconciler, commerceLog)] : []),
            ...qaJobs(services, log.child({ module: "qa" })),
            ...reviewJobs(services, log.child({ module: "review" })),
            digestJob(services, config.communities, log.child({ module: "digest" })),
          ]
        : []),
    ],
    log.child({ module: "schedule" }),
    { coordinator: new DatabaseRunCoordinator(database.prisma), clock: services.clock },
  );
  const stop = async () => {
    log.info("shutting down");
    await jobs.stop();
    await http?.close();
    await Promise.allSettled(adapters.map((a) => a.stop()));
    playground?.close();
    await database.close();
    log.info("stopped");
  };

  try {
    if (http) {
      http.route("GET", "/healthz", async (_req, res) => {
        const db = await database.ping().then(() => "ok", () => "unreachable");
        const platforms = Object.fromEntries(adapters.map((a) => [a.name, a.status()]));
        sendJson(res, db === "ok" ? 200 : 503, { status: db === "ok" ? "ok" : "degraded", database: db, platforms });
      });
    }
    if (http && commerce && config.stripe?.webhookSecret) {
      http.route("POST", STRIPE_WEBHOOK_PATH, stripeWebhookRoute({
        secret: config.stripe.webhookSecret,
        applier: commerce.applier,
        log: commerceLog,
        onMembersChanged: (members) => void services.accessSync.syncMembers(members),
        onNotices: (notices) => void Promise.all(notices.map((n) => services.billingNotices.send(n).catch((error: unknown) => commerceLog.error({ err: error }, "could not send a notice")))),
      }));
    }
    for (const adapter of adapters) await adapter.start();
    if (http) await http.listen(config.http.port, deps.httpHost);
    if (adapters.length === 0) {
      playground = runPlayground({
        dispatcher,
        registry,
        input: deps.input ?? process.stdin,
        output,
        terminal,
        clock: services.clock,
        log: log.child({ module: "playground" }),
        banner: playgroundBanner(config),
      });
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { services, dispatcher, database, adapters, http, playgroundDone: playground?.done, stop };
}
