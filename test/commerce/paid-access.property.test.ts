import fc from "fast-check";
import Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import { membersWithLapsedAccess } from "../../src/commerce/access-expiry.js";
import type { AccessChange, AccessGateway, AccessResult } from "../../src/core/platform-services.js";
import { AccessSync } from "../../src/commerce/access-sync.js";
import { EntitlementService } from "../../src/commerce/entitlement-service.js";
import { Reconciler } from "../../src/commerce/reconciler.js";
import { StripeEventApplier } from "../../src/commerce/stripe-event-applier.js";
import { type CommerceConfig } from "../../src/commerce/index.js";
import { DEFAULT_COMMERCE } from "../../src/capabilities.js";
import type { Db } from "../../src/db/database.js";
import { startFakeStripe, type StripeObject } from "../fakes/stripe/index.js";
import { ManualClock } from "../support/community.js";
import { deleteAllRows, freshDatabase, type TestDatabase } from "../support/databases.js";
import { describeLoad, loadRuns } from "../support/load.js";
import { acmeCommunity } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

/**
 * Access equals what was paid, whatever happens to the webhooks. Each generated story is one
 * customer's life with one item (a course or a monthly membership) under one community
 * policy; its events are delivered shuffled, twice, late or never, with reconciliation at
 * random points and once more long after. After that last run, the member's access at several
 * moments must equal `expectedAccess`, written here from the README's table (never from the
 * code under test).
 *
 * Replay a failure with the seed and path it prints: `FC_SEED=… FC_PATH=… npx vitest run
 * test/commerce/paid-access.property.test.ts` (`FC_SHRINK=1` to shrink it too). `FC_RUNS` sets
 * the number of stories on every backend. By default the load project (`npm run test:load`,
 * in .ci/run) tells 200 stories on PostgreSQL, and the fast project (`npm test`) 20 on each backend.
 */

const DAY = 86_400;
const ROLE = "700000000000000001";
const RUNS = process.env.FC_RUNS === undefined ? undefined : Number(process.env.FC_RUNS);
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;

// ---------------------------------------------------------------------------------------
// The truth, from README "Connect Stripe" (the access table), about a model of the story.

type Policy = Pick<CommerceConfig, "graceDays" | "cancelledAccess" | "trialsGrantAccess" | "refundsEndAccess">;

/** What happened, in the README's words: kept by the test as it tells the story to the fake. */
interface Model {
  kind: "course" | "membership";
  /** course: open → paid | unpaid (delayed, pending or failed) | expired; membership: Stripe's status. */
  status: string;
  /** The end of the last period paid for (a trial counts when trials grant access). */
  paidThrough: number | null;
  /** When the renewal that is still unpaid became due. */
  dueAt: number | null;
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  endedAt: number | null;
  /** A full refund or a dispute of any payment (when refunds end access). */
  reversed: boolean;
}

/** Whether the member has the item at `t` (seconds), by the README's table. Windows are [start, end). */
function expectedAccess(m: Model, policy: Policy, t: number): boolean {
  if (policy.refundsEndAccess && m.reversed) return false;
  if (m.kind === "course") return m.status === "paid";
  const scheduled = (end: number) => (m.cancelAtPeriodEnd ? Math.min(end, m.periodEnd) : end);
  const grace = (m.dueAt ?? 0) + policy.graceDays * DAY;
  switch (m.status) {
    case "active":
      return t < scheduled(Infinity);
    case "trialing":
      return policy.trialsGrantAccess && t < scheduled(Infinity);
    case "past_due":
    case "unpaid":
      return m.paidThrough !== null && t < scheduled(grace);
    case "canceled": {
      if (m.paidThrough === null) return false;
      // Cancelled over an unpaid renewal: the grace from when it was due, never the unpaid month.
      let end = m.dueAt !== null ? grace : m.paidThrough;
      if (policy.cancelledAccess === "immediately") end = Math.min(end, m.endedAt!);
      return t < end;
    }
    default:
      return false; // incomplete: never paid
  }
}

// ---------------------------------------------------------------------------------------
// Stories.

