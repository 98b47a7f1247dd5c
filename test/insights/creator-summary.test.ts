// The weekly creator-only summary (schedule.digest.creatorSummary): posted by the digest job
// to the admin log channels once a week, with insights' figures of the week against the week
// before, on a hand-built history whose every figure is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommunityConfig } from "../../src/config/communities.js";
import { time } from "../../src/core/markup.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { runCreatorSummaries } from "../../src/digest/creator-summary.js";
import type { Db } from "../../src/db/database.js";
import { backends } from "../support/databases.js";
import { ManualClock } from "../support/community.js";
import { quietLogger } from "../support/logger.js";
import { CREATOR, DISCORD_CHANNELS, PLATFORMS, type PlatformCommunity, SLACK_CHANNELS } from "../support/platforms.js";
import { type DigestCommunity, digestCommunity } from "../digest/support.js";

const t = (iso: string) => new Date(`${iso}Z`);

/** Berlin, the digest daily at 09:00 and the summary on Mondays at 09:00 (08:00 UTC). */
const digestSettings = (creatorSummary: boolean, cadence: "daily" | "weekly" | "off" = "daily"): CommunityConfig["schedule"] => ({
  announcementChannels: {},
  digest: { cadence, weekday: 1, hour: 9, channels: {}, sections: ["courses"], creatorSummary },
});

/**
 * Monday 7 December 2026 posts the week of Mon 30 Nov to Sun 6 Dec (UTC days); the week
 * before is 23 to 29 November.
 */
async function seedWeeks(db: Db, communityId: string, askerId: string): Promise<void> {
  const money = (id: string, kind: string, amount: number, currency: string, at: string, chargeId?: string) =>
    db.insightMoney.create({ data: { id, communityId, memberId: "m-a", kind, amount, currency, occurredAt: t(at), ...(chargeId ? { chargeId } : {}) } });
  await money("in_1", "payment", 5000, "eur", "2026-12-01T10:00:00"); // EUR this week: 50.00
  await money("in_2", "payment", 2000, "usd", "2026-12-03T10:00:00", "ch_2");
  await money("ch_2:refunded:500", "refund", 500, "usd", "2026-12-04T10:00:00", "ch_2"); // USD this week: 20.00 − 5.00 = 15.00
  await money("in_3", "payment", 3000, "eur", "2026-11-25T10:00:00");
  await money("dp_1", "dispute", 1000, "eur", "2026-11-26T10:00:00", "ch_9"); // EUR the week before: 30.00 − 10.00 = 20.00
  await money("in_4", "payment", 9900, "gbp", "2026-10-05T10:00:00"); // GBP in neither week: not shown

  const sub = (id: string, memberId: string, startedAt: string, endedAt?: string) =>
    db.insightSubscription.create({ data: { id, communityId, memberId, itemId: "item", amount: 1500, currency: "eur", interval: "month", startedAt: t(startedAt), ...(endedAt ? { endedAt: t(endedAt) } : {}) } });
  await sub("sub_a", "m-a", "2026-11-10T10:00:00"); // paying throughout
  await sub("sub_b", "m-b", "2026-11-24T10:00:00", "2026-12-02T10:00:00"); // new the week before, churned this week
  await sub("sub_c", "m-c", "2026-12-01T10:00:00"); // new this week
  await sub("sub_d", "m-d", "2026-12-02T10:00:00"); // new this week
  // Paying at the end of Sun 29 Nov: a, b (2); of Sun 6 Dec: a, c, d (3).

  const active = (memberId: string, day: string) => db.insightActivity.create({ data: { communityId, memberId, day: t(`${day}T00:00:00`) } });
  for (const [m, d] of [["m-a", "2026-11-30"], ["m-a", "2026-12-01"], ["m-a", "2026-12-02"], ["m-c", "2026-12-01"], ["m-d", "2026-12-06"]] as const) await active(m, d);
  for (const [m, d] of [["m-a", "2026-11-24"], ["m-b", "2026-11-24"]] as const) await active(m, d);
  // Member-days: 5 this week (5 ÷ 7 = 0.7 a day), 2 the week before (0.3 a day, +150%).
  // Active in the 7 days to Sun 6 Dec: a, c, d (3); to Sun 29 Nov: a, b (2).

  let number = 0;
  const question = (at: string, answered: boolean) => {
    const n = ++number;
    return db.question.create({
      data: { communityId, number: n, askerId, title: `Q${n}`, details: "", platform: "playground", spaceId: "playground", channelId: "general", threadId: `cs-${n}`, createdAt: t(at), ...(answered ? { firstReplyAt: t(at) } : {}) },
    });
  };
  await question("2026-12-01T09:00:00", true);
  await question("2026-12-02T09:00:00", true);
  await question("2026-12-03T09:00:00", true);
  await question("2026-12-05T09:00:00", false); // this week: 3 of 4 answered, 75.0%
  await question("2026-11-27T09:00:00", true);
  await question("2026-11-28T09:00:00", false); // the week before: 1 of 2, 50.0%

  const review = (doneAt: string) => {
    const n = ++number;
    return db.reviewRequest.create({
      data: { communityId, number: n, requesterId: askerId, assigneeId: "m-rev", link: `https://github.com/a/b/pull/${n}`, platform: "playground", spaceId: "playground", channelId: "general", status: "done", createdAt: t("2026-11-20T09:00:00"), doneAt: t(doneAt) },
    });
  };
  await review("2026-12-02T12:00:00");
  await review("2026-12-04T12:00:00"); // this week: 2
  await review("2026-11-27T12:00:00"); // the week before: 1
}

