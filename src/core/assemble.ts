/**
 * Builds Guildhall's platform-independent part from a list of capabilities: the services
 * (core's own, then each capability's in list order), the command registry (in list order,
 * which is the /help order), the dispatcher, and what the app starts around them: jobs,
 * stored-work handlers, HTTP routes and platform-event hooks. It imports no capability.
 */
import type Stripe from "stripe";
import type { CommunityConfig } from "../config/communities.js";
import { Claims } from "../db/claims.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { allCounts } from "./counts.js";
import { allDigestSections } from "./digest-sections.js";
import type { Capability, CapabilityDeps, Mount, Route } from "./capability.js";
import type { ChatPosters, ThreadMessage } from "./chat.js";
import type { PlatformName } from "./context.js";
import { Dispatcher } from "./dispatch.js";
import { InternalError } from "./errors.js";
import { DeliveryQueue, type DeliveryOptions } from "./jobs/delivery.js";
import type { Job } from "./jobs/jobs.js";
import { MemberMessenger } from "./member-messenger.js";
import { ScheduledWorkQueue, type WorkQueueOptions } from "./jobs/scheduled-work.js";
import type { AccessGateways, AccessSignal, AdminLog, Messengers } from "./platform-services.js";
import { Metrics } from "./metrics.js";
import { CommandRegistry } from "./registry.js";
import { type Clock, type Services, systemClock } from "./services.js";

export interface AssembleDeps {
  /** In /help order; services are built in this order too. */
  readonly capabilities: readonly Capability[];
  readonly db: Db;
  readonly communities: readonly CommunityConfig[];
  readonly log: Logger;
  readonly clock?: Clock;
  readonly stripe?: Stripe;
  readonly stripeWebhookSecret?: string;
  /** Where buyers return from Checkout and the portal. */
  readonly checkoutReturnUrl?: string;
  /** How access reaches each platform; absent platforms are skipped. */
  readonly gateways?: AccessGateways;
  readonly adminLog?: AdminLog;
  /** How private messages reach members on each platform. */
  readonly messengers?: Messengers;
  /** How capabilities post in channels and threads on each platform. */
  readonly chat?: ChatPosters;
  /** Where browsers reach the HTTP server; http://localhost:3000 by default. */
  readonly publicUrl?: string;
  /** Starts the HTTP server if it is not listening yet; a no-op by default (tests serve their own). */
  readonly startHttp?: () => Promise<void>;
  /** Where counts are recorded; a fresh registry by default. */
  readonly metrics?: Metrics;
  /** Stored work's lease and batch (tests shorten the lease to see a take-over within seconds). */
  readonly work?: WorkQueueOptions;
  readonly delivery?: DeliveryOptions;
}

/** The platform-independent part of Guildhall; adapters are added on top by `startApp`. */
export interface Runtime {
  readonly registry: CommandRegistry;
  readonly services: Services;
  readonly dispatcher: Dispatcher;
  readonly capabilities: readonly Capability[];
  /** Every capability's recurring jobs (they talk to platforms), and core's claims cleanup. */
  jobs(): Job[];
  /** Every capability's HTTP routes. */
  routes(): Route[];
  /** Every capability's path prefixes with their own listeners. */
  mounts(): Mount[];
  /** Tells every capability that listens about a message in a thread. */
  onThreadMessage(message: ThreadMessage): Promise<void>;
  /**
   * Tells every capability that listens that a member joined a guild or workspace.
   * `eventId` names this join on the platform (Slack's event id; on Discord the guild, user
   * and join time), so a second delivery of it is skipped.
   */
  onMemberJoined(platform: PlatformName, spaceId: string, userId: string, eventId?: string): Promise<void>;
  /** Tells every capability that listens about a change to roles or channel membership. */
  onAccessSignal(signal: AccessSignal): Promise<void>;
}

