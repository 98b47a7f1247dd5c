import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { time, toSlackMrkdwn } from "../../src/core/markup.js";
import { escrowAccount } from "../../src/points/ledger.js";
import { composeDigest } from "../../src/digest/compose.js";
import { digestSections } from "../../src/digest/sections.js";
import { effectiveDigestSettings } from "../../src/digest/settings.js";
import { backends } from "../support/databases.js";
import { ManualClock } from "../support/community.js";
import { DIGEST_SOURCES, type DigestCommunity, digestCommunity } from "./support.js";

const at = (iso: string) => new Date(iso);
// Wednesday 2 December 2026, 09:00 in Berlin: the daily digest for (1 Dec 08:00 UTC, 2 Dec 08:00 UTC].
const SLOT = "2026-12-02T08:00:00Z";

describe.each(backends())("digest content on %s", (kind) => {
  let c: DigestCommunity;
  beforeAll(async () => {
    c = await digestCommunity(kind, { clock: new ManualClock("2026-11-20T00:00:00Z") });
    const grace = await c.memberAt("Grace", at("2026-11-01T00:00:00Z"));
    const linus = await c.memberAt("Linus", at("2026-11-01T00:00:00Z"));
    const ada = await c.memberAt("Ada", at("2026-11-01T00:00:00Z"));
    await c.memberAt("Margaret", at("2026-12-01T10:00:00Z"));
    await c.memberAt("Ken", at("2026-12-01T23:00:00Z"));
    await c.memberAt("Before", at("2026-12-01T08:00:00Z")); // the previous slot itself belongs to the previous digest

    await c.course("Async Rust", at("2026-12-01T12:00:00Z"), { name: "async-rust" });
    await c.course("Old course", at("2026-11-30T12:00:00Z"));
    await c.course("Withdrawn", at("2026-12-01T12:00:00Z"), { archivedAt: at("2026-12-01T13:00:00Z") });

    await c.question("How do I pin a future?", at("2026-11-30T10:00:00Z"), { status: "solved", solvedAt: at("2026-12-01T15:00:00Z"), answerer: "Grace", replyCount: 1 });
    await c.question("Solved by the asker", at("2026-11-30T10:00:00Z"), { status: "solved", solvedAt: at("2026-12-01T16:00:00Z"), replyCount: 0 });
    await c.question("Solved last week", at("2026-11-20T10:00:00Z"), { status: "solved", solvedAt: at("2026-11-25T10:00:00Z"), answerer: "Linus" });
    await c.question("Why is my iterator lazy?", at("2026-11-28T08:00:00Z"));
    await c.question("Lifetimes in structs @everyone [[@U0PING]]", at("2026-12-01T20:00:00Z"));
    await c.question("Has a reply already", at("2026-11-27T08:00:00Z"), { replyCount: 2 });

    await c.review(at("2026-11-30T08:00:00Z"), { language: "rust" });
    await c.review(at("2026-12-01T08:00:00Z"), { status: "assigned", language: "go" });
    await c.review(at("2026-11-29T08:00:00Z"), { status: "done" });

    await c.points(grace, 15, "answers", at("2026-12-01T15:00:00Z"));
    await c.points(grace, 1, "kudos", at("2026-12-01T16:00:00Z"));
    await c.points(grace, 50, "answers", at("2026-11-25T10:00:00Z")); // last week
    await c.points(linus, 5, "reviews", at("2026-12-01T17:00:00Z"));
    await c.points(linus, 3, "kudos", at("2026-12-01T18:00:00Z"));
    await c.points(linus, -3, "kudos", at("2026-12-01T19:00:00Z")); // reversed: counts against
    await c.points(ada, 40, "awards", at("2026-12-01T12:00:00Z")); // not for helping
    await c.points(escrowAccount("q"), 30, "answers", at("2026-12-01T12:00:00Z"));

    await c.event("Office hours", at("2026-12-04T17:00:00Z"));
    await c.event("Cancelled stream", at("2026-12-03T17:00:00Z"), { status: "cancelled" });
    await c.event("Far away", at("2026-12-20T17:00:00Z"));
  });
  afterAll(() => c.dispose());

  it("posts one message with every section in order: courses, solved, waiting, reviews, helpers, events, members", async () => {
    c.clock.set(SLOT);
    expect(await c.runDigests()).toMatchObject([{ outcome: "posted", slot: at(SLOT) }]);
    const [digest, ...more] = c.digests();
    expect(more).toEqual([]);
    expect(digest).toMatchObject({ channelId: "general", title: "📬 Daily digest: Playground" });
    expect(digest!.text).toBe(
      [
        `Since ${time(at("2026-12-01T08:00:00Z"))}.`,
        "",
        "**📚 New courses**",
        "• **Async Rust**: `/course async-rust`",
        "",
        "**✅ Solved questions**",
        "• [#3 How do I pin a future?](https://chat.invalid/t/3), answered by **Grace**",
        "• [#4 Solved by the asker](https://chat.invalid/t/4)",
        "",
        "**🙋 Waiting for help**",
        "• [#6 Why is my iterator lazy?](https://chat.invalid/t/6), waiting 4 days",
        "• [#7 Lifetimes in structs @everyone (\u200b(@U0PING))](https://chat.invalid/t/7), waiting 12 hours",
        "",
        "**🔍 Open review requests (2)**",
        "• [#9 · rust](https://chat.invalid/r/9): waiting for a reviewer, open 2 days",
        "• [#10 · go](https://chat.invalid/r/10): assigned, not started, open 24 hours",
        "",
        "**🏆 Top helpers**",
        "1. **Grace**: 16 points (answers 15, kudos 1)",
        "2. **Linus**: 5 points (reviews 5)",
        "",
        "**📅 Live events this week**",
        `• **#12 Office hours**: ${time(at("2026-12-04T17:00:00Z"))}`,
        "",
        "**👋 New members**",
        "**2** new members joined. Welcome!",
      ].join("\n"),
    );
  });

  it("never lets a member's words ping: mention syntax in a title is broken up and the post pings nobody", async () => {
    const [post] = c.chat.posts;
    expect(post?.message.pings).toBeUndefined();
    const slack = toSlackMrkdwn(post!.message.text!);
    expect(slack).not.toMatch(/<@U0PING>|<!everyone>/);
  });

  it("leaves out the sections with nothing to say", async () => {
    const settings = effectiveDigestSettings(c.config, null);
    // A week later: nothing new happened, but questions still wait and reviews are still open.
    const window = { communityId: c.communityId, from: at("2026-12-08T08:00:00Z"), to: at("2026-12-09T08:00:00Z"), now: at("2026-12-09T08:00:00Z") };
    expect((await digestSections(c.db, window, settings.sections, DIGEST_SOURCES)).map((s) => s.name)).toEqual(["waiting", "reviews"]);
    // Only the sections asked for, in the order asked.
    const two = await digestSections(c.db, { ...window, from: at("2026-12-01T08:00:00Z"), to: at(SLOT), now: at(SLOT) }, ["members", "courses"], DIGEST_SOURCES);
    expect(two.map((s) => s.heading)).toEqual(["👋 New members", "📚 New courses"]);
  });

  it("caps the waiting list at the oldest ten and says how many wait in all", async () => {
    for (let i = 0; i < 12; i++) await c.question(`Waiting ${i}`, at(`2026-12-0${3 + (i % 5)}T10:00:00Z`));
    const window = { communityId: c.communityId, from: at("2026-12-08T08:00:00Z"), to: at("2026-12-09T08:00:00Z"), now: at("2026-12-09T08:00:00Z") };
    const [waiting] = await digestSections(c.db, window, ["waiting"], DIGEST_SOURCES);
    expect(waiting!.heading).toBe("🙋 Waiting for help (14; the oldest 10)");
    expect(waiting!.lines).toHaveLength(10);
    expect(waiting!.lines[0]).toContain("Why is my iterator lazy?");
  });

  it("builds nothing for a period in which nothing happened and nothing waits", async () => {
    const settings = { ...effectiveDigestSettings(c.config, null), sections: ["courses", "solved", "helpers", "members"] as const };
    const composed = await composeDigest(c.db, { community: { id: c.communityId, name: "Playground" }, settings: { ...settings, sections: [...settings.sections] }, from: at("2026-12-20T08:00:00Z"), to: at("2026-12-21T08:00:00Z"), now: at("2026-12-21T08:00:00Z") }, DIGEST_SOURCES);
    expect(composed).toEqual({ sections: [], posts: [] });
  });
});

describe.each(backends())("an empty digest on %s", (kind) => {
  let c: DigestCommunity;
  beforeAll(async () => void (c = await digestCommunity(kind, { clock: new ManualClock("2026-11-20T00:00:00Z") })));
  afterAll(() => c.dispose());

  it("is not posted, and is recorded so later passes do not build it again", async () => {
    c.clock.set("2026-12-02T08:03:00Z");
    expect(await c.runDigests()).toMatchObject([{ outcome: "empty" }]);
    expect(c.chat.posts).toEqual([]);
    expect(await c.db.digestRun.findMany()).toMatchObject([{ slot: at(SLOT), outcome: "empty", posts: 0 }]);
    c.clock.set("2026-12-02T08:08:00Z");
    expect(await c.runDigests()).toEqual([]);
  });
});
