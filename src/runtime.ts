import type Stripe from "stripe";
import type { CommunityConfig } from "./config/communities.js";
import type { Command } from "./core/command.js";
import { Dispatcher } from "./core/dispatch.js";
import { CommandRegistry } from "./core/registry.js";
import { type Clock, type Services, systemClock } from "./core/services.js";
import type { Db } from "./db/database.js";
import { IdentityService } from "./identity/identity-service.js";
import type { Logger } from "./log/logger.js";

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
  readonly log: Logger;
  readonly clock?: Clock;
  readonly stripe?: Stripe;
}

/** Wires services and commands together; adapters are added on top by `startApp`. */
export function createRuntime(deps: RuntimeDeps): Runtime {
  const registry = new CommandRegistry(deps.commands);
  const services: Services = {
    db: deps.db,
    identity: new IdentityService(deps.db, deps.communities),
    registry,
    clock: deps.clock ?? systemClock,
    stripe: deps.stripe,
  };
  return { registry, services, dispatcher: new Dispatcher(services, deps.log.child({ module: "dispatch" })) };
}
