// Ratings of courses (/rate course, /rate hide, /course, /courses) and of code reviews
// (the star buttons on the done post, /review rate, /reviewer list), in the playground.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/reply.js";
import { RatingsService } from "../../src/ratings/ratings-service.js";
import { ManualClock, startCommunity, who } from "../support/community.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

type Community = Awaited<ReturnType<typeof startCommunity>>;

/** Everything a member reads in a reply: its text and its fields. */
const shown = (r: Reply) => [r.text ?? "", ...(r.fields ?? []).map((f) => `${f.name}: ${f.value}`)].join("\n");
const ok = (r: Reply) => {
  if (r.tone === "error") throw new Error(`command failed: ${r.text}`);
  return shown(r);
};

describe.each(backends())("course ratings on %s", (kind) => {
  let c: Community;
  beforeAll(async () => {
    c = await startCommunity(kind);
    const community = await c.services.identity.communityFor("playground", { id: "playground", name: "Playground" });
    await c.db.catalogItem.createMany({
      data: ["async-rust", "go-basics"].map((name) => ({ communityId: community.id, name, title: name === "async-rust" ? "Async Rust" : "Go Basics", description: "", stripePriceId: `price_${name}`, stripeProductId: `prod_${name}`, mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [], slackChannelIds: [] })),
    });
    for (const member of ["Ada", "Grace", "Linus", "Edsger"]) {
      ok(await c.run("Cleo", "access", { member: who(member), item: "async-rust" }, { subcommand: "grant", level: "creator" }));
      // A manual grant is keyed by who granted it and when, to the millisecond.
      c.clock.advance(1000);
    }
  });
  afterAll(() => c.dispose());

  const rate = (as: string, course: string, stars: number, comment?: string) => c.run(as, "rate", { course, stars, ...(comment ? { comment } : {}) }, { subcommand: "course" });

  it("refuses members who never held the item", async () => {
    const refused = await rate("Ada", "go-basics", 5);
    expect(refused.tone).toBe("error");
    expect(refused.text).toBe("Only members who have or had Go Basics can rate it.");
    const stranger = await rate("Margaret", "async-rust", 4);
    expect(stranger.text).toBe("Only members who have or had Async Rust can rate it.");
  });

  it("keeps one rating per member and item, changeable, and /course shows the average, the count and the three latest comments", async () => {
    expect(ok(await rate("Ada", "async-rust", 2, "too fast"))).toContain("You rated **Async Rust** ★★ with your comment “too fast” (rating #1)");
    c.clock.advance(60_000);
    expect(ok(await rate("Ada", "async-rust", 4, "better on a second read"))).toContain("Changed your rating of **Async Rust** ★★★★");
    c.clock.advance(60_000);
    ok(await rate("Grace", "async-rust", 5, "great pacing"));
    c.clock.advance(60_000);
    ok(await rate("Linus", "async-rust", 3));
    c.clock.advance(60_000);
    ok(await rate("Edsger", "async-rust", 5, "loved the **executor** chapter [[@U1]]"));
    // (4 + 5 + 3 + 5) / 4 = 4.25, shown with one decimal.
    const course = shown(await c.run("Ada", "course", { name: "async-rust" }));
    expect(course).toContain("Rating: ★ 4.3 (4 ratings)");
    const comments = course.slice(course.indexOf("Latest comments"));
    // Newest first; Linus left no comment; Ada's first comment was replaced.
    expect(comments).toMatch(/Edsger.*\n.*great pacing.*Grace.*\n.*better on a second read.*Ada/);
    expect(comments).not.toContain("too fast");
    // The member-text escaper: no bold opened, no mention token formed.
    expect(comments).toContain("*\u200b*executor*\u200b*");
    expect(comments).toContain("[\u200b[@U1]]");
    expect(await c.db.itemRating.count()).toBe(4);
  });

  it("/courses shows each item's average", async () => {
    const list = shown(await c.run("Ada", "courses"));
    expect(list).toContain("Async Rust");
    expect(list).toContain("★ 4.3 (4 ratings)");
    expect(list).not.toMatch(/Go Basics[^\n]*★/);
  });

  it("a creator hides a comment; its stars still count; members cannot hide", async () => {
    const grace = await c.db.itemRating.findFirstOrThrow({ where: { comment: "great pacing" } });
    expect((await c.run("Ada", "rate", { number: grace.number }, { subcommand: "hide" })).text).toContain("Only creators");
    expect(ok(await c.run("Cleo", "rate", { number: grace.number }, { subcommand: "hide", level: "creator" }))).toContain(`The comment of rating #${grace.number} is hidden`);
    expect((await c.run("Cleo", "rate", { number: grace.number }, { subcommand: "hide", level: "creator" })).text).toContain("already hidden");
    expect((await c.run("Cleo", "rate", { number: 99 }, { subcommand: "hide", level: "creator" })).text).toBe("There is no rating #99.");
    const course = shown(await c.run("Ada", "course", { name: "async-rust" }));
    expect(course).not.toContain("great pacing");
    expect(course).toContain("Rating: ★ 4.3 (4 ratings)");
  });

  it("averageFor answers for many items in one call, leaving unrated items out", async () => {
    const items = await c.db.catalogItem.findMany({ orderBy: { name: "asc" } });
    const averages = await c.services.ratings.averageFor(items[0]!.communityId, items.map((i) => i.id));
    expect([...averages.values()]).toEqual([{ average: 4.25, count: 4 }]);
    expect(averages.has(items.find((i) => i.name === "go-basics")!.id)).toBe(false);
  });
});

