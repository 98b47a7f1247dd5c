/**
 * Commerce: the catalog, Stripe Checkout and the billing portal, entitlements, platform
 * access that follows them, the Stripe webhook, reconciliation and billing notices.
 */
import { defineCapability } from "../core/capability.js";
import { commerceDigestSections } from "./digest-sections.js";
import { commerceCounts } from "./insight-counts.js";
import { explainErrorsWith } from "../core/errors.js";
import { AccessDrift } from "./access-drift.js";
import { AccessSync } from "./access-sync.js";
import { BillingNotices } from "./billing-notices.js";
import { catalogCommand, courseCommand, coursesCommand } from "./catalog-commands.js";
import { CatalogService } from "./catalog-service.js";
import { CheckoutService } from "./checkout-service.js";
import { accessCommand, billingCommand, buyCommand } from "./commerce-commands.js";
import { commerceRuntime, reconciliationJob } from "./commerce-runtime.js";
import { CustomerImport } from "./customer-import.js";
import { EntitlementService } from "./entitlement-service.js";
import { accessDriftJob, accessExpiryJob, accessRetryJob } from "./jobs.js";
import { StripeEventApplier } from "./stripe-event-applier.js";
import { explainStripeFailure } from "./stripe-failure.js";
import { labelWhenSimulated } from "./simulated/label.js";
import type { SimulatedPayments } from "./simulated/simulated-payments.js";
import { STRIPE_WEBHOOK_PATH, stripeWebhookRoute } from "./stripe-webhook.js";
import { commerceSettingsSection } from "./settings-schema.js";
import { moveCommerce } from "./merge.js";
export { commerceSettingsSection, type CommerceConfig } from "./settings-schema.js";

export type { AccessSync } from "./access-sync.js";
export type { AccessDrift } from "./access-drift.js";
export type { BillingNotices, Notice } from "./billing-notices.js";
export type { CatalogItem, CatalogService } from "./catalog-service.js";
export type { CheckoutService } from "./checkout-service.js";
export type { CustomerImport } from "./customer-import.js";
export { type AccessSource, type DesiredAccess, type EntitlementService, isActive } from "./entitlement-service.js";
export type { StripeEventApplier } from "./stripe-event-applier.js";
export { suggestItems } from "./item-autocomplete.js";
export { labelWhenSimulated } from "./simulated/label.js";
export { SIMULATED_LABEL } from "./simulated/simulator.js";
export { formatMoney } from "./money.js";
export { isMissing, requireStripe } from "./stripe-errors.js";
export { idOf } from "./stripe-objects.js";

// A rejected Stripe key or an unreachable Stripe is explained to whoever ran the command.
explainErrorsWith(explainStripeFailure);

declare module "../core/services.js" {
  interface Services {
    readonly catalog: CatalogService;
    readonly checkout: CheckoutService;
    readonly entitlements: EntitlementService;
    readonly accessSync: AccessSync;
    /** Compares what members hold on the platforms with what they are owed, and repairs it. */
    readonly accessDrift: AccessDrift;
    readonly billingNotices: BillingNotices;
    /** Present when Stripe is connected: the one idempotent path every Stripe change takes. */
    readonly stripeEvents: StripeEventApplier | undefined;
    readonly customers: CustomerImport | undefined;
    /** Present only in the playground without STRIPE_SECRET_KEY: the simulated payment provider. */
    readonly simulatedPayments?: SimulatedPayments;
  }
}

export const commerce = defineCapability({
  name: "commerce",
  settings: [commerceSettingsSection],
  provide({ db, clock, stripe, memberMessenger, identity }, deps) {
    // Purchases, subscriptions and grants follow a /link merge, in its transaction.
    identity.onMerge(moveCommerce);
    const returnUrl = deps.checkoutReturnUrl;
    const entitlements = new EntitlementService(db);
    const checkout = new CheckoutService(db, stripe, { successUrl: returnUrl, cancelUrl: returnUrl, portalReturnUrl: returnUrl });
    const accessSync = new AccessSync(db, entitlements, deps.gateways, deps.adminLog, clock, deps.log.child({ module: "access" }));
    const stripeEvents = stripe && new StripeEventApplier(db, stripe, deps.communities, deps.log, clock, deps.moneyMoved);
    return {
      catalog: new CatalogService(db, stripe),
      checkout,
      entitlements,
      accessSync,
      accessDrift: new AccessDrift(db, entitlements, deps.gateways, deps.adminLog, deps.communities, clock, deps.log.child({ module: "drift" })),
      stripeEvents,
      customers: stripe && stripeEvents && new CustomerImport(db, stripe, stripeEvents, accessSync),
      billingNotices: new BillingNotices(db, checkout, memberMessenger, deps.log.child({ module: "notices" })),
    };
  },
  // While payments are simulated, every reply says so.
  commands: [coursesCommand, courseCommand, buyCommand, billingCommand, accessCommand, catalogCommand].map(labelWhenSimulated),
  jobs(services, deps) {
    const access = [accessExpiryJob(services.db, services.accessSync, services.clock), accessRetryJob(services.accessSync), accessDriftJob(services.accessDrift)];
    // Simulated payments deliver every event as it happens, so reconciliation would find nothing
    // to repair; it would only slow the playground's /clock, which runs jobs at every hour it passes.
    if (!services.stripe || services.simulatedPayments) return access;
    const { reconciler } = commerceRuntime(services.db, services.stripe, services, deps.log);
    return [...access, reconciliationJob(reconciler, deps.log)];
  },
  routes(services, deps) {
    const applier = services.stripeEvents;
    if (!deps.stripeWebhookSecret || !applier) return [];
    const handler = stripeWebhookRoute({
      secret: deps.stripeWebhookSecret,
      applier,
      log: deps.log,
      onMembersChanged: (members) => services.accessSync.syncAfterBurst(members),
      onApplying: () => services.accessSync.holdBursts(),
      metrics: services.metrics,
      onNotices: (notices) =>
        void Promise.all(notices.map((n) => services.billingNotices.send(n).catch((error: unknown) => deps.log.error({ err: error }, "could not send a notice")))),
    });
    return [{ method: "POST", path: STRIPE_WEBHOOK_PATH, handler }];
  },
  // Roles moved or the bot joined a channel: refused changes there may go through now.
  onAccessSignal: (services, signal) => services.accessSync.onSignal(signal),
  // Someone joined a guild or workspace: apply the access they are owed there.
  onMemberJoined: async (services, platform, spaceId, userId) => {
    if (platform !== "playground") await services.accessSync.syncAccount(platform, spaceId, userId);
  },
  counts: commerceCounts,
  digestSections: commerceDigestSections,
});