/** The summary's lines (reply markup) for the history above, built at 08:02 UTC on Monday. */
const EXPECTED_LINES = [
  "_For creators and admins: Mon 30 Nov to Sun 6 Dec 2026 (UTC days), against the 7 days before._",
  "• **Net revenue (EUR)**: €50.00 (+150% vs €20.00)",
  "• **Net revenue (USD)**: $15.00 (up from $0.00)",
  "• **Active paying members**: 3 (+50% vs 2)",
  "• **New subscriptions**: 2 (+100% vs 1)",
  "• **Churned subscriptions**: 1 (up from 0)",
  "• **Daily active members (average)**: 0.7 (+150% vs 0.3)",
  "• **Weekly active members**: 3 (+50% vs 2)",
  "• **Questions asked**: 4 (+100% vs 2)",
  "• **Of them answered**: 75.0% (+25.0 pts vs 50.0%)",
  "• **Reviews done**: 2 (+100% vs 1)",
  "More on the dashboard: `/dashboard`. Figures as of 2026-12-07 08:02 UTC.",
];

describe.each(backends())("the weekly creator summary on %s (playground)", (kind) => {
  let c: DigestCommunity;
  const adminLog = () => c.chat.posts.flatMap((p) => (p.kind === "post" && p.channelId === "admin-log" ? [p.message] : []));

  beforeAll(async () => {
    c = await digestCommunity(kind, { clock: new ManualClock("2026-12-07T08:02:00Z"), community: { timezone: "Europe/Berlin", schedule: digestSettings(true) } });
    await seedWeeks(c.db, c.communityId, c.creatorId);
  });
  afterAll(() => c.dispose());

  const run = (holder: string) => runCreatorSummaries(c.services, [c.config], quietLogger(), holder);

  it("posts the week's figures against the week before to the admin log, once when three processes run the job", async () => {
    const passes = await Promise.all(["p1", "p2", "p3"].map(run));
    // The others find the week claimed ("taken"), or already recorded (no pass at all).
    expect(passes.flat().map((p) => p.outcome).filter((o) => o !== "taken")).toEqual(["posted"]);
    expect(adminLog()).toEqual([{ title: "📈 Weekly creator summary: Playground", text: EXPECTED_LINES.join("\n") }]);
    expect(await c.db.digestRun.findMany({ where: { key: { startsWith: "creator-summary:" } }, select: { key: true, outcome: true, slot: true } })).toEqual([
      { key: `creator-summary:${c.communityId}:2026-12-07`, outcome: "posted", slot: t("2026-12-07T08:00:00") },
    ]);
    // The members' digest channel never carries it.
    expect(c.digests().filter((d) => d.title.includes("creator summary"))).toEqual([{ channelId: "admin-log", title: "📈 Weekly creator summary: Playground", text: EXPECTED_LINES.join("\n") }]);
  });

  it("goes out once a week: not on later days, nor after the digest moves to a later day of the same week", async () => {
    c.clock.set("2026-12-08T08:02:00Z");
    expect(await run("p1")).toEqual([]);
    await c.run("Creator", "digest", { weekday: "wednesday" }, { subcommand: "settings", level: "creator" });
    c.clock.set("2026-12-09T08:02:00Z"); // Wednesday 09:02 in Berlin: this week's summary already went out
    expect(await run("p1")).toEqual([]);
    expect(adminLog()).toHaveLength(1);
    c.clock.set("2026-12-16T08:01:00Z"); // the next Wednesday: a new week
    expect(await run("p1")).toMatchObject([{ outcome: "posted", slot: t("2026-12-16T08:00:00") }]);
    expect(adminLog()).toHaveLength(2);
    expect(adminLog()[1]!.text).toContain("Wed 9 Dec to Tue 15 Dec 2026");
  });

  it("is posted by the digest job's pass, next to the digest", async () => {
    c.clock.set("2026-12-23T08:03:00Z");
    const before = adminLog().length;
    await c.job().run(c.clock.now());
    expect(adminLog()).toHaveLength(before + 1);
  });

  it("is skipped, and recorded, when the job comes back more than six hours after the slot", async () => {
    c.clock.set("2026-12-30T15:00:00Z"); // Wednesday 16:00 in Berlin, seven hours late
    expect(await run("p1")).toMatchObject([{ outcome: "missed" }]);
    expect(await run("p1")).toEqual([]);
  });
});

