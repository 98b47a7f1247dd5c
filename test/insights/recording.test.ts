import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "../commerce/support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

// What insights records from the webhook path: the money that moved, keyed by Stripe's ids,
// and each subscription's lifetime. Expected values come from what the fake Stripe was told.
describe.each(backends())("insights recording on %s", (backend) => {
  let db: TestDatabase;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  const deliver = (event: unknown) => deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
  const memberOf = async (externalId: string) => (await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId } })).memberId;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    c = await startCommerce(db.prisma);
    const course = c.stripeFake.createProduct({ name: "Async Rust" });
    const tier = c.stripeFake.createProduct({ name: "Pro" });
    const coursePrice = c.stripeFake.createPrice({ product: course.id, unit_amount: 4900, currency: "eur" }).id;
    const tierPrice = c.stripeFake.createPrice({ product: tier.id, unit_amount: 12000, currency: "usd", recurring: { interval: "year" } }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price: coursePrice, discord_roles: "500000000000000001" }, { creator: true, subcommand: "add" });
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice, discord_roles: "500000000000000002" }, { creator: true, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await db?.dispose();
  });

  it("records a purchase once, then each partial refund as the charge's refunded total", async () => {
    const session = await c.buy("async-rust", { id: "r-ada", name: "Ada" });
    const events = c.stripeFake.completeCheckout(session);
    for (const e of events) await deliver(e);
    for (const e of events) await deliver(e); // redelivered: nothing new
    const charge = events.find((e) => e.type === "charge.succeeded")?.data.object.id as string;
    for (const e of c.stripeFake.refundCharge(charge, 1000)) await deliver(e);
    for (const e of c.stripeFake.refundCharge(charge, 500)) await deliver(e);
    const ada = await memberOf("r-ada");
    const rows = await db.prisma.insightMoney.findMany({ where: { memberId: ada }, orderBy: [{ kind: "asc" }, { amount: "asc" }] });
    expect(rows.map((r) => [r.kind, r.amount, r.currency])).toEqual([["payment", 4900, "eur"], ["refund", 1000, "eur"], ["refund", 1500, "eur"]]);
    expect(rows[0]!.id).toBe(session);
    expect(rows.every((r) => r.communityId === rows[0]!.communityId && r.itemId === rows[0]!.itemId)).toBe(true);
  });

  it("records a yearly subscription's paid invoice with Stripe's paid_at, its lifetime, a dispute and the end", async () => {
    const session = await c.buy("pro", { id: "r-bo", name: "Bo" });
    const events = c.stripeFake.completeCheckout(session);
    for (const e of events) await deliver(e);
    const bo = await memberOf("r-bo");
    const paid = events.find((e) => e.type === "invoice.paid")!.data.object;
    const [payment] = await db.prisma.insightMoney.findMany({ where: { memberId: bo } });
    expect(payment).toMatchObject({ id: paid.id, kind: "payment", amount: 12000, currency: "usd", occurredAt: new Date(paid.status_transitions.paid_at * 1000) });
    const subId = events.find((e) => e.type === "customer.subscription.created")!.data.object.id as string;
    expect(await db.prisma.insightSubscription.findUnique({ where: { id: subId } })).toMatchObject({ memberId: bo, amount: 12000, currency: "usd", interval: "year", endedAt: null });

    const charge = events.find((e) => e.type === "charge.succeeded")?.data.object.id as string;
    const disputed = c.stripeFake.disputeCharge(charge);
    for (const e of disputed) await deliver(e);
    const dispute = await db.prisma.insightMoney.findFirstOrThrow({ where: { memberId: bo, kind: "dispute" } });
    expect(dispute).toMatchObject({ amount: 12000, currency: "usd", chargeId: charge, subscriptionId: subId });

    for (const e of c.stripeFake.deleteSubscription(subId)) await deliver(e);
    const ended = await db.prisma.insightSubscription.findUniqueOrThrow({ where: { id: subId } });
    expect(ended.endedAt).not.toBeNull();
  });

  it("records a day of activity once per member from commands", async () => {
    await c.run("help", {}, { id: "r-cy", name: "Cy" });
    await c.run("help", {}, { id: "r-cy", name: "Cy" });
    const cy = await memberOf("r-cy");
    const rows = await db.prisma.insightActivity.findMany({ where: { memberId: cy } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.day.toISOString().slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
  });
});
