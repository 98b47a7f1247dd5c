import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { ManualClock } from "../support/community.js";
import { type Community, communityId, joinReviewers, memberId, ok, requestNo, resetReviews, review, reviewCommunity } from "./support.js";

const PR = "https://github.com/ada/parser/pull/3";

describe.each(backends())("review quotas on %s", (kind) => {
  let c: Community;
  let cid: string;
  beforeAll(async () => {
    // Tuesday 1 Dec 2026, 09:00 in Auckland (UTC+13): months follow the community's zone.
    c = await reviewCommunity(kind, { review: { monthlyQuota: { pro: 4, course: 2 }, freeMonthlyQuota: 1 }, timezone: "Pacific/Auckland", clock: new ManualClock("2026-11-30T20:00:00Z") });
    cid = await communityId(c);
    await c.db.catalogItem.createMany({
      data: ["pro", "course", "ebook"].map((name) => ({ communityId: cid, name, title: name, description: "", stripePriceId: `price_${name}`, stripeProductId: `prod_${name}`, mode: "subscription", currency: "usd", unitAmount: 1000, interval: "month", discordRoleIds: [], slackChannelIds: [] })),
    });
  });
  afterAll(() => c.dispose());
  beforeEach(async () => {
    await resetReviews(c);
    await joinReviewers(c, { Grace: "ts" });
  });

  let grants = 0;
  async function grant(name: string, item: string) {
    const found = await c.db.catalogItem.findFirstOrThrow({ where: { name: item } });
    await c.services.entitlements.grantManual({ communityId: cid, memberId: await memberId(c, name), item: found, days: 30, now: c.clock.now(), grantedBy: "test", interactionId: `quota-grant:${name}:${item}:${++grants}` });
  }

  it("gives members without a paid tier the free quota, and says when it resets", async () => {
    expect(ok(await review(c, "Ada", "request", { link: PR }))).toContain("0 of 1 review left this month (resets Fri 1 Jan 2027)");
    const refused = await review(c, "Ada", "request", { link: PR });
    expect(refused.text).toContain("You have used 1 of your 1 review this month; your quota resets on Fri 1 Jan 2027");
    expect(await c.db.reviewRequest.count()).toBe(1);
  });

  it("gives the most generous quota among the member's active items; items without one do not count", async () => {
    await grant("Bob", "course");
    await grant("Bob", "pro");
    await grant("Cy", "ebook");
    for (let i = 1; i <= 4; i++) expect(ok(await review(c, "Bob", "request", { link: PR }))).toContain(`${4 - i} of 4 reviews left`);
    expect((await review(c, "Bob", "request", { link: PR })).text).toContain("You have used 4 of your 4 reviews");
    expect(ok(await review(c, "Cy", "request", { link: PR }))).toContain("0 of 1 review left");
    expect(ok(await review(c, "Bob", "status"))).toContain("0 of 4 reviews left");
  });

  it("starts afresh in a new month of the community's time zone", async () => {
    ok(await review(c, "Dee", "request", { link: PR }));
    c.clock.set("2026-12-31T10:59:00Z"); // 23:59 on 31 Dec in Auckland
    expect((await review(c, "Dee", "request", { link: PR })).text).toContain("You have used 1 of your 1 review");
    c.clock.set("2026-12-31T11:00:00Z"); // midnight: January there, still December in UTC
    expect(ok(await review(c, "Dee", "request", { link: PR }))).toContain("0 of 1 review left this month (resets Mon 1 Feb 2027)");
    c.clock.set("2026-11-30T20:00:00Z");
  });

  it("uses a redeemed priority review first: marked fulfilled, first in line, not counted; cancelling gives it back", async () => {
    const eve = await memberId(c, "Eve");
    const reward = await c.db.reward.create({ data: { communityId: cid, name: "fast-review", title: "Priority review", cost: 50, kind: "priority_review" } });
    const redemption = await c.db.redemption.create({ data: { communityId: cid, rewardId: reward.id, memberId: eve, cost: 50, entryId: "entry-1", status: "issued", idempotencyKey: "redeem-1" } });
    expect(ok(await review(c, "Eve", "status"))).toContain("Plus 1 priority review redeemed");

    const text = ok(await review(c, "Eve", "request", { link: PR }));
    expect(text).toContain("It used your **priority review**");
    expect(text).toContain("1 of 1 review left");
    const r = await requestNo(c, 1);
    expect(r).toMatchObject({ priority: true, priorityRedemptionId: redemption.id });
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "fulfilled" });
    expect(c.chat.posts[0]?.message.text).toContain("**priority**");

    expect(ok(await review(c, "Eve", "cancel"))).toContain("Your priority review is yours to use again");
    expect(await c.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "issued", fulfilledAt: null });
    // The next request takes it again; a normal one after that uses the quota.
    expect(ok(await review(c, "Eve", "request", { link: PR }))).toContain("priority review");
    expect(ok(await review(c, "Eve", "request", { link: PR }))).toContain("0 of 1 review left");
  });

  it("assigns waiting priority requests before older ordinary ones", async () => {
    await c.db.reviewer.deleteMany();
    const fay = await memberId(c, "Fay");
    const reward = await c.db.reward.upsert({ where: { communityId_name: { communityId: cid, name: "fast-review" } }, create: { communityId: cid, name: "fast-review", title: "Priority review", cost: 50, kind: "priority_review" }, update: {} });
    await c.db.redemption.create({ data: { communityId: cid, rewardId: reward.id, memberId: fay, cost: 50, entryId: "entry-2", status: "issued", idempotencyKey: "redeem-2" } });
    ok(await review(c, "Gus", "request", { link: PR }));
    c.clock.advance(60_000);
    ok(await review(c, "Fay", "request", { link: PR }));
    await joinReviewers(c, { Hal: "ts" });
    // Hal took the first waiting request: the priority one, though it came later.
    expect((await requestNo(c, 2)).status).toBe("assigned");
    expect((await requestNo(c, 1)).status).toBe("assigned");
    const announced = c.chat.posts.filter((p) => p.kind === "in-thread" && p.message.text?.includes("is yours now"));
    expect(announced.map((p) => p.message.text?.match(/#\d+/)?.[0])).toEqual(["#2", "#1"]);
  });
});
