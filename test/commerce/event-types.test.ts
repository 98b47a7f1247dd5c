import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "../../src/commerce/stripe-event-applier.js";
import { deliverWebhook, type FakeStripe } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";

type Commerce = Awaited<ReturnType<typeof startCommerce>>;

interface Row {
  type: string;
  /** Makes Stripe produce the event (and whatever precedes it); returns all events in order. */
  scenario: (fake: FakeStripe, buy: (item: string) => Promise<string>) => Promise<Stripe.Event[]>;
  /** What the database must show afterwards for the buyer. */
  expect: (db: TestDatabase, memberId: string) => Promise<void>;
}

const ev = (events: unknown[]) => events as Stripe.Event[];
/** When the failed renewal of the `invoice.payment_failed` row became due, by Stripe's clock (ms). */
let renewalDueAt = 0;
const find = (events: Stripe.Event[], type: string) => events.find((e) => e.type === type)!.data.object as { id: string };
const entitlements = (db: TestDatabase, memberId: string) => db.prisma.entitlement.findMany({ where: { memberId } });

/** One row per event type Guildhall handles: the scenario that produces it, and its effect. */
const TABLE: Row[] = [
  {
    type: "checkout.session.completed",
    scenario: async (fake, buy) => ev(fake.completeCheckout(await buy("course"))),
    expect: async (db, m) => expect(await entitlements(db, m)).toMatchObject([{ source: "purchase", revokedAt: null, endsAt: null }]),
  },
  {
    type: "checkout.session.async_payment_succeeded",
    scenario: async (fake, buy) => {
      const s = await buy("course");
      return ev([...fake.completeCheckout(s, { paymentStatus: "unpaid" }), ...fake.asyncPaymentResult(s, true)]);
    },
    expect: async (db, m) => expect(await entitlements(db, m)).toMatchObject([{ source: "purchase", revokedAt: null }]),
  },
  {
    type: "checkout.session.async_payment_failed",
    scenario: async (fake, buy) => {
      const s = await buy("course");
      return ev([...fake.completeCheckout(s, { paymentStatus: "unpaid" }), ...fake.asyncPaymentResult(s, false)]);
    },
    expect: async (db, m) => expect(await entitlements(db, m)).toEqual([]),
  },
  {
    type: "checkout.session.expired",
    scenario: async (fake, buy) => ev(fake.expireCheckout(await buy("course"))),
    expect: async (db, m) => {
      expect(await entitlements(db, m)).toEqual([]);
      expect((await db.prisma.checkoutSession.findFirstOrThrow({ where: { memberId: m } })).status).toBe("expired");
    },
  },
  {
    type: "customer.subscription.created",
    scenario: async (fake, buy) => ev(fake.completeCheckout(await buy("pro"))),
    expect: async (db, m) => expect(await db.prisma.subscription.findFirst({ where: { memberId: m } })).not.toBeNull(),
  },
  {
    type: "invoice.paid",
    scenario: async (fake, buy) => ev(fake.completeCheckout(await buy("pro"))),
    expect: async (db, m) => expect(await entitlements(db, m)).toMatchObject([{ source: "subscription", endsAt: null, revokedAt: null, reason: "active" }]),
  },
  {
    type: "customer.subscription.updated",
    scenario: async (fake, buy) => {
      const events = ev(fake.completeCheckout(await buy("pro")));
      return [...events, ...ev(fake.cancelSubscriptionAtPeriodEnd(find(events, "customer.subscription.created").id))];
    },
    expect: async (db, m) => {
      const sub = await db.prisma.subscription.findFirstOrThrow({ where: { memberId: m } });
      expect(sub.cancelAtPeriodEnd).toBe(true);
      expect((await entitlements(db, m))[0]?.endsAt?.getTime()).toBe(sub.currentPeriodEnd?.getTime());
    },
  },
  {
    type: "customer.subscription.deleted",
    scenario: async (fake, buy) => {
      const events = ev(fake.completeCheckout(await buy("pro")));
      return [...events, ...ev(fake.deleteSubscription(find(events, "customer.subscription.created").id))];
    },
    expect: async (db, m) => expect((await db.prisma.subscription.findFirstOrThrow({ where: { memberId: m } })).status).toBe("canceled"),
  },
  {
    type: "invoice.payment_failed",
    scenario: async (fake, buy) => {
      const events = ev(fake.completeCheckout(await buy("pro")));
      const failed = ev(fake.failSubscriptionPayment(find(events, "customer.subscription.created").id));
      renewalDueAt = fake.now() * 1000; // the fake's clock moved to the renewal
      return [...events, ...failed];
    },
    expect: async (db, m) => {
      const [e] = await entitlements(db, m);
      expect(e?.reason).toBe("past_due");
      expect(e!.endsAt!.getTime() - renewalDueAt).toBe(7 * 86_400_000); // README: graceDays from the renewal
      expect(await db.prisma.memberNotice.count({ where: { memberId: m, kind: "payment_failed" } })).toBe(1);
    },
  },
  {
    type: "charge.refunded",
    scenario: async (fake, buy) => {
      const events = ev(fake.completeCheckout(await buy("pro"))); // a membership's first payment
      return [...events, ...ev(fake.refundCharge(find(events, "charge.succeeded").id))];
    },
    expect: async (db, m) => expect(await entitlements(db, m)).toMatchObject([{ source: "subscription", reason: "refunded" }]),
  },
  {
    type: "charge.dispute.created",
    scenario: async (fake, buy) => {
      const events = ev(fake.completeCheckout(await buy("course")));
      return [...events, ...ev(fake.disputeCharge(find(events, "charge.succeeded").id))];
    },
    expect: async (db, m) => expect(await entitlements(db, m)).toMatchObject([{ source: "purchase", reason: "disputed" }]),
  },
];

describe("every Stripe event type Guildhall handles", () => {
  let db: TestDatabase;
  let c: Commerce;
  let n = 0;
  beforeAll(async () => {
    db = await freshDatabase("pglite");
    c = await startCommerce(db.prisma);
    const coursePrice = c.stripeFake.createPrice({ product: c.stripeFake.createProduct({ name: "Course" }).id, unit_amount: 4900, currency: "eur" }).id;
    const tierPrice = c.stripeFake.createPrice({ product: c.stripeFake.createProduct({ name: "Pro" }).id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    await c.run("catalog", { name: "course", title: "Course", price: coursePrice }, { creator: true, subcommand: "add" });
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice }, { creator: true, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await db?.dispose();
  });

  it("has a row for each handled type", () => {
    expect(TABLE.map((r) => r.type).sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  it.each(TABLE)("$type", async (row) => {
    const userId = `7000000000000${String(n++).padStart(5, "0")}`;
    const buy = (item: string) => c.buy(item, { id: userId, name: "Buyer" });
    const events = await row.scenario(c.stripeFake, buy);
    expect(events.some((e) => e.type === row.type)).toBe(true);
    for (const event of events) expect((await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET)).status).toBe(200);
    await c.settled();
    const memberId = (await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: userId } })).memberId;
    await row.expect(db, memberId);
  });
});