type Step =
  | { op: "renew" | "fail" | "cancelAtEnd" | "cancelNow" | "exhaustCancel" | "exhaustUnpaid" | "reconcile" | "deliver" }
  | { op: "wait"; days: number }
  | { op: "refund"; payment: number; part: "full" | "partial" }
  | { op: "dispute"; payment: number };

interface Story {
  policy: Policy;
  item: "course" | "membership";
  start: "paid" | "delayed_ok" | "delayed_fail" | "expired" | "trial";
  steps: Step[];
  /** Probability that an event is lost for good, and that a delivered one comes twice. */
  lost: number;
  duplicated: number;
  /** How long after the story the last reconciliation runs (days): past Stripe's 30 days of events too. */
  finalWaitDays: number;
  /** Seeds the delivery order. */
  shuffle: number;
  /** The step before which the member joins the Discord server (past the end: after the story, before the last run). */
  joinsAt: number;
}

const policyArb: fc.Arbitrary<Policy> = fc.record({
  graceDays: fc.constantFrom(0, 3, 7),
  cancelledAccess: fc.constantFrom("until_period_end" as const, "immediately" as const),
  trialsGrantAccess: fc.boolean(),
  refundsEndAccess: fc.boolean(),
});

const op = (name: "renew" | "fail" | "cancelAtEnd" | "cancelNow" | "exhaustCancel" | "exhaustUnpaid" | "reconcile" | "deliver") => fc.constant<Step>({ op: name });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: op("renew") },
  { weight: 3, arbitrary: op("fail") },
  { weight: 2, arbitrary: op("exhaustCancel") },
  { weight: 1, arbitrary: op("exhaustUnpaid") },
  { weight: 1, arbitrary: op("cancelAtEnd") },
  { weight: 1, arbitrary: op("cancelNow") },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("refund" as const), payment: fc.nat(5), part: fc.constantFrom("full" as const, "partial" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("dispute" as const), payment: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: op("reconcile") },
  { weight: 1, arbitrary: op("deliver") },
);

const storyArb: fc.Arbitrary<Story> = fc.record({
  policy: policyArb,
  item: fc.constantFrom("course" as const, "membership" as const, "membership" as const, "membership" as const),
  start: fc.constantFrom("paid" as const, "paid" as const, "delayed_ok" as const, "delayed_fail" as const, "expired" as const, "trial" as const),
  steps: fc.array(stepArb, { maxLength: 8 }),
  lost: fc.constantFrom(0, 0.1, 0.3, 1),
  duplicated: fc.constantFrom(0, 0.3),
  finalWaitDays: fc.constantFrom(0, 1, 10, 45),
  shuffle: fc.integer(),
  joinsAt: fc.nat(10),
});

/**
 * A Discord server as the platform sees it: who is in it and which roles they hold. Someone
 * not in it yet cannot be given a role (Discord answers 404), as with the real gateway.
 */
class Server implements AccessGateway {
  readonly platform = "discord" as const;
  readonly present = new Set<string>();
  readonly roles = new Map<string, Set<string>>();
  async apply(change: AccessChange): Promise<AccessResult> {
    if (!this.present.has(change.userId)) return { granted: [], revoked: [], notInSpace: true, failures: [] };
    const held = this.roles.get(change.userId) ?? new Set<string>();
    change.grant.forEach((r) => held.add(r));
    change.revoke.forEach((r) => held.delete(r));
    this.roles.set(change.userId, held);
    return { granted: [...change.grant], revoked: [...change.revoke], notInSpace: false, failures: [] };
  }
}