export function assemble(deps: AssembleDeps): Runtime {
  const { capabilities, db, log } = deps;
  const names = new Set<string>();
  for (const c of capabilities) {
    if (names.has(c.name)) throw new InternalError("duplicate_capability", `Capability ${c.name} is listed twice`);
    names.add(c.name);
  }
  const registry = new CommandRegistry(
    capabilities.flatMap((c) => c.commands ?? []),
    capabilities.flatMap((c) => c.actions ?? []),
    capabilities.flatMap((c) => c.messageCommands ?? []),
  );
  const clock = deps.clock ?? systemClock;
  const chat = deps.chat ?? {};
  const messengers = deps.messengers ?? {};
  const depsOf = (c: Capability): CapabilityDeps => ({
    communities: deps.communities,
    log: log.child({ module: c.name }),
    stripe: deps.stripe,
    stripeWebhookSecret: deps.stripeWebhookSecret,
    checkoutReturnUrl: deps.checkoutReturnUrl ?? "https://discord.com/app",
    gateways: deps.gateways ?? {},
    adminLog: deps.adminLog,
    publicUrl: deps.publicUrl ?? "http://localhost:3000",
    startHttp: deps.startHttp ?? (async () => undefined),
    moneyMoved: async (tx, moved) => {
      for (const listener of capabilities) await listener.onMoneyMoved?.(tx, moved);
    },
    counts: allCounts(capabilities.map((x) => x.counts)),
    digestSections: allDigestSections(capabilities),
  });
  const metrics = deps.metrics ?? new Metrics();
  const core = {
    db,
    metrics,
    registry,
    clock,
    stripe: deps.stripe,
    chat,
    messengers,
    work: new ScheduledWorkQueue(db, clock, log.child({ module: "work" }), deps.work),
    delivery: new DeliveryQueue(db, messengers, chat, log.child({ module: "delivery" }), deps.delivery),
    // The directory comes from the identity capability, built below: read it when a message goes out.
    memberMessenger: new MemberMessenger(messengers, (memberId) => services.directory.accountsOf(memberId), log.child({ module: "member-messenger" })),
  };
  // Capabilities fill in the rest (the identity capability provides `directory`); until
  // every one has run, `services` is incomplete, which is why they read each other lazily.
  const services = core as Services;
  metrics.sample({ deliveryDepth: () => core.delivery.pending, deliveryUnsettled: async () => (await core.delivery.unsettled()).count });
  for (const c of capabilities) Object.assign(services, c.provide?.(services, depsOf(c)));
  for (const c of capabilities) for (const handler of c.work?.(services, depsOf(c)) ?? []) services.work.register(handler);
  if (!("directory" in services)) throw new InternalError("missing_directory", "No capability provides services.directory (the identity capability does)");
  const claims = new Claims(db);
  /** False when another process (or an earlier delivery) already took this event. */
  const firstDelivery = async (key: string): Promise<boolean> => {
    if (await claims.claim(key, clock.now())) return true;
    log.debug({ event: key }, "platform event already claimed elsewhere; skipped");
    return false;
  };
  // Runs on every command: only the capabilities that listen are called, rather than an
  // await (a promise and a turn of the microtask queue) for each of them.
  const activityListeners = capabilities.flatMap((c) => (c.onMemberActive ? [c.onMemberActive.bind(c)] : []));
  const dispatcher = new Dispatcher(services, log.child({ module: "dispatch" }), async (activity) => {
    for (const onMemberActive of activityListeners) await onMemberActive(services, activity);
  });
  return {
    registry,
    services,
    dispatcher,
    capabilities,
    jobs: () => [...capabilities.flatMap((c) => c.jobs?.(services, depsOf(c)) ?? []), claimsCleanupJob(claims, log)],
    routes: () => capabilities.flatMap((c) => c.routes?.(services, depsOf(c)) ?? []),
    mounts: () => capabilities.flatMap((c) => c.mounts?.(services, depsOf(c)) ?? []),
    onThreadMessage: async (message) => {
      // The playground is one process whose message handles restart at m1 each run: nothing to claim.
      if (message.platform !== "playground" && !(await firstDelivery(`thread-message:${message.platform}:${message.spaceId}:${message.threadId}:${message.messageId}`))) return;
      for (const c of capabilities) await c.onThreadMessage?.(services, message);
    },
    onMemberJoined: async (platform, spaceId, userId, eventId) => {
      if (eventId !== undefined && !(await firstDelivery(`member-joined:${platform}:${eventId}`))) return;
      for (const c of capabilities) await c.onMemberJoined?.(services, platform, spaceId, userId);
    },
    onAccessSignal: async (signal) => {
      for (const c of capabilities) await c.onAccessSignal?.(services, signal);
    },
  };
}

/** Forgets interaction claims older than two days (CLAIM_RETENTION_MS), hourly: no platform redelivers that late. */
function claimsCleanupJob(claims: Claims, log: Logger): Job {
  return {
    name: "interaction-claims-cleanup",
    sweep: true,
    cron: "17 * * * *",
    run: async (firedAt) => {
      const deleted = await claims.prune(firedAt);
      if (deleted > 0) log.debug({ deleted }, "forgot old interaction claims");
    },
  };
}
