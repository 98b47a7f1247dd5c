import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, startFakeStripe, type FakeStripe, type StripeObject } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { ManualClock } from "../support/community.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const DAY = 86_400_000;
/** README "Connect Stripe": graceDays defaults to 7. */
const GRACE_DAYS = 7;

/**
 * The defects of issue 9, one test each. Expected windows come from the README's policy,
 * written here: grace runs from the moment the unpaid renewal became due, as Stripe recorded it.
 */
describe.each(backends())("access equals what was paid, on %s", (backend) => {
  let db: TestDatabase;
  let fake: FakeStripe;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  const clock = new ManualClock("2026-11-01T00:00:00Z");
  /** Both clocks, Stripe's and the bot's, move together unless a test says otherwise. */
  const at = (seconds: number) => {
    fake.setNow(seconds);
    clock.set(new Date(seconds * 1000));
  };
  const deliver = async (events: readonly StripeObject[]) => {
    for (const e of events) expect((await deliverWebhook(c.webhookUrl, e, WEBHOOK_SECRET)).status).toBe(200);
  };
  const memberOf = async (externalId: string) => (await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId } })).memberId;
  const entitlementOf = async (externalId: string, source: string) =>
    db.prisma.entitlement.findFirstOrThrow({ where: { memberId: await memberOf(externalId), source } });
  const subscriptionOf = (events: readonly StripeObject[]) => events.find((e) => e.type === "customer.subscription.created")!.data.object.id as string;
  const chargeOf = (events: readonly StripeObject[]) => events.find((e) => e.type === "charge.succeeded")!.data.object.id as string;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    fake = await startFakeStripe({ now: clock.now().getTime() / 1000 });
    c = await startCommerce(db.prisma, { clock, stripeFake: fake });
    const course = fake.createProduct({ name: "Async Rust" });
    const tier = fake.createProduct({ name: "Pro" });
    const coursePrice = fake.createPrice({ product: course.id, unit_amount: 4900, currency: "eur" }).id;
    const tierPrice = fake.createPrice({ product: tier.id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price: coursePrice }, { creator: true, subcommand: "add" });
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice }, { creator: true, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await fake?.close();
    await db?.dispose();
  });

  it("defect 1: a membership cancelled for non-payment keeps only the grace, not the unpaid month", async () => {
    const joined = fake.completeCheckout(await c.buy("pro", { id: "d-dun", name: "Dun" }));
    await deliver(joined);
    const sub = subscriptionOf(joined);
    const failed = fake.failSubscriptionPayment(sub); // the clock moves to the renewal
    const dueAt = fake.now();
    at(dueAt + 3 * 86_400);
    const retried = fake.failSubscriptionPayment(sub);
    at(dueAt + 10 * 86_400);
    const cancelled = fake.exhaustRetries(sub, "cancel");
    await deliver([...failed, ...retried, ...cancelled]);
    const membership = await entitlementOf("d-dun", "subscription");
    expect(membership.endsAt?.getTime()).toBe(dueAt * 1000 + GRACE_DAYS * DAY);
  });

  it("defect 2: grace runs from when the renewal became due, not from when Guildhall heard of it", async () => {
    at(Date.parse("2026-11-01T00:00:00Z") / 1000);
    const joined = fake.completeCheckout(await c.buy("pro", { id: "d-late", name: "Late" }));
    await deliver(joined);
    const failed = fake.failSubscriptionPayment(subscriptionOf(joined));
    const dueAt = fake.now();
    clock.set(new Date((dueAt + 3 * 86_400) * 1000)); // the bot was down for three days
    await deliver(failed);
    const membership = await entitlementOf("d-late", "subscription");
    expect(membership.endsAt?.getTime()).toBe(dueAt * 1000 + GRACE_DAYS * DAY);
  });

  it("defect 3: a full refund or a dispute of a membership payment that arrives before the subscription's first event still ends it", async () => {
    at(Date.parse("2026-11-01T00:00:00Z") / 1000);
    const refunded = fake.completeCheckout(await c.buy("pro", { id: "d-ref", name: "Ref" }));
    const refund = fake.refundCharge(chargeOf(refunded));
    const disputed = fake.completeCheckout(await c.buy("pro", { id: "d-dis", name: "Dis" }));
    const dispute = fake.disputeCharge(chargeOf(disputed));
    await deliver([...refund, ...dispute]);
    await deliver([...refunded, ...disputed]);
    await c.reconciler(clock).run();
    const now = clock.now();
    for (const who of ["d-ref", "d-dis"]) {
      const membership = await entitlementOf(who, "subscription");
      expect(membership.revokedAt, who).not.toBeNull();
      expect(membership.revokedAt!.getTime(), who).toBeLessThanOrEqual(now.getTime());
    }
  });

  it("defect 4: a course refund delivered before its checkout.session.completed ends the purchase, on later runs too", async () => {
    await c.reconciler(clock).run(); // an earlier run: the cursor is set
    at(fake.now() + 3600);
    const bought = fake.completeCheckout(await c.buy("async-rust", { id: "d-crs", name: "Crs" }));
    const refund = fake.refundCharge(chargeOf(bought));
    await deliver(refund);
    await deliver(bought);
    // A later run whose cursor is past the purchase (its events were all recorded by then).
    await db.prisma.reconciliationCursor.update({ where: { id: "stripe" }, data: { eventsCreated: fake.now() + 600, sweptAt: fake.now() + 600 } });
    at(fake.now() + 3600);
    await c.reconciler(clock).run();
    const purchase = await entitlementOf("d-crs", "purchase");
    expect(purchase.revokedAt).not.toBeNull();
    expect(purchase.reason).toBe("refunded");
  });

  it("defect 5: a Checkout Session row never goes back to an older state", async () => {
    const asyncSession = await c.buy("async-rust", { id: "d-asy", name: "Asy" });
    const completed = fake.completeCheckout(asyncSession, { paymentStatus: "unpaid" });
    const settled = fake.asyncPaymentResult(asyncSession, true);
    await deliver(settled);
    await deliver(completed); // older, says unpaid
    expect(await db.prisma.checkoutSession.findUniqueOrThrow({ where: { id: asyncSession } })).toMatchObject({ status: "complete", paymentStatus: "paid" });
  });

  it("defect 5: reconciliation repairs Checkout Sessions whose completion or expiry was lost", async () => {
    const lost = await c.buy("async-rust", { id: "d-lst", name: "Lst" });
    fake.completeCheckout(lost, { paymentStatus: "unpaid" }); // never delivered
    const walkedAway = await c.buy("pro", { id: "d-wlk", name: "Wlk" });
    fake.expireCheckout(walkedAway); // never delivered
    // Every event is already behind the cursor: only the sweep of sessions can notice.
    await db.prisma.reconciliationCursor.update({ where: { id: "stripe" }, data: { eventsCreated: fake.now() + 86_400 } });
    at(fake.now() + 60);
    await c.reconciler(clock).run();
    expect(await db.prisma.checkoutSession.findUniqueOrThrow({ where: { id: lost } })).toMatchObject({ status: "complete", paymentStatus: "unpaid" });
    expect(await db.prisma.checkoutSession.findUniqueOrThrow({ where: { id: walkedAway } })).toMatchObject({ status: "expired" });
  });

  it("defect 6: a run reports every Stripe request it made, its repairs' re-reads included", async () => {
    const bought = fake.completeCheckout(await c.buy("pro", { id: "d-cnt", name: "Cnt" }));
    fake.refundCharge(chargeOf(bought), 100); // partial, never delivered
    void bought; // nothing delivered: the run repairs it all
    at(fake.now() + 60);
    const before = fake.calls.length;
    const report = await c.reconciler(clock).run();
    expect(report.repairs.length).toBeGreaterThan(0);
    expect(report.stripeCalls).toBe(fake.calls.length - before);
  });

  it("a membership that ends by its own cancellation at the period end keeps the paid month", async () => {
    const joined = fake.completeCheckout(await c.buy("pro", { id: "d-end", name: "End" }));
    const sub = subscriptionOf(joined);
    const stored = fake.state.subscriptions.get(sub) as Stripe.Subscription;
    const periodEnd = stored.items.data[0]!.current_period_end;
    const ended = [...fake.cancelSubscriptionAtPeriodEnd(sub), ...fake.renewSubscription(sub)];
    await deliver([...ended, ...joined]);
    expect((await entitlementOf("d-end", "subscription")).endsAt?.getTime()).toBe(periodEnd * 1000);
  });
});