describe("who gets a creator summary", () => {
  const kind = backends()[0]!;

  it("a creator sees it in /digest preview, with when it posts (the playground runs no jobs)", async () => {
    const c = await digestCommunity(kind, { clock: new ManualClock("2026-12-07T08:02:00Z"), community: { timezone: "Europe/Berlin", schedule: digestSettings(true) } });
    try {
      await seedWeeks(c.db, c.communityId, c.creatorId);
      const preview = await c.run("Creator", "digest", {}, { subcommand: "preview", level: "creator" });
      // Monday 14 December, 09:00 in Berlin.
      expect(preview.text).toContain(`_The weekly creator summary posts ${time(t("2026-12-14T08:00:00"))} in the admin log channels. As it stands:_\n**📈 Weekly creator summary: Playground**\n${EXPECTED_LINES.join("\n")}`);
      // Previewing posts nothing and records nothing.
      expect(c.chat.posts).toEqual([]);
      expect(await c.db.digestRun.count()).toBe(0);
    } finally {
      await c.dispose();
    }
  });

  it("nobody, unless the communities file turns it on; nor while digests are off", async () => {
    for (const schedule of [digestSettings(false), digestSettings(true, "off")]) {
      const c = await digestCommunity(kind, { clock: new ManualClock("2026-12-07T08:02:00Z"), community: { timezone: "Europe/Berlin", schedule } });
      try {
        expect(await runCreatorSummaries(c.services, [c.config], quietLogger(), "p1")).toEqual([]);
        expect(await c.db.digestRun.count({ where: { key: { startsWith: "creator-summary:" } } })).toBe(0);
      } finally {
        await c.dispose();
      }
    }
  });
});

/** The harnesses' review channels stand in for the admin log channels. */
const ADMIN_LOG = { discord: DISCORD_CHANNELS.reviews, slack: SLACK_CHANNELS.reviews } as const;

describe.each(PLATFORMS)("the weekly creator summary through the %s fake", (platform, start) => {
  let c: PlatformCommunity;
  beforeAll(async () => {
    c = await start({
      kind: backends()[0]!,
      clock: new ManualClock("2026-12-07T08:02:00Z"),
      community: { timezone: "Europe/Berlin", schedule: digestSettings(true, "weekly"), commerce: { ...DEFAULT_COMMERCE, adminLogChannels: { [platform]: ADMIN_LOG[platform] } } },
    });
  });
  afterAll(() => c.stop());

  it("arrives in the admin log channel with the week's figures", async () => {
    // A command makes the community and its space exist, as in production.
    await c.run(CREATOR, "digest", { subcommand: "settings" });
    const community = await c.db.community.findFirstOrThrow();
    const creator = await c.db.member.findFirstOrThrow();
    await seedWeeks(c.db, community.id, creator.id);
    expect(await runCreatorSummaries(c.services, [c.community], quietLogger())).toMatchObject([{ outcome: "posted" }]);
    const posted = c.posts(ADMIN_LOG[platform]);
    expect(posted).toHaveLength(1);
    const shown = posted[0]!.text;
    expect(shown).toContain("Weekly creator summary: Acme Academy");
    for (const figure of ["€50.00 (+150% vs €20.00)", "$15.00 (up from $0.00)", "3 (+50% vs 2)", "0.7 (+150% vs 0.3)", "75.0% (+25.0 pts vs 50.0%)", "2 (+100% vs 1)"]) expect(shown).toContain(figure);
    // The digest's own channel (the announcement channel here) has no part of it.
    expect(c.posts(c.channels.announcements).filter((p) => p.text.includes("creator summary"))).toEqual([]);
  });
});

// The settings themselves: off unless the communities file says so.
it("the communities file leaves the creator summary off by default", () => {
  expect(DEFAULT_SETTINGS.schedule.digest.creatorSummary).toBe(false);
});
