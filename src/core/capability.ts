/**
 * A capability (identity, points, code review, …) is one folder whose `index.ts` exports a
 * {@link Capability}: everything the app needs to serve it. Core never imports a capability;
 * `src/capabilities.ts` lists them and `assemble` (core/assemble.ts) builds the app from the
 * list. A capability adds its services to {@link Services} by module augmentation:
 *
 *     declare module "../core/services.js" {
 *       interface Services { readonly reviews: ReviewService }
 *     }
 *
 * so `ctx.services.reviews` type-checks wherever the capability is imported.
 */
import type { RequestListener } from "node:http";
import type Stripe from "stripe";
import type { CommunityConfig, SettingsSection } from "../config/communities.js";
import type { Db } from "../db/database.js";
import type { RouteHandler } from "../http/http-server.js";
import type { Logger } from "../log/logger.js";
import type { ActionDefinition } from "./action.js";
import type { ThreadMessage } from "./chat.js";
import type { Command } from "./command.js";
import type { PlatformName } from "./context.js";
import type { Job } from "./jobs/jobs.js";
import type { WorkHandler } from "./jobs/scheduled-work.js";
import type { MessageCommand } from "./message-command.js";
import type { CountSource } from "./counts.js";
import type { DigestSectionSources } from "./digest-sections.js";
import type { MoneyMoved } from "./money-moved.js";
import type { AccessGateways, AccessSignal, AdminLog } from "./platform-services.js";
import type { Services } from "./services.js";

/** What a capability is built from: the configuration and what the platforms provide. */
export interface CapabilityDeps {
  readonly communities: readonly CommunityConfig[];
  /** A logger named after the capability. */
  readonly log: Logger;
  /** Present when STRIPE_SECRET_KEY is set. */
  readonly stripe: Stripe | undefined;
  /** Present when STRIPE_WEBHOOK_SECRET is set: the webhook route is served. */
  readonly stripeWebhookSecret: string | undefined;
  /** Where buyers return from Checkout and the billing portal. */
  readonly checkoutReturnUrl: string;
  /** How access reaches each platform; absent platforms are skipped. */
  readonly gateways: AccessGateways;
  readonly adminLog: AdminLog | undefined;
  /** Where browsers reach the HTTP server (PUBLIC_URL), for links sent in chat. */
  readonly publicUrl: string;
  /** Makes sure the HTTP server listens: it starts on first use when nothing needed it at start. */
  readonly startHttp: () => Promise<void>;
  /** Tells every capability's {@link Capability.onMoneyMoved} about an applied Stripe event (commerce calls it). */
  readonly moneyMoved: (db: Db, moved: MoneyMoved) => Promise<void>;
  /** Every capability's {@link Capability.counts}, for insights' rollups. */
  readonly counts: CountSource;
  /** Every capability's {@link Capability.digestSections}, by name. */
  readonly digestSections: DigestSectionSources;
}

/** A whole path prefix a capability serves with its own request listener (the dashboard's pages). */
export interface Mount {
  readonly prefix: string;
  readonly listener: RequestListener;
}

/** A member did something: ran a command, pressed a button. */
export interface MemberActivity {
  readonly communityId: string;
  readonly memberId: string;
  readonly at: Date;
}

/** An HTTP route a capability serves (the Stripe webhook). */
export interface Route {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly handler: RouteHandler;
}

export interface Capability {
  /** Lowercase; names the capability's logger. */
  readonly name: string;
  /**
   * Builds the capability's services. Capabilities are built in list order and `services`
   * holds what earlier ones (and core) provided; later ones are there by the time a
   * command runs, so read them lazily.
   */
  provide?(services: Services, deps: CapabilityDeps): Partial<Services>;
  /** Slash commands, in the order /help lists them. */
  readonly commands?: readonly Command[];
  /** Button actions the capability's replies and posts carry. */
  readonly actions?: readonly ActionDefinition[];
  /** Commands run on a message (Discord context menu, Slack message shortcut). */
  readonly messageCommands?: readonly MessageCommand[];
  /** Recurring jobs; they run only while a platform is connected. */
  jobs?(services: Services, deps: CapabilityDeps): readonly Job[];
  /** Handlers for stored one-off work (an announcement at 18:00), by kind. */
  work?(services: Services, deps: CapabilityDeps): readonly WorkHandler[];
  /** HTTP routes; the server starts when any capability has one. */
  routes?(services: Services, deps: CapabilityDeps): readonly Route[];
  /** Path prefixes served by the capability's own listener; they alone do not start the server. */
  mounts?(services: Services, deps: CapabilityDeps): readonly Mount[];
  /** A message was posted in a thread (Q&A counts replies). */
  onThreadMessage?(services: Services, message: ThreadMessage): Promise<void>;
  /** A member ran a command or pressed a button; must not throw (the command runs regardless). */
  onMemberActive?(services: Services, activity: MemberActivity): Promise<void>;
  /** A member joined a Discord guild or Slack workspace (commerce applies owed access). */
  onMemberJoined?(services: Services, platform: PlatformName, spaceId: string, userId: string): Promise<void>;
  /** A platform reported a change to roles or channel membership (commerce retries refused access). */
  onAccessSignal?(services: Services, signal: AccessSignal): Promise<void>;
  /**
   * Commerce applied a Stripe event (insights records the money). It runs inside commerce's
   * transaction, `db` being that transaction, so a failure rolls the event back for a retry.
   */
  onMoneyMoved?(db: Db, moved: MoneyMoved): Promise<void>;
  /** Counts of the capability's own records for creator insights (questions asked, reviews done…). */
  readonly counts?: CountSource;
  /** Sections of the digest made from the capability's own records, by the name communities use in their settings. */
  readonly digestSections?: DigestSectionSources;
  /** The capability's fields in the communities file, by section (config/communities.ts's defineSettings). */
  readonly settings?: readonly SettingsSection[];
}

/** Declares a capability; the identity function keeps the literal type for its index.ts. */
export function defineCapability<C extends Capability>(capability: C): C {
  return capability;
}