describe.each(backends())("review ratings on %s", (kind) => {
  let c: Community;
  beforeAll(async () => {
    c = await startCommunity(kind);
    ok(await c.run("Grace", "reviewer", { languages: "ts" }, { subcommand: "join" }));
    ok(await c.run("Linus", "reviewer", { languages: "go" }, { subcommand: "join" }));
    ok(await c.run("Ada", "review", { link: "https://github.com/ada/parser/pull/3", language: "ts" }, { subcommand: "request" }));
  });
  afterAll(() => c.dispose());

  it("the requester rates a finished review by button or /review rate, once, changeably; /reviewer list shows the average", async () => {
    const r = await c.db.reviewRequest.findFirstOrThrow({ where: { number: 1 } });
    expect((await c.click("Ada", "review-rate", `${r.id}:5`)).text).toContain("not done yet");
    ok(await c.run("Grace", "review", { practicality: 4, coverage: 4, clarity: 4, summary: "Tidy, add error tests." }, { subcommand: "done" }));
    const post = c.chat.posts.find((p) => p.message.text?.includes("is done"))!;
    expect(post.message.buttons?.map((b) => b.label)).toEqual(["Thank", "1 ★", "2 ★", "3 ★", "4 ★", "5 ★"]);
    expect((await c.click("Grace", "review-rate", `${r.id}:5`)).text).toBe("Only the member who asked for #1 can rate it.");
    expect(ok(await c.click("Ada", "review-rate", `${r.id}:3`))).toContain("You rated review #1 ★★★ (3/5)");
    expect(ok(await c.run("Ada", "review", { request: 1, stars: 5 }, { subcommand: "rate" }))).toContain("Changed your rating of review #1 ★★★★★ (5/5)");
    expect((await c.run("Ada", "review", { request: 7, stars: 5 }, { subcommand: "rate" })).text).toContain("There is no review #7");
    const list = shown(await c.run("Ada", "reviewer", {}, { subcommand: "list" }));
    expect(list).toMatch(/Grace\*\*: `typescript` · 0 open · ★ 5\.0 \(1 rating\)/);
    expect(list).toMatch(/Linus\*\*: `go` · 0 open$/m);
  });

  it("a withdrawn review's rating no longer counts for its reviewer", async () => {
    ok(await c.run("Grace", "review", { request: 1 }, { subcommand: "withdraw" }));
    const list = shown(await c.run("Ada", "reviewer", {}, { subcommand: "list" }));
    expect(list).toMatch(/Grace\*\*: `typescript` · 0 open$/m);
    expect((await c.run("Ada", "review", { request: 1, stars: 5 }, { subcommand: "rate" })).text).toContain("is not done any more");
  });
});

describe.each(backends())("low review ratings on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(() => database.dispose());

  it("a rating of 2 or less is posted to the admin log of each space; a higher one is not", async () => {
    const reports: string[] = [];
    const adminLog = { report: async (platform: string, spaceId: string, message: string) => void reports.push(`${platform}/${spaceId}: ${message}`) };
    const service = new RatingsService(database.prisma, new ManualClock(), { heldItem: async () => true }, adminLog);
    const report = { spaces: [{ platform: "discord" as const, spaceId: "100000000000000001" }, { platform: "slack" as const, spaceId: "T0GUILD" }], text: "Review #4 by Grace was rated 2/5 by its requester Ada." };
    await service.rateReview({ communityId: "c1", requestId: "r1", reviewerId: "grace", raterId: "ada", stars: 3, lowRatingReport: report });
    expect(reports).toEqual([]);
    await service.rateReview({ communityId: "c1", requestId: "r1", reviewerId: "grace", raterId: "ada", stars: 2, lowRatingReport: report });
    expect(reports).toEqual([
      "discord/100000000000000001: ⚠️ Low review rating: Review #4 by Grace was rated 2/5 by its requester Ada.",
      "slack/T0GUILD: ⚠️ Low review rating: Review #4 by Grace was rated 2/5 by its requester Ada.",
    ]);
    await service.rateReview({ communityId: "c1", requestId: "r2", reviewerId: "grace", raterId: "ada", stars: 1 });
    expect(await service.reviewerAverages("c1", ["grace", "linus"])).toEqual(new Map([["grace", { average: 1.5, count: 2 }]]));
  });
});
