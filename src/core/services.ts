import type Stripe from "stripe";
import type { Db } from "../db/database.js";
import type { ChatPosters } from "./chat.js";
import type { Directory } from "./directory.js";
import type { DeliveryQueue } from "./jobs/delivery.js";
import type { ScheduledWorkQueue } from "./jobs/scheduled-work.js";
import type { MemberMessenger } from "./member-messenger.js";
import type { Metrics } from "./metrics.js";
import type { Messengers } from "./platform-services.js";
import type { CommandRegistry } from "./registry.js";

/** A clock that tests can control. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What handlers may use; built once by `assemble` (core/assemble.ts) and passed in, never
 * imported. Core declares only what it provides itself; each capability adds its own
 * services by module augmentation in its index.ts (see core/capability.ts).
 */
export interface Services {
  readonly db: Db;
  readonly registry: CommandRegistry;
  readonly clock: Clock;
  /** Present when STRIPE_SECRET_KEY is set. */
  readonly stripe: Stripe | undefined;
  /** Communities and members by platform ids; provided by the identity capability. */
  readonly directory: Directory;
  /** Posting in channels and threads on each running platform. */
  readonly chat: ChatPosters;
  /** Direct messages to members on each running platform. */
  readonly messengers: Messengers;
  /** A private message to a member on whichever running platform reaches them (one account order for all). */
  readonly memberMessenger: MemberMessenger;
  /** One-off work stored in the database (an announcement at 18:00, an event reminder). */
  readonly work: ScheduledWorkQueue;
  /** Fan-out of direct messages and channel posts within platform limits. */
  readonly delivery: DeliveryQueue;
  /** Counters and histograms served at GET /metrics (core/metrics.ts). */
  readonly metrics: Metrics;
}
