import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends())("Stripe webhooks on %s", (backend) => {
  let db: TestDatabase;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  const deliver = (event: unknown, opts: { timestamp?: number; signatureHeader?: string } = {}) => deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET, opts);

  /** Buys an item through /buy and returns the Checkout Session id. */
  const buy = (item: string, user: { id: string; name: string }) => c.buy(item, user);
  const memberOf = async (externalId: string) => (await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId } })).memberId;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    c = await startCommerce(db.prisma);
    const course = c.stripeFake.createProduct({ name: "Async Rust" });
    const tier = c.stripeFake.createProduct({ name: "Pro" });
    const coursePrice = c.stripeFake.createPrice({ product: course.id, unit_amount: 4900, currency: "eur" }).id;
    const tierPrice = c.stripeFake.createPrice({ product: tier.id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price: coursePrice, discord_roles: "500000000000000001" }, { creator: true, subcommand: "add" });
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice, discord_roles: "500000000000000002" }, { creator: true, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await db?.dispose();
  });

  it("refuses a bad signature, a stale one and a malformed body with 400, changing nothing", async () => {
    const event = { id: "evt_bad", type: "checkout.session.completed", data: { object: {} } };
    expect((await deliver(event, { signatureHeader: "t=1,v1=deadbeef" })).status).toBe(400);
    expect((await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(400);
    expect((await deliver({ id: "evt_malformed" })).status).toBe(400);
    expect(await db.prisma.stripeEvent.count()).toBe(0);
  });

  it("acknowledges an unknown event type with 200 and does nothing", async () => {
    const response = await deliver({ id: "evt_unknown", type: "customer.tax_id.created", data: { object: { object: "tax_id" } } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ received: true, outcome: "ignored" });
  });

  it("grants a course when Stripe says the checkout is paid, and the same event three times at once grants it once", async () => {
    const session = await buy("async-rust", { id: "d-ada", name: "Ada" });
    const events = c.stripeFake.completeCheckout(session);
    const completed = events.find((e) => e.type === "checkout.session.completed")!;
    const responses = await Promise.all([deliver(completed), deliver(completed), deliver(completed)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(responses.map((r) => JSON.parse(r.body).outcome).sort()).toEqual(["applied", "duplicate", "duplicate"]);
    const ada = await memberOf("d-ada");
    const entitlements = await db.prisma.entitlement.findMany({ where: { memberId: ada } });
    expect(entitlements).toHaveLength(1);
    expect(entitlements[0]).toMatchObject({ source: "purchase", sourceRef: session, endsAt: null, revokedAt: null });
    expect(await db.prisma.stripeCustomer.count({ where: { memberId: ada } })).toBe(1);
    expect(c.synced.flat()).toContain(ada);
    const access = await c.run("access", {}, { id: "d-ada", name: "Ada", subcommand: "show" });
    expect(access.text).toBe("**Async Rust**: purchase");
  });

  it("grants nothing for an unpaid (delayed) payment until it succeeds", async () => {
    const session = await buy("async-rust", { id: "d-bo", name: "Bo" });
    const events = c.stripeFake.completeCheckout(session, { paymentStatus: "unpaid" });
    for (const e of events) await deliver(e);
    const bo = await memberOf("d-bo");
    expect(await db.prisma.entitlement.count({ where: { memberId: bo } })).toBe(0);
    for (const e of c.stripeFake.asyncPaymentResult(session, true)) await deliver(e);
    expect(await db.prisma.entitlement.count({ where: { memberId: bo, source: "purchase" } })).toBe(1);
  });

  it("a full refund ends the purchase's access at once", async () => {
    const session = await buy("async-rust", { id: "d-cy", name: "Cy" });
    const events = c.stripeFake.completeCheckout(session);
    for (const e of events) await deliver(e);
    const charge = events.find((e) => e.type === "charge.succeeded")?.data.object.id as string;
    for (const e of c.stripeFake.refundCharge(charge)) await deliver(e);
    const cy = await memberOf("d-cy");
    const [purchase] = await db.prisma.entitlement.findMany({ where: { memberId: cy } });
    expect(purchase?.revokedAt).not.toBeNull();
    expect(purchase?.reason).toBe("refunded");
  });

  it("a membership is active whatever order its events arrive in", async () => {
    const session = await buy("pro", { id: "d-di", name: "Di" });
    const events = c.stripeFake.completeCheckout(session);
    for (const e of [...events].reverse()) await deliver(e);
    const di = await memberOf("d-di");
    const [sub] = await db.prisma.entitlement.findMany({ where: { memberId: di, source: "subscription" } });
    expect(sub).toMatchObject({ endsAt: null, revokedAt: null, reason: "active" });
  });

  it("a deleted subscription delivered before its invoice.paid ends access at the paid period's end", async () => {
    const session = await buy("pro", { id: "d-ed", name: "Ed" });
    const created = c.stripeFake.completeCheckout(session);
    const subscriptionId = created.find((e) => e.type === "customer.subscription.created")!.data.object.id as string;
    const deleted = c.stripeFake.deleteSubscription(subscriptionId);
    for (const e of [...deleted, ...created]) await deliver(e);
    const ed = await memberOf("d-ed");
    const [sub] = await db.prisma.entitlement.findMany({ where: { memberId: ed, source: "subscription" } });
    const stored = await db.prisma.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
    expect(stored.status).toBe("canceled");
    expect(sub?.endsAt?.getTime()).toBe(stored.currentPeriodEnd?.getTime());
  });

  it("an older read of a subscription never overwrites a newer one", async () => {
    const stored = await db.prisma.subscription.findFirstOrThrow({ where: { status: "canceled" } });
    const version = stored.version;
    await db.prisma.subscription.update({ where: { id: stored.id }, data: { version: version + 10_000_000n } });
    const again = c.stripeFake.events.find((e) => e.type === "customer.subscription.created" && e.data.object.id === stored.id)!;
    await deliver({ ...again, id: `${again.id}_replayed` });
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: stored.id } })).version).toBe(version + 10_000_000n);
  });
});
