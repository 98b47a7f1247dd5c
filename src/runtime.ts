import type Stripe from "stripe";
import type { AdminLog, AccessGateways, Messengers } from "./core/platform-services.js";
import { AccessSync } from "./commerce/access-sync.js";
import { BillingNotices } from "./commerce/billing-notices.js";
import { CatalogService } from "./commerce/catalog-service.js";
import { CheckoutService } from "./commerce/checkout-service.js";
import { CustomerImport } from "./commerce/customer-import.js";
import { EntitlementService } from "./commerce/entitlement-service.js";
import { StripeEventApplier } from "./commerce/stripe-event-applier.js";
import type { CommunityConfig } from "./config/communities.js";
import type { ActionDefinition } from "./core/action.js";
import type { Command } from "./core/command.js";
import { Dispatcher } from "./core/dispatch.js";
import { CommandRegistry } from "./core/registry.js";
import { type Clock, type Services, systemClock } from "./core/services.js";
import type { Db } from "./db/database.js";
import { IdentityService } from "./identity/identity-service.js";
import type { Logger } from "./log/logger.js";
import type { ChatPosters } from "./core/chat.js";
import type { MessageCommand } from "./core/message-command.js";
import { PointsLedger } from "./points/ledger.js";
import { PointsService } from "./points/points-service.js";
import { QaService } from "./qa/qa-service.js";
import { ReviewService } from "./review/review-service.js";
import { DeliveryQueue } from "./core/jobs/delivery.js";
import { ScheduledWorkQueue } from "./core/jobs/scheduled-work.js";
import { registerAnnouncementWork } from "./schedule/announce/announcements.js";
import { registerLiveWork } from "./schedule/live/live-work.js";

/** The platform-independent part of Guildhall: registry, services and the dispatcher. */
export interface Runtime {
  readonly registry: CommandRegistry;
  readonly services: Services;
  readonly dispatcher: Dispatcher;
}

export interface RuntimeDeps {
  readonly db: Db;
  readonly communities: readonly CommunityConfig[];
  readonly commands: readonly Command[];
  /** Button actions; none by default. */
  readonly actions?: readonly ActionDefinition[];
  readonly log: Logger;
  readonly clock?: Clock;
  readonly stripe?: Stripe;
  /** Where buyers return from Checkout and the portal. */
  readonly checkoutReturnUrl?: string;
  /** How access reaches each platform; absent platforms are skipped. */
  readonly gateways?: AccessGateways;
  readonly adminLog?: AdminLog;
  /** How private notices reach members on each platform. */
  readonly messengers?: Messengers;
  /** How capabilities post in channels and threads on each platform. */
  readonly chat?: ChatPosters;
  /** Commands run on a message (Discord context menu, Slack message shortcut). */
  readonly messageCommands?: readonly MessageCommand[];
}

/** Wires services and commands together; adapters are added on top by `startApp`. */
export function createRuntime(deps: RuntimeDeps): Runtime {
  const registry = new CommandRegistry(deps.commands, deps.actions ?? [], deps.messageCommands ?? []);
  const clock = deps.clock ?? systemClock;
  const returnUrl = deps.checkoutReturnUrl ?? "https://discord.com/app";
  const entitlements = new EntitlementService(deps.db);
  const checkout = new CheckoutService(deps.db, deps.stripe, { successUrl: returnUrl, cancelUrl: returnUrl, portalReturnUrl: returnUrl });
  const accessSync = new AccessSync(deps.db, entitlements, deps.gateways ?? {}, deps.adminLog, clock, deps.log.child({ module: "access" }));
  const stripeEvents = deps.stripe && new StripeEventApplier(deps.db, deps.stripe, deps.communities, deps.log.child({ module: "commerce" }));
  const identity = new IdentityService(deps.db, deps.communities);
  const ledger = new PointsLedger(deps.db, clock);
  const services: Services = {
    db: deps.db,
    identity,
    registry,
    clock,
    stripe: deps.stripe,
    catalog: new CatalogService(deps.db, deps.stripe),
    checkout,
    entitlements,
    accessSync,
    stripeEvents,
    customers: deps.stripe && stripeEvents && new CustomerImport(deps.db, deps.stripe, stripeEvents, accessSync),
    chat: deps.chat ?? {},
    messengers: deps.messengers ?? {},
    ledger,
    points: new PointsService(deps.db, ledger, clock, deps.stripe),
    qa: new QaService({
      db: deps.db,
      ledger,
      identity,
      chat: deps.chat ?? {},
      messengers: deps.messengers ?? {},
      clock,
      communities: deps.communities,
      log: deps.log.child({ module: "qa" }),
      // Only called after construction, when `services.points` exists.
      badgesAfter: (communityId, memberIds) => services.points.badgesAfter(deps.db, communityId, memberIds),
    }),
    work: new ScheduledWorkQueue(deps.db, clock, deps.log.child({ module: "work" })),
    delivery: new DeliveryQueue(deps.db, deps.messengers ?? {}, deps.chat ?? {}, deps.log.child({ module: "delivery" })),
    reviews: new ReviewService({ db: deps.db, clock, ledger, points: () => services.points, entitlements, chat: deps.chat ?? {}, messengers: deps.messengers ?? {}, communities: deps.communities, log: deps.log.child({ module: "review" }) }),
    billingNotices: new BillingNotices(deps.db, checkout, deps.messengers ?? {}, deps.log.child({ module: "notices" })),
  };
  registerAnnouncementWork(services);
  registerLiveWork(services);
  return { registry, services, dispatcher: new Dispatcher(services, deps.log.child({ module: "dispatch" })) };
}
