/**
 * A reward code redeemed with points is usable where members pay: /buy's Checkout takes
 * promotion codes, and the code discounts only the reward's course, once.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeStripe, startFakeStripe, type StripeObject } from "../fakes/stripe/index.js";
import { backends } from "../support/databases.js";
import { type PointsCommunity, startPoints } from "./support.js";

const creator = { level: "creator" as const };

describe.each(backends())("a reward code at checkout on %s", (kind) => {
  let c: PointsCommunity;
  let fake: FakeStripe;

  const redeemCode = async (member: string): Promise<string> => {
    const reply = await c.run(member, "redeem", { reward: "rust-discount" });
    const code = /your code is `([A-Z0-9-]+)`/.exec(reply.text ?? "")?.[1];
    if (!code) throw new Error(`no code in: ${reply.text ?? ""}`);
    return code;
  };
  /** /buy as the member; returns the Checkout Session the link opens. */
  const buy = async (member: string, item: string): Promise<StripeObject> => {
    const reply = await c.run(member, "buy", { item });
    const url = reply.links?.[0]?.url ?? "";
    const session = fake.state.checkoutSessions.get(url.split("/").pop() ?? "");
    if (!session) throw new Error(`no checkout session behind ${url} (${reply.text ?? ""})`);
    return session;
  };
  const paymentOf = (session: StripeObject): StripeObject => {
    const pi = fake.state.paymentIntents.get(String(fake.state.checkoutSessions.get(String(session["id"]))?.["payment_intent"]));
    if (!pi) throw new Error(`session ${String(session["id"])} has no payment`);
    return pi;
  };

  beforeAll(async () => {
    fake = await startFakeStripe();
    c = await startPoints(kind, ["Ada", "Ben", "Cat"], { stripe: new Stripe("sk_test_guildhall", { ...fake.clientOptions }) });
    const rust = fake.createProduct({ name: "Async Rust" }).id;
    const go = fake.createProduct({ name: "Go in practice" }).id;
    const rustPrice = fake.createPrice({ product: rust, unit_amount: 4900, currency: "eur" }).id;
    const goPrice = fake.createPrice({ product: go, unit_amount: 3000, currency: "eur" }).id;
    for (const [name, title, price] of [["async-rust", "Async Rust", rustPrice], ["go", "Go in practice", goPrice]] as const) {
      expect((await c.run("Ada", "catalog", { name, title, price }, { ...creator, subcommand: "add" })).tone).toBe("success");
    }
    expect((await c.run("Ada", "reward", { name: "rust-discount", title: "20% off Async Rust", cost: 200, kind: "stripe_promotion", item: "async-rust", percent_off: 20 }, { ...creator, subcommand: "add" })).tone).toBe("success");
    for (const name of ["Ben", "Cat"]) {
      await c.services.points.award({ communityId: c.communityId, actor: { memberId: c.id("Ada"), displayName: "Ada" }, member: { memberId: c.id(name), displayName: name }, amount: 400, reason: "seed", now: c.clock.now() });
    }
  });
  afterAll(async () => {
    await c.dispose();
    await fake.close();
  });

  it("/buy opens a Checkout that takes promotion codes", async () => {
    await buy("Ada", "go");
    const created = fake.calls.find((call) => call.method === "POST" && call.path === "/v1/checkout/sessions");
    expect(created?.body["allow_promotion_codes"]).toBe("true");
  });

  it("a code redeemed with points takes 20% off its course, and only once", async () => {
    const code = await redeemCode("Ben");
    const session = await buy("Ben", "async-rust");
    fake.completeCheckout(String(session["id"]), { promotionCode: code });
    // The reward's rule: 20% off Async Rust's €49.00 is €9.80, so €39.20 is paid.
    expect(fake.state.checkoutSessions.get(String(session["id"]))).toMatchObject({ amount_subtotal: 4900, amount_total: 3920, total_details: { amount_discount: 980 } });
    expect(paymentOf(session)).toMatchObject({ amount: 3920, amount_received: 3920, status: "succeeded" });

    // Single-use: typed again, by anyone, it is refused.
    const again = await buy("Cat", "async-rust");
    expect(() => fake.completeCheckout(String(again["id"]), { promotionCode: code })).toThrow(/cannot be redeemed/);
  });

  it("the code does not discount another course", async () => {
    const code = await redeemCode("Cat");
    const other = await buy("Cat", "go");
    expect(() => fake.completeCheckout(String(other["id"]), { promotionCode: code })).toThrow(/does not apply to any of the items/);
    fake.completeCheckout(String(other["id"]));
    expect(paymentOf(other)).toMatchObject({ amount: 3000 });
    // Unused there, it still works on its own course.
    const rust = await buy("Cat", "async-rust");
    fake.completeCheckout(String(rust["id"]), { promotionCode: code });
    expect(paymentOf(rust)).toMatchObject({ amount: 3920 });
  });
});
