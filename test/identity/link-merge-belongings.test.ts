// /link folds one member into another: besides their points (test/points/link-merge.test.ts),
// what the person bought, redeemed, rated, asked, answered, reviewed and RSVPed follows them to
// the member that remains, so access, quotas, ratings and copy detection see one person.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { startCommunity } from "../support/community.js";

const ANSWER = "Wrap the future in Box::pin before storing it, then poll it through Pin<&mut dyn Future>; a self-referential future must never move after its first poll.";

describe.each(backends())("what a member has follows a /link merge, on %s", (kind) => {
  let c: Awaited<ReturnType<typeof startCommunity>>;
  let communityId: string;
  let ada: string; // Discord: asks for the code, and remains
  let adaSlack: string; // Slack: enters the code, and is folded into `ada`
  let grace: string;
  beforeAll(async () => {
    c = await startCommunity(kind);
    const { identity } = c.services;
    communityId = (await identity.communityFor("playground", { id: "playground", name: "Playground" })).id;
    ada = (await identity.memberFor(communityId, "discord", { id: "100000000000000077", displayName: "Ada" })).member.id;
    adaSlack = (await identity.memberFor(communityId, "slack", { id: "U0ADA", displayName: "Ada (Slack)" })).member.id;
    grace = (await identity.memberFor(communityId, "discord", { id: "100000000000000078", displayName: "Grace" })).member.id;
  });
  afterAll(() => c.dispose());

  it("moves purchases, subscriptions, grants, redemptions, ratings, reviews, questions, answers and RSVPs to the remaining member", async () => {
    const db = c.db;
    const now = c.clock.now();
    const item = (name: string) =>
      db.catalogItem.create({ data: { communityId, name, title: name, description: "", stripePriceId: `price_${name}`, stripeProductId: `prod_${name}`, mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [], slackChannelIds: [] } });
    const rust = await item("async-rust");
    const go = await item("go-basics");
    // Bought and granted on Slack before linking; a level's item (promotion) is the level's, not the purchase's.
    await db.entitlement.create({ data: { communityId, memberId: adaSlack, itemId: rust.id, source: "purchase", sourceRef: "cs_ada_1", startsAt: now } });
    await c.services.entitlements.grantManual({ communityId, memberId: adaSlack, item: go, days: undefined, now, grantedBy: "Grace", interactionId: "1300000000000000002" });
    await db.entitlement.create({ data: { communityId, memberId: adaSlack, itemId: go.id, source: "promotion", sourceRef: `level:${adaSlack}`, startsAt: now } });
    await db.checkoutSession.create({ data: { id: "cs_ada_1", communityId, memberId: adaSlack, itemId: rust.id, url: "https://pay.example/cs_ada_1", status: "complete", paymentStatus: "paid", expiresAt: now } });
    await db.stripeCustomer.create({ data: { id: "cus_ada", communityId, memberId: adaSlack } });
    await db.subscription.create({ data: { id: "sub_ada", communityId, memberId: adaSlack, itemId: go.id, customerId: "cus_ada", status: "active", version: 1n } });
    // A reward redeemed on Slack, waiting for a creator.
    const reward = await db.reward.create({ data: { communityId, name: "sticker", title: "Sticker", cost: 10, kind: "custom" } });
    await db.redemption.create({ data: { communityId, rewardId: reward.id, memberId: adaSlack, cost: 10, entryId: "entry-ada-1", status: "pending", idempotencyKey: "redeem:ada:1" } });
    // Both accounts rated Async Rust; the Slack rating is the later one, so it is Ada's opinion now.
    await db.itemRating.create({ data: { communityId, number: 1, itemId: rust.id, memberId: ada, stars: 2, comment: "Too fast", updatedAt: new Date(now.getTime() - 60_000) } });
    await db.itemRating.create({ data: { communityId, number: 2, itemId: rust.id, memberId: adaSlack, stars: 5, comment: "Clear after all", updatedAt: now } });
    await db.itemRating.create({ data: { communityId, number: 3, itemId: go.id, memberId: adaSlack, stars: 4 } });
    // Ada reviews on both accounts, and asked for a review on Slack that Grace rated... from the other side.
    await db.reviewer.create({ data: { communityId, memberId: ada, languages: ["rust"] } });
    await db.reviewer.create({ data: { communityId, memberId: adaSlack, languages: ["go", "typescript"] } });
    const request = await db.reviewRequest.create({ data: { communityId, number: 1, requesterId: adaSlack, link: "https://github.com/ada/x/pull/1", platform: "slack", spaceId: "T1", channelId: "C1", status: "done", assigneeId: grace, passedBy: [] } });
    const reviewed = await db.reviewRequest.create({ data: { communityId, number: 2, requesterId: grace, link: "https://github.com/grace/y/pull/2", platform: "slack", spaceId: "T1", channelId: "C1", status: "done", assigneeId: adaSlack, passedBy: [ada] } });
    await db.reviewRating.create({ data: { requestId: request.id, communityId, reviewerId: grace, raterId: adaSlack, stars: 4 } });
    await db.reviewRating.create({ data: { requestId: reviewed.id, communityId, reviewerId: adaSlack, raterId: grace, stars: 5 } });
    // A question asked on Slack; a question both accounts replied in, the Slack reply accepted.
    const q = (number: number, askerId: string) =>
      db.question.create({ data: { communityId, number, askerId, title: `Question ${number}`, details: "", platform: "slack", spaceId: "T1", channelId: "C1", threadId: `t${number}` } });
    const asked = await q(1, adaSlack);
    const answered = await q(2, grace);
    await db.questionReply.create({ data: { questionId: answered.id, authorId: ada, messageId: "d1", messages: 2, thanks: 1 } });
    const slackReply = await db.questionReply.create({ data: { questionId: answered.id, authorId: adaSlack, messageId: "s1", messages: 1, thanks: 2, acceptedAt: now } });
    await db.question.update({ where: { id: answered.id }, data: { status: "solved", acceptedReplyId: slackReply.id } });
    await c.services.qa.recordReviewSummary({ communityId, authorId: adaSlack, requestId: reviewed.id, number: 2, url: null, summary: ANSWER, at: now });
    // RSVPs: both accounts to one event, the Slack one alone to another.
    const event = (number: number) => db.liveEvent.create({ data: { communityId, number, title: `Event ${number}`, startsAt: now, durationMin: 60, createdById: grace } });
    const first = await event(1);
    const second = await event(2);
    await db.liveRsvp.createMany({ data: [{ eventId: first.id, memberId: ada }, { eventId: first.id, memberId: adaSlack }, { eventId: second.id, memberId: adaSlack }] });

    // Ada links: the Slack account enters the code the Discord member asked for.
    const { code } = await c.services.identity.createLinkCode(communityId, ada, "discord", now);
    const slackAccount = await db.platformAccount.findFirstOrThrow({ where: { memberId: adaSlack } });
    await c.services.identity.redeemLinkCode({ code, communityId, platform: "slack", accountId: slackAccount.id, now });

    const owned = (memberId: string) => db.entitlement.findMany({ where: { memberId }, orderBy: { source: "asc" } }).then((rows) => rows.map((r) => `${r.source}:${r.itemId === rust.id ? "async-rust" : "go-basics"}`));
    expect(await owned(ada)).toEqual(["manual:go-basics", "purchase:async-rust"]);
    // In the merge itself the level's item stays with the merged member: the levels work that
    // follows it (test/points/levels-link-merge.test.ts) ends it and works Ada's out from the moved points.
    expect(await owned(adaSlack)).toEqual(["promotion:go-basics"]);
    expect(await db.checkoutSession.findUniqueOrThrow({ where: { id: "cs_ada_1" } })).toMatchObject({ memberId: ada });
    expect(await db.stripeCustomer.findUniqueOrThrow({ where: { id: "cus_ada" } })).toMatchObject({ memberId: ada });
    expect(await db.subscription.findUniqueOrThrow({ where: { id: "sub_ada" } })).toMatchObject({ memberId: ada });
    expect(await db.redemption.findMany({ where: { memberId: ada } })).toHaveLength(1);

    const ratings = await db.itemRating.findMany({ where: { communityId }, orderBy: { number: "asc" } });
    expect(ratings.map((r) => [r.number, r.memberId === ada ? "Ada" : r.memberId, r.stars])).toEqual([
      [2, "Ada", 5],
      [3, "Ada", 4],
    ]);
    expect(await db.reviewRating.findUniqueOrThrow({ where: { requestId: request.id } })).toMatchObject({ raterId: ada, reviewerId: grace });
    expect(await db.reviewRating.findUniqueOrThrow({ where: { requestId: reviewed.id } })).toMatchObject({ raterId: grace, reviewerId: ada });

    const reviewers = await db.reviewer.findMany({ where: { communityId } });
    expect(reviewers.map((r) => [r.memberId === ada ? "Ada" : r.memberId, r.languages])).toEqual([["Ada", ["go", "rust", "typescript"]]]);
    expect(await db.reviewRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ requesterId: ada, assigneeId: grace });
    expect(await db.reviewRequest.findUniqueOrThrow({ where: { id: reviewed.id } })).toMatchObject({ requesterId: grace, assigneeId: ada, passedBy: [ada] });

    expect(await db.question.findUniqueOrThrow({ where: { id: asked.id } })).toMatchObject({ askerId: ada });
    const replies = await db.questionReply.findMany({ where: { questionId: answered.id } });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ authorId: ada, messages: 3, thanks: 3, messageId: "d1" });
    expect(replies[0]!.acceptedAt).not.toBeNull();
    expect((await db.question.findUniqueOrThrow({ where: { id: answered.id } })).acceptedReplyId).toBe(replies[0]!.id);
    // Ada's own earlier summary is hers now: writing it again is not a copy of another member's.
    expect(await c.services.qa.matchSummary({ communityId, authorId: ada, summary: ANSWER })).toBeUndefined();
    expect(await c.services.qa.matchSummary({ communityId, authorId: grace, summary: ANSWER })).toMatchObject({ authorId: ada, share: 1 });

    const rsvps = await db.liveRsvp.findMany({ orderBy: { eventId: "asc" } });
    expect(rsvps.map((r) => [r.eventId === first.id ? 1 : 2, r.memberId === ada ? "Ada" : r.memberId]).sort()).toEqual([
      [1, "Ada"],
      [2, "Ada"],
    ]);
  });
});