/** A small seeded generator for delivery decisions, so a story replays exactly. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------

describeLoad.each(loadRuns({ small: 20, full: 200 }))("access equals what was paid, for any story and any delivery, on $kind", ({ kind: backend, size }) => {
  const runs = RUNS ?? size;
  let db: TestDatabase;
  let run = 0;

  beforeAll(async () => {
    db = await freshDatabase(backend);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** Tells one story to a fresh fake Stripe, delivering its events as the story says. */
  async function tell(story: Story): Promise<{ failures: string[]; trace: string[] }> {
    run++;
    const start = Date.parse("2026-11-01T00:00:00Z") / 1000;
    const fake = await startFakeStripe({ now: start });
    const clock = new ManualClock(new Date(start * 1000));
    const trace: string[] = [];
    try {
      const prisma = db.prisma as unknown as Db;
      // Each story on an empty database: one purchase is what the property is about. Left in
      // place, the earlier stories' members were synced again by every later reconciliation
      // (its first run reads every entitlement), so the 200 stories cost time quadratic in their number.
      await deleteAllRows(prisma);
      const stripe = new Stripe("sk_test_property", { ...fake.clientOptions });
      const rand = random(story.shuffle);
      const slug = `prop-${backend}-${run}-${Math.floor(Math.random() * 1e9)}`;
      const community = await prisma.community.create({ data: { slug, name: slug } });
      const config = { ...acmeCommunity(), slug, commerce: { ...DEFAULT_COMMERCE, ...story.policy } };
      const product = fake.createProduct({ name: story.item });
      const price = fake.createPrice({ product: product.id, unit_amount: 1900, currency: "eur", ...(story.item === "membership" ? { recurring: { interval: "month" } } : {}) });
      const item = await prisma.catalogItem.create({
        data: {
          communityId: community.id, name: story.item, title: story.item, description: "", stripePriceId: price.id, stripeProductId: product.id,
          mode: story.item === "membership" ? "subscription" : "payment", currency: "eur", unitAmount: 1900, interval: story.item === "membership" ? "month" : null,
          discordRoleIds: [ROLE], slackChannelIds: [],
        },
      });
      const member = await prisma.member.create({ data: { communityId: community.id, displayName: "Buyer" } });
      const guild = `9${String(run).padStart(17, "0")}`;
      const userId = `8${String(run).padStart(17, "0")}`;
      await prisma.platformSpace.create({ data: { communityId: community.id, platform: "discord", externalId: guild, name: slug } });
      await prisma.platformAccount.create({ data: { communityId: community.id, memberId: member.id, platform: "discord", externalId: userId, displayName: "Buyer" } });
      const log = quietLogger();
      const server = new Server();
      const accessSync = new AccessSync(prisma, new EntitlementService(prisma), { discord: server }, undefined, clock, log);
      const applier = new StripeEventApplier(prisma, stripe, [config], log, clock);
      const reconciler = new Reconciler(prisma, stripe, applier, accessSync, clock, log, async () => undefined);
      // What production runs beside the webhooks: the every-minute job that takes lapsed access away.
      let expiredUpTo = new Date(start * 1000);
      const expiryJob = async () => {
        const now = clock.now();
        await accessSync.syncMembers(await membersWithLapsedAccess(prisma, expiredUpTo, now));
        expiredUpTo = now;
      };
      const join = async () => {
        if (server.present.has(userId)) return;
        server.present.add(userId);
        await accessSync.syncAccount("discord", guild, userId); // what the member-joined handler does
        trace.push("joined the server");
      };
      await prisma.reconciliationCursor.deleteMany({}); // this fake's history starts now

      // Delivery: every handled event is kept or lost at birth, then delivered at random points.
      const pending: StripeObject[] = [];
      const emitted = (events: readonly StripeObject[]) => {
        for (const e of events) if (rand() >= story.lost) pending.push(e);
      };
      const deliverSome = async (all: boolean) => {
        const now = pending.filter(() => all || rand() < 0.5);
        for (const e of now) pending.splice(pending.indexOf(e), 1);
        const batch = [...now, ...now.filter(() => rand() < story.duplicated)];
        for (let i = batch.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [batch[i], batch[j]] = [batch[j]!, batch[i]!];
        }
        for (const e of batch) {
          const outcome = await applier.apply(e as unknown as Stripe.Event);
          if (outcome.status === "applied") await accessSync.syncMembers(outcome.members); // as the webhook route does
        }
        trace.push(`delivered ${batch.length}`);
      };
      const sync = async () => {
        clock.set(new Date(fake.now() * 1000));
        await expiryJob();
      };
      const reconcile = async () => {
        await sync();
        const report = await reconciler.run();
        trace.push(`reconcile at +${Math.round((fake.now() - start) / DAY)}d: ${report.repairs.length} repair(s)`);
      };

      // The model, kept as the story goes.
      const model: Model = { kind: story.item, status: "open", paidThrough: null, dueAt: null, periodEnd: 0, cancelAtPeriodEnd: false, endedAt: null, reversed: false };
      const metadata = { guildhall_member: member.id, guildhall_community: community.id, guildhall_item: item.id };
      const session = await stripe.checkout.sessions.create({
        mode: story.item === "membership" ? "subscription" : "payment",
        line_items: [{ price: price.id, quantity: 1 }],
        metadata,
        success_url: "https://example.com/back",
        ...(story.item === "membership"
          ? { subscription_data: { metadata, ...(story.start === "trial" ? { trial_period_days: 14 } : {}) } }
          : { payment_intent_data: { metadata }, customer_creation: "always" as const }),
      });
      let subscriptionId: string | undefined;
      const subscription = () => fake.state.subscriptions.get(subscriptionId!)!;
      const period = () => subscription()["items"].data[0] as { current_period_start: number; current_period_end: number };
      const readPeriod = () => {
        if (subscriptionId) model.periodEnd = period().current_period_end;
      };

      if (story.start === "expired") {
        emitted(fake.expireCheckout(session.id));
        model.status = "expired";
      } else {
        const delayed = story.start === "delayed_ok" || story.start === "delayed_fail";
        emitted(fake.completeCheckout(session.id, delayed ? { paymentStatus: "unpaid" } : {}));
        subscriptionId = fake.state.checkoutSessions.get(session.id)!["subscription"] ?? undefined;
        readPeriod();
        if (delayed) {
          fake.setNow(fake.now() + 2 * DAY);
          emitted(fake.asyncPaymentResult(session.id, story.start === "delayed_ok"));
        }
        const paid = story.start !== "delayed_fail";
        if (story.item === "course") model.status = paid ? "paid" : "unpaid";
        else if (story.start === "trial") {
          model.status = "trialing";
          model.paidThrough = story.policy.trialsGrantAccess ? model.periodEnd : null;
        } else {
          model.status = paid ? "active" : "incomplete";
          model.paidThrough = paid ? model.periodEnd : null;
        }
      }
      trace.push(`start ${story.item} ${story.start} → ${model.status}`);

      // Payments that can be refunded or disputed: every succeeded charge of this story.
      const customer = () => fake.state.checkoutSessions.get(session.id)!["customer"] as string | null;
      const payments = () => [...fake.state.charges.values()].filter((ch) => ch["status"] === "succeeded" && ch["customer"] === customer() && customer() !== null);

      for (const [index, step] of story.steps.entries()) {
        if (index === story.joinsAt) await join();
        const status = model.status;
        const live = model.kind === "membership" && subscriptionId !== undefined && status !== "canceled" && status !== "incomplete";
        switch (step.op) {
          case "renew":
            if (!live || status === "unpaid") continue;
            emitted(fake.renewSubscription(subscriptionId!));
            if (status === "past_due") {
              model.status = "active";
              model.paidThrough = period().current_period_end;
              model.dueAt = null;
            } else if (model.cancelAtPeriodEnd) {
              model.status = "canceled";
              model.endedAt = fake.now();
            } else {
              model.status = "active";
              model.paidThrough = period().current_period_end;
            }
            break;
          case "fail":
            if (!live || status === "unpaid") continue;
            if (status !== "past_due" && model.cancelAtPeriodEnd) continue; // the period end cancels instead of billing
            emitted(fake.failSubscriptionPayment(subscriptionId!));
            if (status !== "past_due") {
              model.status = "past_due";
              model.dueAt = period().current_period_start;
            }
            break;
          case "exhaustCancel":
          case "exhaustUnpaid":
            if (!live || status !== "past_due") continue;
            emitted(fake.exhaustRetries(subscriptionId!, step.op === "exhaustCancel" ? "cancel" : "unpaid"));
            if (step.op === "exhaustCancel") {
              model.status = "canceled";
              model.endedAt = fake.now();
            } else model.status = "unpaid";
            break;
          case "cancelAtEnd":
            if (!live || model.cancelAtPeriodEnd) continue;
            emitted(fake.cancelSubscriptionAtPeriodEnd(subscriptionId!));
            model.cancelAtPeriodEnd = true;
            break;
          case "cancelNow":
            if (!live) continue;
            emitted(fake.deleteSubscription(subscriptionId!));
            model.status = "canceled";
            model.endedAt = fake.now();
            break;
          case "refund":
          case "dispute": {
            const all = payments();
            const charge = all[step.payment % Math.max(1, all.length)];
            if (!charge || charge["disputed"] === true) continue;
            const remaining = Number(charge["amount"]) - Number(charge["amount_refunded"]);
            if (step.op === "dispute") {
              emitted(fake.disputeCharge(String(charge["id"])));
              model.reversed = true;
            } else {
              if (remaining <= 0) continue;
              const amount = step.part === "full" ? remaining : Math.min(remaining, 700);
              emitted(fake.refundCharge(String(charge["id"]), amount));
              if (amount === remaining) model.reversed = true; // refunds that add up to the whole amount
            }
            break;
          }
          case "wait":
            fake.setNow(fake.now() + step.days * DAY);
            break;
          case "deliver":
            await sync();
            await deliverSome(false);
            continue;
          case "reconcile":
            await reconcile();
            continue;
        }
        readPeriod();
        trace.push(`${step.op}${"days" in step ? ` ${step.days}d` : ""}${"payment" in step ? ` #${step.payment}` : ""}${"part" in step ? ` ${step.part}` : ""} → ${model.status} at +${Math.round((fake.now() - start) / DAY)}d`);
        await sync();
        if (rand() < 0.5) await deliverSome(false);
      }
      await sync();
      await deliverSome(rand() < 0.5);
      fake.setNow(fake.now() + story.finalWaitDays * DAY);
      await sync();
      await join();
      await reconcile();

      // Access at the end and later: the entitlements as the README reads them.
      const rows = await prisma.entitlement.findMany({ where: { memberId: member.id } });
      const failures: string[] = [];
      if (rows.length > 1) failures.push(`${rows.length} entitlements for one purchase`);
      const now = fake.now();
      for (const offset of [0, DAY, 8 * DAY, 45 * DAY]) {
        const t = now + offset;
        const has = rows.some((e) => e.revokedAt === null && e.startsAt.getTime() <= t * 1000 && (e.endsAt === null || e.endsAt.getTime() > t * 1000));
        const want = expectedAccess(model, story.policy, t);
        if (has !== want) failures.push(`at +${offset / DAY}d: access ${has}, expected ${want} (model ${JSON.stringify(model)}, rows ${JSON.stringify(rows.map((r) => ({ startsAt: r.startsAt, endsAt: r.endsAt, revokedAt: r.revokedAt, reason: r.reason })))})`);
      }
      // And the server agrees now: the role is held exactly when access is due.
      const held = server.roles.get(userId)?.has(ROLE) ?? false;
      if (held !== expectedAccess(model, story.policy, now)) failures.push(`role held ${held}, expected ${!held}`);
      return { failures, trace };
    } finally {
      await fake.close();
    }
  }

  it(`holds for ${runs} generated stories (seed ${SEED})`, { timeout: 900_000 }, async () => {
    console.info(`property test on ${backend}: FC_SEED=${SEED}${PATH ? ` FC_PATH=${PATH}` : ""}, ${runs} stories`);
    await fc.assert(
      fc.asyncProperty(storyArb, async (story) => {
        const { failures, trace } = await tell(story);
        if (failures.length > 0) throw new Error(`${failures.join("\n")}\nstory: ${trace.join("; ")}`);
      }),
      { numRuns: runs, seed: SEED, ...(PATH ? { path: PATH } : {}), endOnFailure: process.env.FC_SHRINK !== "1" },
    );
    expect(run).toBeGreaterThanOrEqual(runs);
  });
});
