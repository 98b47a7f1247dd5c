import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { redemptionRef } from "../../src/points/rewards-service.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { backends } from "../support/databases.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

const creator = { level: "creator" as const };
const BUYERS = Array.from({ length: 8 }, (_, i) => `Buyer${i + 1}`);

describe.each(backends())("rewards and /redeem on %s", (kind) => {
  let c: PointsCommunity;
  let fake: FakeStripe;
  let productId: string;

  const addReward = (options: Record<string, string | number>) => c.run("Ada", "reward", options, { ...creator, subcommand: "add" });
  const redeem = (as: string, reward?: string) => c.run(as, "redeem", reward ? { reward } : {});
  const grant = (name: string, amount: number) =>
    c.services.points.award({ communityId: c.communityId, actor: { memberId: c.id("Ada"), displayName: "Ada" }, member: { memberId: c.id(name), displayName: name }, amount, reason: "seed", now: c.clock.now() });

  beforeAll(async () => {
    fake = await startFakeStripe();
    const stripe = new Stripe("sk_test_guildhall", { ...fake.clientOptions });
    c = await startPoints(kind, ["Ada", "Ben", "Cat", "Dee", "Eli", "Fin", ...BUYERS], { stripe });
    productId = fake.createProduct({ name: "Async Rust" }).id;
    const price = fake.createPrice({ product: productId, unit_amount: 4900, currency: "eur" }).id;
    expect((await c.run("Ada", "catalog", { name: "async-rust", title: "Async Rust", price }, { ...creator, subcommand: "add" })).tone).toBe("success");
    expect((await addReward({ name: "rust-discount", title: "20% off Async Rust", cost: 200, kind: "stripe_promotion", item: "async-rust", percent_off: 20 })).tone).toBe("success");
    expect((await addReward({ name: "rust-tenner", title: "€10 off Async Rust", cost: 100, kind: "stripe_promotion", item: "async-rust", amount_off: 10 })).tone).toBe("success");
    expect((await addReward({ name: "fast-review", title: "Priority review", cost: 50, kind: "priority_review" })).tone).toBe("success");
    expect((await addReward({ name: "pairing", title: "30 minutes of pairing", cost: 300, kind: "custom", description: "A call with a mentor" })).tone).toBe("success");
    expect((await addReward({ name: "sticker", title: "Sticker pack", cost: 10, kind: "custom", stock: 3 })).tone).toBe("success");
    for (const name of ["Ben", "Cat", "Dee", "Eli", "Fin"]) await grant(name, 400);
    for (const name of BUYERS) await grant(name, 20);
  });
  afterAll(async () => {
    await c.dispose();
    await fake.close();
  });

  it("checks what a creator offers", async () => {
    expect((await addReward({ name: "x1", title: "X", cost: 5, kind: "stripe_promotion", percent_off: 5 })).text).toBe("A Stripe promotion reward needs `item`: the course the code discounts (see /courses).");
    expect((await addReward({ name: "x1", title: "X", cost: 5, kind: "stripe_promotion", item: "async-rust", percent_off: 5, amount_off: 3 })).text).toBe(
      "Give exactly one of `percent_off` (1 to 100) or `amount_off` (in the course's currency).",
    );
    expect((await addReward({ name: "x1", title: "X", cost: 5, kind: "stripe_promotion", item: "async-rust", amount_off: 60 })).text).toBe("`amount_off` must be more than 0 and at most the price, €49.00.");
    expect((await addReward({ name: "x1", title: "X", cost: 5, kind: "custom", percent_off: 5 })).text).toBe("`percent_off` only apply to Stripe promotion rewards.");
    expect((await addReward({ name: "pairing", title: "X", cost: 5, kind: "custom" })).text).toBe("There is already a reward called `pairing`. Pick another name.");
    expect((await addReward({ name: "Bad Name!", title: "X", cost: 5, kind: "custom" })).text).toBe("Reward names are 2 to 40 lowercase letters, digits and dashes, like `rust-discount`.");
    expect((await c.run("Ben", "reward", {}, { subcommand: "list" })).text).toBe("Only creators can use /reward list.");
  });

  it("discounts only a course that is for sale, and names what is", async () => {
    expect((await addReward({ name: "x2", title: "X", cost: 5, kind: "stripe_promotion", item: "nope", percent_off: 5 })).text).toBe(
      "There is nothing called “nope” for sale here. Try one of: async-rust.",
    );
    const price = fake.createPrice({ product: productId, unit_amount: 1900, currency: "eur" }).id;
    expect((await c.run("Ada", "catalog", { name: "old-course", title: "Old Course", price }, { ...creator, subcommand: "add" })).tone).toBe("success");
    expect((await c.run("Ada", "catalog", { name: "old-course" }, { ...creator, subcommand: "archive" })).tone).toBe("success");
    expect((await addReward({ name: "x2", title: "X", cost: 5, kind: "stripe_promotion", item: "old-course", percent_off: 5 })).text).toBe(
      "“Old Course” is no longer for sale. For sale now: async-rust.",
    );
    expect((await c.run("Ada", "reward", {}, { ...creator, subcommand: "list" })).text).not.toContain("x2");
  });

  it("lists what is on offer with the member's balance", async () => {
    const r = await redeem("Ben");
    expect(r.title).toBe("Rewards");
    expect(r.text).toContain("**Sticker pack** (`sticker`): 10 points · 3 left");
    expect(r.text).toContain("a single-use code for €10.00 off Async Rust");
    expect(r.footer).toBe("You have 400 points. Redeem with /redeem <name>.");
  });

  it("issues a single-use Stripe code for the course after the debit commits", async () => {
    const r = await redeem("Ben", "rust-discount");
    const code = /your code is `([A-Z0-9-]+)`/.exec(r.text ?? "")?.[1];
    expect(code).toBeDefined();
    expect(r).toMatchObject({ visibility: "ephemeral", tone: "success" });
    expect(r.text).toContain("a single-use code for 20% off Async Rust. Use it at checkout: `/buy async-rust`. Keep this message: it holds your code. You have 200 points left.");
    const redemption = await c.db.redemption.findFirstOrThrow({ where: { memberId: c.id("Ben") } });
    expect(redemption).toMatchObject({ status: "issued", promotionCode: code, cost: 200 });
    const coupon = fake.calls.find((call) => call.path === "/v1/coupons");
    expect(coupon).toMatchObject({
      idempotencyKey: `redemption:${redemption.id}:coupon`,
      body: { percent_off: "20", duration: "once", max_redemptions: "1", applies_to: { products: [productId] } },
    });
    const promo = fake.calls.find((call) => call.path === "/v1/promotion_codes");
    expect(promo).toMatchObject({ idempotencyKey: `redemption:${redemption.id}:promotion`, body: { max_redemptions: "1" } });
    expect([...fake.state.promotionCodes.values()].map((p) => p["code"])).toContain(code);
    const debit = await c.db.pointEntry.findUniqueOrThrow({ where: { id: redemption.entryId } });
    expect(debit).toMatchObject({ amount: -200, category: "redemptions", reason: "Redeemed “20% off Async Rust”" });
  });

  it("gives the points back when Stripe fails, and says so", async () => {
    fake.failNext((call) => call.path === "/v1/promotion_codes", { status: 400, body: { error: { type: "invalid_request_error", message: "Stripe is having a moment" } } });
    const r = await redeem("Cat", "rust-tenner");
    expect(r).toMatchObject({ tone: "error", text: "Stripe could not create your code for **€10 off Async Rust** just now, so your 100 points are back (you have 400 points). Please try again in a little while." });
    const redemption = await c.db.redemption.findFirstOrThrow({ where: { memberId: c.id("Cat") } });
    expect(redemption.status).toBe("refunded");
    const rows = await c.db.pointEntry.findMany({ where: { memberId: c.id("Cat"), category: "redemptions" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((e) => e.amount)).toEqual([-100, 100]);
    expect(rows[1]!.reversesId).toBe(rows[0]!.id);
    expect(await c.balance("Cat")).toBe(400);
  });

  it("finishes an interrupted Stripe redemption instead of charging again", async () => {
    const reward = await c.db.reward.findFirstOrThrow({ where: { name: "rust-tenner" } });
    const id = "00000000-0000-4000-8000-000000000001";
    await inTransaction(c.db, async (tx) => {
      const { written } = await c.services.ledger.append(tx, [
        { communityId: c.communityId, memberId: c.id("Dee"), amount: -100, category: "redemptions", reason: "Redeemed “€10 off Async Rust”", source: `redemption:${id}`, idempotencyKey: `redemption:${id}` },
      ]);
      await tx.redemption.create({
        data: { id, communityId: c.communityId, rewardId: reward.id, memberId: c.id("Dee"), cost: 100, entryId: written[0]!.id, status: "issuing", idempotencyKey: `redemption:${id}`, createdAt: new Date(c.clock.now().getTime() - 10 * 60_000) },
      });
    });
    const r = await redeem("Dee", "rust-tenner");
    expect(r.text).toMatch(/^🎟️ Here is the code from your earlier redemption \*\*€10 off Async Rust\*\*: your code is `[A-Z0-9-]+`, a single-use code for €10.00 off Async Rust/);
    expect(await c.balance("Dee")).toBe(300);
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "issued" });
  });

  it("issues a priority review once at a time, for /review to use", async () => {
    const r = await redeem("Eli", "fast-review");
    expect(r.text).toBe("⚡ Redeemed **Priority review**: your next `/review` goes to the front of the queue. You have 350 points left.");
    expect((await redeem("Eli", "fast-review")).text).toBe("You already have a priority review waiting: your next /review uses it. Redeem another after that.");
    const used = await inTransaction(c.db, (tx) => c.services.points.rewards.claimPriorityReview(tx, c.communityId, c.id("Eli"), c.clock.now()));
    expect(used).toMatchObject({ status: "fulfilled" });
    expect((await redeem("Eli", "fast-review")).tone).toBe("success");
    expect(await c.balance("Eli")).toBe(300);
  });

  it("records a custom reward for a creator to fulfil, and tells the channel", async () => {
    const r = await redeem("Fin", "pairing");
    const redemption = await c.db.redemption.findFirstOrThrow({ where: { memberId: c.id("Fin") } });
    const ref = redemptionRef(redemption.id);
    expect(r).toMatchObject({ visibility: "public", text: `🎁 **Fin** redeemed **30 minutes of pairing** (${ref}). A creator will be in touch to fulfil it; creators: \`/reward fulfil ${ref}\`.` });
    const pending = await c.run("Ada", "reward", {}, { ...creator, subcommand: "pending" });
    expect(pending.text).toContain(`\`${ref}\` **Fin**: 30 minutes of pairing`);
    const done = await c.run("Ada", "reward", { redemption: ref.toLowerCase(), note: "Booked for Friday" }, { ...creator, subcommand: "fulfil" });
    expect(done.text).toBe(`Marked ${ref} (**30 minutes of pairing** for **Fin**) as fulfilled. They could not be messaged privately, so tell them yourself.`);
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "fulfilled", note: "Booked for Friday", fulfilledById: c.id("Ada") });
    expect((await c.run("Ada", "reward", { redemption: ref }, { ...creator, subcommand: "fulfil" })).text).toMatch(new RegExp(`^${ref} is already fulfilled \\(\\d{4}-\\d\\d-\\d\\d\\), so there is nothing to fulfil\\.$`));
    expect((await c.run("Ada", "reward", {}, { ...creator, subcommand: "pending" })).text).toBe("Nothing is waiting: every custom reward has been fulfilled.");
  });

  it("lets a creator refund a custom reward they cannot fulfil", async () => {
    await grant("Fin", 300);
    await redeem("Fin", "pairing");
    const redemption = await c.db.redemption.findFirstOrThrow({ where: { memberId: c.id("Fin"), status: "pending" } });
    const before = await c.balance("Fin");
    const r = await c.run("Ada", "reward", { redemption: redemptionRef(redemption.id), note: "mentor is away" }, { ...creator, subcommand: "refund" });
    expect(r.text).toBe(`Refunded ${redemptionRef(redemption.id)}: **Fin** has their 300 points back.`);
    expect(await c.balance("Fin")).toBe(before + 300);
  });

  it("refuses without enough points, and writes nothing", async () => {
    const r = await redeem("Buyer1", "pairing");
    expect(r).toMatchObject({ tone: "error", text: "“30 minutes of pairing” costs 300 points and you have 20 points. Earn more by answering questions, reviewing code and being thanked." });
    expect(await c.db.redemption.count({ where: { memberId: c.id("Buyer1") } })).toBe(0);
    expect(await c.balance("Buyer1")).toBe(20);
  });

  it("respects stock when many redeem at once", async () => {
    const replies = await Promise.all(BUYERS.map((b) => redeem(b, "sticker")));
    expect(replies.filter((r) => r.tone === "success")).toHaveLength(3);
    expect(replies.filter((r) => r.text === "“Sticker pack” is all gone: all 3 have been redeemed.")).toHaveLength(5);
    expect(await c.db.redemption.count({ where: { rewardId: (await c.db.reward.findFirstOrThrow({ where: { name: "sticker" } })).id } })).toBe(3);
  });

  it("refuses archived rewards and leaves them out of suggestions", async () => {
    const archived = await c.run("Ada", "reward", { name: "rust-tenner" }, { ...creator, subcommand: "archive" });
    expect(archived.text).toBe("**€10 off Async Rust** is no longer on offer. Pending redemptions of it are still in `/reward pending`.");
    expect((await redeem("Ben", "rust-tenner")).text).toMatch(/^“€10 off Async Rust” is no longer on offer\. On offer: `fast-review`, `pairing`, `rust-discount`, `sticker`\.$/);
    expect((await c.services.points.rewards.suggest(c.communityId, "rust")).map((r) => r.name)).toEqual(["rust-discount"]);
    expect((await c.run("Ada", "reward", {}, { ...creator, subcommand: "list" })).text).toContain("**€10 off Async Rust** (`rust-tenner`): 100 points · Stripe promotion code · _archived_");
  });

  it("keeps every balance equal to the sum of its ledger rows", async () => {
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });
});
