import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { who } from "../support/community.js";
import { type Community, communityId, joinReviewers, memberId, nameOf, ok, requestNo, resetReviews, review, reviewCommunity, reviewer } from "./support.js";

const PR = "https://github.com/ada/parser/pull/3";

describe.each(backends())("code review flow on %s", (kind) => {
  // One community for the file (a fresh database costs seconds); each test starts with no
  // reviewers, requests or posts.
  let c: Community;
  beforeAll(async () => {
    c = await reviewCommunity(kind);
  });
  afterAll(() => c.dispose());
  beforeEach(() => resetReviews(c));

  it("opens a thread, pings the assignee and says how many reviews remain", async () => {
    await joinReviewers(c, { Grace: "TS, rust" });
    const text = ok(await review(c, "Ada", "request", { link: PR, language: "ts", notes: "Is the [[@U999]] parser ok?" }));
    expect(text).toContain("Review #1 is open");
    expect(text).toContain("**Grace** will review it");
    expect(text).toContain("0 of 1 review left this month");
    const opened = c.chat.posts[0]!;
    expect(opened.kind).toBe("thread");
    if (opened.kind !== "thread") return;
    expect(opened.title).toBe("Review #1 · typescript · github.com/ada/parser/pull/3");
    expect(opened.message.text).toContain(`[[@${who("Grace").id}]], this review is yours`);
    expect(opened.message.pings).toEqual({ userIds: [who("Grace").id] });
    expect(opened.message.buttons).toEqual([{ label: "Claim", action: "review-claim", value: (await requestNo(c, 1)).id, style: "primary" }]);
    // The requester's notes are echoed without forming a mention token.
    expect(opened.message.text).not.toContain("[[@U999]]");
    const saved = await requestNo(c, 1);
    expect(saved).toMatchObject({ status: "assigned", language: "typescript", threadId: opened.thread.threadId, url: opened.thread.url });
  });

  it("refuses links that are not on a code host", async () => {
    const refused = await review(c, "Ada", "request", { link: "https://example.com/ada/parser" });
    expect(refused.text).toContain("not a code host this community accepts");
    expect(await c.db.reviewRequest.count()).toBe(0);
  });

  it("waits when nobody reviews, and is assigned when a reviewer joins", async () => {
    expect(ok(await review(c, "Ada", "request", { link: PR }))).toContain("No reviewer is available right now");
    expect((await requestNo(c, 1)).status).toBe("waiting");
    expect(ok(await reviewer(c, "Grace", "join", { languages: "python" }))).toContain("#1 waited for a reviewer and is now yours");
    const r = await requestNo(c, 1);
    expect(r.status).toBe("assigned");
    expect(await nameOf(c, r.assigneeId)).toBe("Grace");
    expect(c.chat.texts().at(-1)).toContain("is yours now");
  });

  it("never assigns the requester, and falls back to anyone when nobody knows the language", async () => {
    await joinReviewers(c, { Ada: "rust", Grace: "python" });
    const text = ok(await review(c, "Ada", "request", { link: PR, language: "rust" }));
    expect(text).toContain("nobody available lists `rust`");
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Grace");
  });

  it("passes to the next reviewer, never back to who passed", async () => {
    await joinReviewers(c, { Grace: "ts", Linus: "ts" });
    ok(await review(c, "Ada", "request", { link: PR, language: "ts" }));
    const thread = (await requestNo(c, 1)).threadId!;
    // On Discord, /review pass inside the thread finds the request from the channel.
    expect(ok(await review(c, "Grace", "pass", {}, { channelId: thread }))).toContain("it goes to **Linus**");
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Linus");
    // Elsewhere (Slack) the number names it; with nobody left, it waits.
    expect(ok(await review(c, "Linus", "pass", { request: 1 }))).toContain("nobody else is available");
    const r = await requestNo(c, 1);
    expect(r).toMatchObject({ status: "waiting", assigneeId: null });
    expect(r.passedBy).toHaveLength(2);
    expect((await review(c, "Grace", "pass", { request: 1 })).text).toContain("not assigned to you");
  });

  it("claims, finishes with the rubric for 10 points, is thanked once, and a withdrawal reverses every point", async () => {
    await joinReviewers(c, { Grace: "ts" });
    ok(await review(c, "Ada", "request", { link: PR }));
    const r1 = await requestNo(c, 1);
    expect((await c.click("Ada", "review-claim", r1.id)).text).toContain("cannot review your own request");
    expect(ok(await c.click("Grace", "review-claim", r1.id))).toContain("You started review #1");
    expect((await requestNo(c, 1)).status).toBe("claimed");
    expect((await review(c, "Grace", "done", { practicality: 6, coverage: 3, clarity: 5, summary: "Nice and tidy parser." })).text).toContain("practicality");
    const done = ok(await review(c, "Grace", "done", { practicality: 4, coverage: 3, clarity: 5, summary: "Nice and tidy parser; add tests for errors." }));
    expect(done).toContain("You earned 10 points; you now have 10");
    const finished = await requestNo(c, 1);
    expect(finished).toMatchObject({ status: "done", practicality: 4, coverage: 3, clarity: 5, summary: "Nice and tidy parser; add tests for errors." });
    // Its summary is fingerprinted, so an answer copied from it is noticed (test/qa/copied.test.ts).
    expect(await c.db.answerFingerprint.findFirst({ where: { kind: "review", sourceId: finished.id } })).toMatchObject({ label: "review #1" });
    const post = c.chat.posts.find((p) => p.message.text?.includes("is done"))!;
    expect(post.message.text).toContain("Practicality 4/5 · Coverage 3/5 · Clarity 5/5");
    expect(post.message.pings).toEqual({ userIds: [who("Ada").id] });
    expect(c.chat.texts()).toContainEqual(expect.stringContaining("earned the **First review** badge"));

    const cid = await communityId(c);
    const grace = await memberId(c, "Grace");
    expect((await c.click("Grace", "review-thank", r1.id)).text).toContain("Only the member who asked");
    expect(ok(await c.click("Ada", "review-thank", r1.id))).toContain("You thanked your reviewer");
    expect((await c.click("Ada", "review-thank", r1.id)).text).toContain("already thanked");
    expect(await c.services.ledger.balance(cid, grace)).toBe(11);

    expect(ok(await review(c, "Grace", "withdraw", { request: 1 }))).toContain("11 points were taken back");
    expect(await c.services.ledger.balance(cid, grace)).toBe(0);
    const rows = await c.db.pointEntry.findMany({ where: { memberId: grace } });
    expect(rows.map((e) => e.amount).sort()).toEqual([-1, -10, 1, 10]);
    expect(rows.filter((e) => e.reversesId)).toHaveLength(2);
    expect((await review(c, "Grace", "withdraw", { request: 1 })).text).toContain("was withdrawn");
    // The withdrawn review does not use up Ada's quota.
    expect(ok(await review(c, "Ada", "request", { link: PR }))).toContain("0 of 1 review left");
  });

  it("lets another reviewer take over an unstarted request with the Claim button, not a started one", async () => {
    await joinReviewers(c, { Grace: "ts", Linus: "ts" });
    ok(await review(c, "Ada", "request", { link: PR }));
    const r = await requestNo(c, 1);
    expect(await nameOf(c, r.assigneeId)).toBe("Grace");
    expect((await c.click("Bob", "review-claim", r.id)).text).toContain("Only reviewers can claim");
    expect(ok(await c.click("Linus", "review-claim", r.id))).toContain("You took it over");
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Linus");
    expect(c.chat.texts().at(-1)).toContain("took over #1");
    expect((await c.click("Grace", "review-claim", r.id)).text).toContain("Someone already started #1");
    expect((await review(c, "Grace", "done", { request: 1, practicality: 4, coverage: 4, clarity: 4, summary: "Looks fine to me." })).text).toContain("assigned to someone else");
  });

  it("cancels a request, which then no longer counts against the quota", async () => {
    await joinReviewers(c, { Grace: "ts" });
    ok(await review(c, "Ada", "request", { link: PR }));
    expect((await review(c, "Ada", "request", { link: PR })).text).toContain("You have used 1 of your 1 review this month");
    expect((await review(c, "Bob", "cancel", { request: 1 })).text).toContain("Only the member who asked");
    expect(ok(await review(c, "Ada", "cancel"))).toContain("Cancelled #1");
    expect(c.chat.posts.at(-1)?.message.pings).toEqual({ userIds: [who("Grace").id] });
    expect(ok(await review(c, "Ada", "request", { link: PR }))).toContain("Review #2 is open");
  });

  it("shows status: open requests, assigned reviews and the quota", async () => {
    await joinReviewers(c, { Grace: "ts", Ada: "ts" });
    ok(await review(c, "Ada", "request", { link: PR }));
    ok(await review(c, "Bob", "request", { link: PR }));
    const status = await review(c, "Ada", "status");
    expect(status.text).toContain("0 of 1 review left this month");
    expect(status.fields?.[0]?.value).toContain("#1");
    expect(status.fields?.[0]?.value).toContain("**Grace**");
    expect(status.fields?.[1]).toMatchObject({ name: "Assigned to you" });
    expect(status.fields?.[1]?.value).toContain("#2");
  });

  it("lists reviewers, pauses them while away and hands their unstarted reviews on", async () => {
    await joinReviewers(c, { Grace: "ts", Linus: "c" });
    ok(await review(c, "Ada", "request", { link: PR }));
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Grace");
    expect(ok(await reviewer(c, "Grace", "away", { until: "3d" }))).toContain("#1 you had not started went to other reviewers");
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Linus");
    ok(await review(c, "Bob", "request", { link: PR }));
    expect(await nameOf(c, (await requestNo(c, 2)).assigneeId)).toBe("Linus");
    const list = ok(await reviewer(c, "Ada", "list"));
    expect(list).toContain("**Grace**: `typescript` · away until");
    expect(list).toContain("**Linus**: `c` · 2 open");
    expect(ok(await reviewer(c, "Grace", "back"))).toContain("Welcome back!");
    expect(ok(await reviewer(c, "Linus", "leave"))).toContain("#1, #2 went to other reviewers");
    expect(await nameOf(c, (await requestNo(c, 2)).assigneeId)).toBe("Grace");
    expect((await reviewer(c, "Linus", "away", { until: "2d" })).text).toContain("You are not a reviewer");
    expect((await reviewer(c, "Grace", "away", { until: "2020-01-01" })).text).toContain("has already begun");
  });

  it("names a reviewer with no account on this platform and tells them by direct message where they have one", async () => {
    const cid = await communityId(c);
    const member = await c.db.member.create({ data: { communityId: cid, displayName: "Sam" } });
    await c.db.platformAccount.create({ data: { communityId: cid, memberId: member.id, platform: "slack", externalId: "U0SAM", displayName: "Sam" } });
    await c.db.reviewer.create({ data: { communityId: cid, memberId: member.id, languages: ["go"], joinedAt: c.clock.now() } });
    ok(await review(c, "Ada", "request", { link: PR, language: "go" }));
    const opened = c.chat.posts[0]!;
    expect(opened.message.text).toContain("**Sam**, this review is yours");
    expect(opened.message.pings).toBeUndefined();
    expect(c.dms).toEqual([expect.objectContaining({ platform: "slack", userId: "U0SAM" })]);
    expect(c.dms[0]?.message.text).toContain("You have been asked to review #1 (go)");
  });

  it("suggests the languages reviewers list while the requester types", async () => {
    await joinReviewers(c, { Grace: "ts, rust", Linus: "rust" });
    const inv = { platform: "playground" as const, space: { id: "playground", name: "Playground" }, user: { id: who("Ada").id, displayName: "Ada" }, channel: { id: "general" }, command: "review", subcommand: "request", options: {}, actor: { platform: "playground" as const, level: "member" as const }, receivedAt: c.clock.now() };
    expect(await c.runtime.dispatcher.autocomplete(inv, "language", "")).toEqual([{ name: "rust", value: "rust" }, { name: "typescript", value: "typescript" }]);
    expect(await c.runtime.dispatcher.autocomplete(inv, "language", "TY")).toEqual([{ name: "typescript", value: "typescript" }]);
  });
});
