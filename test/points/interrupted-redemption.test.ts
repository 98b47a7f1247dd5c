/**
 * A Stripe reward redemption interrupted by a restart never stays "issuing": the job finishes
 * it when Stripe holds its coupon, and otherwise gives the points back with a compensating
 * ledger row, the ledger invariant intact either way.
 */
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { points as pointsCapability } from "../../src/points/index.js";
import { interruptedRedemptionsJob } from "../../src/points/jobs.js";
import { createPromotionCode } from "../../src/points/promotion-codes.js";
import { quietLogger } from "../support/logger.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { backends } from "../support/databases.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

const creator = { level: "creator" as const };
const MINUTE = 60_000;

describe.each(backends())("interrupted reward redemptions on %s", (kind) => {
  let c: PointsCommunity;
  let fake: FakeStripe;
  let stripe: Stripe;
  const log = quietLogger();

  /** What a restart leaves behind: the debit and the redemption committed, "issuing", `ago` ms old. */
  const interrupted = async (member: string, ago: number) => {
    const reward = await c.db.reward.findFirstOrThrow({ where: { name: "rust-tenner" } });
    const id = randomUUID();
    const key = `redemption:${id}`;
    return inTransaction(c.db, async (tx) => {
      const { written } = await c.services.ledger.append(tx, [
        { communityId: c.communityId, memberId: c.id(member), amount: -100, category: "redemptions", reason: "Redeemed “€10 off Async Rust”", source: key, idempotencyKey: key, actorId: c.id(member), requireFunds: true, at: new Date(c.clock.now().getTime() - ago) },
      ]);
      return tx.redemption.create({ data: { id, communityId: c.communityId, rewardId: reward.id, memberId: c.id(member), cost: 100, entryId: written[0]!.id, status: "issuing", idempotencyKey: key, createdAt: new Date(c.clock.now().getTime() - ago) } });
    });
  };
  const runJob = () => interruptedRedemptionsJob(c.services.points.rewards, c.clock, log).run(c.clock.now());
  const redemptionRows = (member: string) => c.db.pointEntry.findMany({ where: { memberId: c.id(member), category: "redemptions" }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    fake = await startFakeStripe();
    stripe = new Stripe("sk_test_guildhall", { ...fake.clientOptions });
    c = await startPoints(kind, ["Ada", "Ben", "Cat", "Dee", "Eve"], { stripe });
    const product = fake.createProduct({ name: "Async Rust" })["id"];
    const price = fake.createPrice({ product, unit_amount: 4900, currency: "eur" })["id"];
    expect((await c.run("Ada", "catalog", { name: "async-rust", title: "Async Rust", price }, { ...creator, subcommand: "add" })).tone).toBe("success");
    expect((await c.run("Ada", "reward", { name: "rust-tenner", title: "€10 off Async Rust", cost: 100, kind: "stripe_promotion", item: "async-rust", amount_off: 10 }, { ...creator, subcommand: "add" })).tone).toBe("success");
    for (const name of ["Ben", "Cat", "Dee", "Eve"]) {
      await c.services.points.award({ communityId: c.communityId, actor: { memberId: c.id("Ada"), displayName: "Ada" }, member: { memberId: c.id(name), displayName: name }, amount: 300, reason: "seed", now: new Date(c.clock.now().getTime() - 60 * MINUTE) });
    }
  });
  afterAll(async () => {
    await c.dispose();
    await fake.close();
  });

  it("is one of the points capability's jobs", () => {
    const deps = { log } as unknown as Parameters<NonNullable<typeof pointsCapability.jobs>>[1];
    expect(pointsCapability.jobs?.(c.services, deps).map((job) => job.name)).toContain("interrupted-redemptions");
  });

  it("restarted between the debit and the Stripe call: the points come back with a compensating row", async () => {
    const redemption = await interrupted("Ben", 10 * MINUTE);
    expect(await c.balance("Ben")).toBe(200);
    await runJob();
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "refunded", promotionCode: null });
    const rows = await redemptionRows("Ben");
    expect(rows.map((row) => row.amount)).toEqual([-100, 100]);
    expect(rows[1]!.reversesId).toBe(rows[0]!.id);
    expect(await c.balance("Ben")).toBe(300);
    // Nothing was made in Stripe for it.
    expect([...fake.state.coupons.values()].filter((coupon) => coupon["metadata"].guildhall_redemption === redemption.id)).toEqual([]);
    // A second run changes nothing.
    await runJob();
    expect((await redemptionRows("Ben")).map((row) => row.amount)).toEqual([-100, 100]);
  });

  it("restarted after the Stripe calls: the redemption is completed with the code Stripe holds", async () => {
    const redemption = await interrupted("Cat", 10 * MINUTE);
    const [reward, item] = await Promise.all([c.db.reward.findFirstOrThrow({ where: { name: "rust-tenner" } }), c.db.catalogItem.findFirstOrThrow({ where: { name: "async-rust" } })]);
    // The process made both Stripe calls, then died before recording the code.
    await createPromotionCode(stripe, reward, item, redemption, undefined);
    const made = [...fake.state.promotionCodes.values()].filter((promo) => promo["metadata"].guildhall_redemption === redemption.id);
    expect(made).toHaveLength(1);
    await runJob();
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "issued", promotionCode: made[0]!["code"] });
    expect((await redemptionRows("Cat")).map((row) => row.amount)).toEqual([-100]);
    expect(await c.balance("Cat")).toBe(200);
    expect([...fake.state.promotionCodes.values()].filter((promo) => promo["metadata"].guildhall_redemption === redemption.id)).toHaveLength(1);
  });

  it("restarted between the coupon and its code: the code is made and the redemption completed", async () => {
    const redemption = await interrupted("Dee", 10 * MINUTE);
    const product = (await c.db.catalogItem.findFirstOrThrow({ where: { name: "async-rust" } })).stripeProductId;
    // Only the coupon reached Stripe (as the production issue makes it: the id names the redemption).
    await stripe.coupons.create({ id: `guildhall-${redemption.id}`, amount_off: 1000, currency: "eur", duration: "once", max_redemptions: 1, applies_to: { products: [product] }, metadata: { guildhall_redemption: redemption.id } });
    await runJob();
    const after = await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    expect(after.status).toBe("issued");
    const codes = [...fake.state.promotionCodes.values()].filter((promo) => promo["promotion"].coupon === `guildhall-${redemption.id}`);
    expect(codes.map((promo) => promo["code"])).toEqual([after.promotionCode]);
    expect(codes[0]).toMatchObject({ max_redemptions: 1, active: true });
    expect(await c.balance("Dee")).toBe(200);
  });

  it("leaves a redemption still within its first minutes alone", async () => {
    const redemption = await interrupted("Eve", 30_000);
    await runJob();
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "issuing" });
    c.clock.advance(5 * MINUTE);
    await runJob();
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "refunded" });
    expect(await c.balance("Eve")).toBe(300);
  });

  it("keeps the ledger invariant", async () => {
    expect(await c.db.redemption.count({ where: { status: "issuing" } })).toBe(0);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });
});
