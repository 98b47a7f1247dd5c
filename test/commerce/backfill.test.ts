import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCommerce } from "./support.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";

describe("existing Stripe customers: backfill, then a creator's link", () => {
  let db: TestDatabase;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let customerWithBoth = "";
  let otherCustomer = "";

  /** A sale made outside Guildhall (no metadata), as an existing community would have. */
  async function foreignSale(price: string, mode: "payment" | "subscription", customer?: string): Promise<string> {
    const session = await c.stripe.checkout.sessions.create({
      mode,
      line_items: [{ price, quantity: 1 }],
      success_url: "https://example.com",
      ...(customer ? { customer } : mode === "payment" ? { customer_creation: "always" as const } : {}),
    });
    const events = c.stripeFake.completeCheckout(session.id);
    return events.find((e) => e.type === "checkout.session.completed")!.data.object.customer as string;
  }

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    c = await startCommerce(db.prisma);
    const course = c.stripeFake.createPrice({ product: c.stripeFake.createProduct({ name: "Course" }).id, unit_amount: 4900, currency: "eur" }).id;
    const tier = c.stripeFake.createPrice({ product: c.stripeFake.createProduct({ name: "Pro" }).id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    const unrelated = c.stripeFake.createPrice({ product: c.stripeFake.createProduct({ name: "Mug" }).id, unit_amount: 1500, currency: "eur" }).id;
    await c.run("catalog", { name: "course", title: "Course", price: course }, { creator: true, subcommand: "add" });
    await c.run("catalog", { name: "pro", title: "Pro", price: tier }, { creator: true, subcommand: "add" });
    customerWithBoth = await foreignSale(tier, "subscription");
    await foreignSale(course, "payment", customerWithBoth);
    otherCustomer = await foreignSale(course, "payment");
    await foreignSale(unrelated, "payment");
  });
  afterAll(async () => {
    await c?.close();
    await db?.dispose();
  });

  it("backfill imports the customers whose purchases match the catalog, granting nobody anything", async () => {
    const phases: string[] = [];
    const report = await c.runtime.services.customers!.backfill((phase) => phases.push(phase));
    expect(report).toMatchObject({ customers: 2, subscriptions: 1, purchases: 2, unmatched: 1 });
    expect(phases).toContain("subscriptions");
    expect(await db.prisma.stripeCustomer.count({ where: { memberId: null } })).toBe(2);
    expect(await db.prisma.entitlement.count()).toBe(0);
  });

  it("/access link applies the customer's membership and purchase to the member", async () => {
    const ada = { platform: "discord", id: "400000000000000071", displayName: "Ada" };
    const linked = await c.run("access", { member: ada, customer: customerWithBoth }, { creator: true, subcommand: "link", id: "400000000000000002", name: "Grace" });
    expect(linked.text).toBe(`Linked Ada to ${customerWithBoth}; applied 2 subscription(s) and purchase(s) from Stripe.`);
    const shown = await c.run("access", {}, { id: ada.id, name: "Ada", subcommand: "show" });
    expect(shown.text).toContain("**Pro**: membership (active)");
    expect(shown.text).toContain("**Course**: purchase");
  });

  it("refuses an unknown customer, a customer linked to someone else, and a second customer for one member", async () => {
    const bo = { platform: "discord", id: "400000000000000072", displayName: "Bo" };
    const ada = { platform: "discord", id: "400000000000000071", displayName: "Ada" };
    const as = { creator: true, subcommand: "link", id: "400000000000000002", name: "Grace" } as const;
    expect((await c.run("access", { member: bo, customer: "cus_nobody" }, as)).text).toContain("Stripe has no customer “cus_nobody”");
    expect((await c.run("access", { member: bo, customer: customerWithBoth }, as)).text).toBe("That customer is already linked to another member.");
    expect((await c.run("access", { member: ada, customer: otherCustomer }, as)).text).toContain(`This member already pays as ${customerWithBoth}`);
    expect((await c.run("access", { member: bo, customer: "not-a-customer" }, as)).text).toContain("must be a Stripe customer id");
    expect((await c.run("access", { member: bo, customer: otherCustomer }, { subcommand: "link" })).text).toBe("Only creators can use /access link.");
  });
});
