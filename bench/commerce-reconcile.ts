// The Stripe calls one reconciliation run makes when nothing changed: members took out
// subscriptions a day ago (on the fake's clock), the bot's database holds what their
// webhooks applied, a first run sweeps everything and leaves a cursor, and the run the
// schedule makes 15 minutes later is counted.
import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { META } from "../src/commerce/checkout-service.js";
import { Reconciler, type RunReport } from "../src/commerce/reconciler.js";
import { HANDLED_EVENTS } from "../src/commerce/stripe-event-applier.js";
import { subscriptionFacts } from "../src/commerce/subscription-policy.js";
import type { DatabaseTarget } from "../src/db/target.js";
import type { Logger } from "../src/log/logger.js";
import { discordUserIds, openShop, type Shop, type StripeThread } from "./commerce-setup.js";
import type { Buyer, Completed, Opened } from "./commerce-worker.js";

const DAY_SECONDS = 86_400;
const SCHEDULE_MS = 15 * 60_000;
const BATCH = 1000;

export interface ReconcileResult {
  readonly backend: string;
  readonly subscriptions: number;
  readonly events: number;
  /** Seeding, in ms: members and their open checkouts, the fake completing them, the database catching up. */
  readonly seed: { readonly open: number; readonly complete: number; readonly record: number };
  readonly runs: readonly { readonly label: string; readonly report: RunReport; readonly ms: number }[];
}

export async function measureReconciliation(backend: string, target: DatabaseTarget, thread: StripeThread, log: Logger, opts: { subscriptions: number }): Promise<ReconcileResult> {
  const takenOut = Math.floor(Date.now() / 1000) - DAY_SECONDS;
  const shop = await openShop(target, thread, log, takenOut);
  try {
    let started = performance.now();
    const sessionIds = await openCheckouts(shop, thread, discordUserIds(opts.subscriptions));
    const open = performance.now() - started;
    started = performance.now();
    const completed = await thread.call<Completed>({ kind: "complete-checkouts", sessionIds, types: [...HANDLED_EVENTS], deliverLater: false });
    const complete = performance.now() - started;
    started = performance.now();
    await recordAsApplied(shop, completed, new Date(takenOut * 1000));
    const record = performance.now() - started;

    let offsetMs = 0; // the reconciler's clock, moved on to the next scheduled run
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    const reconciler = new Reconciler(shop.database.prisma, shop.stripe, shop.applier, shop.runtime.services.accessSync, clock, log);
    const runs: ReconcileResult["runs"][number][] = [];
    for (const label of ["first run (full sweep)", "15 minutes later"]) {
      const began = performance.now();
      const report = await reconciler.run();
      runs.push({ label, report, ms: performance.now() - began });
      offsetMs += SCHEDULE_MS;
    }
    return { backend, subscriptions: completed.subscriptions.length, events: completed.events.length, seed: { open, complete, record }, runs };
  } finally {
    await shop.close();
  }
}

/**
 * What thousands of `/buy` commands leave behind (members, their Discord accounts, open
 * Checkout Sessions on Stripe and in the database), made in bulk: through the dispatcher
 * it takes about 10 ms a member here. Returns the session ids.
 */
async function openCheckouts(shop: Shop, thread: StripeThread, discordIds: readonly string[]): Promise<string[]> {
  const prisma = shop.database.prisma;
  const communityId = shop.community.id;
  const itemId = shop.item.id;
  const members = discordIds.map((externalId, i) => ({ id: randomUUID(), externalId, displayName: `member ${i}` }));
  for (const batch of batches(members)) {
    await prisma.member.createMany({ data: batch.map((m) => ({ id: m.id, communityId, displayName: m.displayName })) });
    await prisma.platformAccount.createMany({ data: batch.map((m) => ({ communityId, memberId: m.id, platform: "discord", externalId: m.externalId, displayName: m.displayName })) });
  }
  const buyers: Buyer[] = members.map((m) => ({ memberId: m.id, communityId, itemId }));
  const opened = await thread.call<Opened[]>({ kind: "open-checkouts", buyers, priceId: shop.item.stripePriceId });
  for (const batch of batches(opened.map((session, i) => ({ session, memberId: members[i]!.id })))) {
    await prisma.checkoutSession.createMany({
      data: batch.map(({ session, memberId }) => ({ id: session.id, communityId, memberId, itemId, url: session.url, status: "open", paymentStatus: "unpaid", expiresAt: new Date(session.expiresAt * 1000) })),
    });
  }
  return opened.map((session) => session.id);
}

/**
 * Stores what the webhook applier stores for these subscriptions and their events, in bulk:
 * applying 40,000 events one at a time would take minutes. The state policy is the
 * applier's own (`subscriptionFacts`; every one is active and paid, so open-ended access), and the full sweep checks the result
 * with the reconciler's comparison: it should find nothing to repair.
 */
async function recordAsApplied(shop: Shop, completed: Completed, appliedAt: Date): Promise<void> {
  const prisma = shop.database.prisma;
  const communityId = shop.community.id;
  const itemId = shop.item.id;
  for (const events of batches(completed.events)) await prisma.stripeEvent.createMany({ data: events.map((e) => ({ ...e, appliedAt })) });
  await prisma.checkoutSession.updateMany({ where: { communityId }, data: { status: "complete", paymentStatus: "paid" } });
  for (const subscriptions of batches(completed.subscriptions as Stripe.Subscription[])) {
    const owned = subscriptions.map((sub) => ({ sub, facts: subscriptionFacts(sub), memberId: sub.metadata[META.member]!, customerId: String(sub.customer) }));
    await prisma.stripeCustomer.createMany({ data: owned.map((o) => ({ id: o.customerId, communityId, memberId: o.memberId, email: "buyer@example.com", createdAt: appliedAt })) });
    await prisma.subscription.createMany({
      data: owned.map((o) => ({
        id: o.sub.id,
        communityId,
        memberId: o.memberId,
        itemId,
        customerId: o.customerId,
        status: o.facts.status,
        currentPeriodEnd: o.facts.currentPeriodEnd,
        cancelAtPeriodEnd: o.facts.cancelAtPeriodEnd,
        version: BigInt(appliedAt.getTime()),
        updatedAt: appliedAt,
      })),
    });
    await prisma.entitlement.createMany({
      data: owned.map((o) => ({
        communityId,
        memberId: o.memberId,
        itemId,
        source: "subscription",
        sourceRef: o.sub.id,
        startsAt: new Date((o.sub.start_date ?? o.sub.created) * 1000),
        endsAt: null,
        reason: o.facts.status,
        createdAt: appliedAt,
        // Entitlements changed since the last run are re-synced; these changed a day ago.
        updatedAt: appliedAt,
      })),
    });
  }
}

function batches<T>(items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
}
