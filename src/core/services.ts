import type Stripe from "stripe";
import type { AccessSync } from "../commerce/access-sync.js";
import type { BillingNotices } from "../commerce/billing-notices.js";
import type { CatalogService } from "../commerce/catalog-service.js";
import type { CheckoutService } from "../commerce/checkout-service.js";
import type { CustomerImport } from "../commerce/customer-import.js";
import type { StripeEventApplier } from "../commerce/stripe-event-applier.js";
import type { EntitlementService } from "../commerce/entitlement-service.js";
import type { Db } from "../db/database.js";
import type { IdentityService } from "../identity/identity-service.js";
import type { PointsLedger } from "../points/ledger.js";
import type { PointsService } from "../points/points-service.js";
import type { QaService } from "../qa/qa-service.js";
import type { Messengers } from "./platform-services.js";
import type { ChatPosters } from "./chat.js";
import type { DeliveryQueue } from "./jobs/delivery.js";
import type { ScheduledWorkQueue } from "./jobs/scheduled-work.js";
import type { CommandRegistry } from "./registry.js";
import type { ReviewService } from "../review/review-service.js";

/** A clock that tests can control. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What handlers may use; built once in `src/app.ts` and passed in, never imported. */
export interface Services {
  readonly db: Db;
  readonly identity: IdentityService;
  readonly registry: CommandRegistry;
  readonly clock: Clock;
  /** Present when STRIPE_SECRET_KEY is set. */
  readonly stripe: Stripe | undefined;
  readonly catalog: CatalogService;
  readonly checkout: CheckoutService;
  readonly entitlements: EntitlementService;
  readonly accessSync: AccessSync;
  readonly billingNotices: BillingNotices;
  /** Present when Stripe is connected: the one idempotent path every Stripe change takes. */
  readonly stripeEvents: StripeEventApplier | undefined;
  readonly customers: CustomerImport | undefined;
  /** Posting in channels and threads on each running platform. */
  readonly chat: ChatPosters;
  /** Direct messages to members on each running platform. */
  readonly messengers: Messengers;
  readonly ledger: PointsLedger;
  /** Kudos, awards, leaderboards, badges and rewards. */
  readonly points: PointsService;
  /** Questions and answers: /ask threads, accepted answers, bounties. */
  readonly qa: QaService;
  /** One-off work stored in the database (an announcement at 18:00, an event reminder). */
  readonly work: ScheduledWorkQueue;
  /** Fan-out of direct messages and channel posts within platform limits. */
  readonly delivery: DeliveryQueue;
  /** Code review: requests, reviewers, reminders and quotas. */
  readonly reviews: ReviewService;
}
