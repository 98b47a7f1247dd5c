import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reviewJobs } from "../../src/review/jobs.js";
import type { Job } from "../../src/core/jobs/jobs.js";
import { backends } from "../support/databases.js";
import { ManualClock, who } from "../support/community.js";
import { quietLogger } from "../support/logger.js";
import { type Community, communityId, joinReviewers, memberId, nameOf, ok, requestNo, resetReviews, review, reviewCommunity, reviewer } from "./support.js";

const PR = "https://github.com/ada/parser/pull/3";

describe.each(backends())("review reminders in business hours on %s", (kind) => {
  let c: Community;
  let job: Job;
  /** Runs the hourly job at a moment, as the scheduler would (the clock moves there first). */
  const runAt = async (at: string) => {
    c.clock.set(at);
    await job.run(new Date(at));
  };
  const posts = () => c.chat.posts.length;

  beforeAll(async () => {
    c = await reviewCommunity(kind, { timezone: "Europe/Berlin", clock: new ManualClock("2026-12-04T09:00:00Z") });
    job = reviewJobs(c.services, quietLogger())[0]!;
    expect(job).toMatchObject({ name: "review-reminders", cron: "0 * * * *" });
  });
  afterAll(() => c.dispose());
  beforeEach(async () => {
    await resetReviews(c);
    c.clock.set("2026-12-04T09:00:00Z");
    await joinReviewers(c, { Grace: "ts", Linus: "ts" });
    // Grace also has a Discord account: private reminders go there.
    const grace = await memberId(c, "Grace");
    const cid = await communityId(c);
    await c.db.platformAccount.upsert({
      where: { communityId_platform_externalId: { communityId: cid, platform: "discord", externalId: "100000000000000001" } },
      create: { communityId: cid, memberId: grace, platform: "discord", externalId: "100000000000000001", displayName: "Grace" },
      update: {},
    });
  });

  it("reminds after 48 business hours across a weekend, then reassigns 24 business hours later, once each", async () => {
    // Friday 4 Dec 2026, 11:00 in Berlin (10:00Z): 13 business hours left on Friday.
    c.clock.set("2026-12-04T10:00:00Z");
    ok(await review(c, "Ada", "request", { link: PR }));
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Grace");
    const opened = posts();

    for (const at of ["2026-12-05T12:00:00Z", "2026-12-06T22:00:00Z", "2026-12-07T23:00:00Z", "2026-12-08T09:00:00Z"]) await runAt(at);
    expect(posts()).toBe(opened); // 13 + 24 + 10 = 47 business hours by Tuesday 10:00 in Berlin

    await runAt("2026-12-08T10:00:00Z"); // Tuesday 11:00 in Berlin: 48 business hours
    expect((await requestNo(c, 1)).remindedAt?.toISOString()).toBe("2026-12-08T10:00:00.000Z");
    const reminder = c.chat.posts.at(-1)!;
    expect(reminder.message.text).toContain("a reminder: #1 has waited 48 business hours");
    expect(reminder.message.pings).toEqual({ userIds: [who("Grace").id] });
    expect(c.dms).toEqual([expect.objectContaining({ platform: "discord", userId: "100000000000000001" })]);
    expect(c.dms[0]?.message.text).toContain("A reminder");

    await runAt("2026-12-08T10:00:00Z");
    await runAt("2026-12-09T09:00:00Z");
    expect(posts()).toBe(opened + 1);
    expect(c.dms).toHaveLength(1);

    await runAt("2026-12-09T10:00:00Z"); // 24 business hours after the reminder
    const moved = await requestNo(c, 1);
    expect(await nameOf(c, moved.assigneeId)).toBe("Linus");
    expect(moved).toMatchObject({ status: "assigned", remindedAt: null, passedBy: [await memberId(c, "Grace")] });
    const note = c.chat.posts.at(-1)!;
    expect(note.message.text).toContain("did not start it within 72 business hours");
    expect(note.message.pings).toEqual({ userIds: [who("Linus").id] });
    expect(c.dms.at(-1)).toMatchObject({ userId: "100000000000000001" });
    expect(c.dms.at(-1)?.message.text).toContain("went to another reviewer");

    await runAt("2026-12-09T10:00:00Z");
    expect(posts()).toBe(opened + 2);
    expect(c.dms).toHaveLength(2);
  });

  it("never reminds about a review that was started, and keeps one nobody else can take", async () => {
    c.clock.set("2026-12-07T08:00:00Z");
    ok(await review(c, "Ada", "request", { link: PR }));
    ok(await review(c, "Linus", "request", { link: PR }));
    ok(await c.click("Grace", "review-claim", (await requestNo(c, 1)).id));
    const before = posts();
    await runAt("2026-12-09T08:00:00Z"); // 48 business hours for both
    expect(posts()).toBe(before + 1); // only #2 (Grace's, unclaimed) is reminded
    expect(c.chat.posts.at(-1)?.message.text).toContain("#2 has waited");
    await runAt("2026-12-10T08:00:00Z");
    // Linus asked for #2 and Grace is its only other reviewer: it stays with her, silently.
    expect(await nameOf(c, (await requestNo(c, 2)).assigneeId)).toBe("Grace");
    expect(posts()).toBe(before + 1);
  });

  it("assigns waiting requests once a reviewer's absence ends", async () => {
    ok(await reviewer(c, "Grace", "away", { until: "2026-12-07" }));
    ok(await reviewer(c, "Linus", "leave"));
    c.clock.set("2026-12-04T12:00:00Z");
    ok(await review(c, "Ada", "request", { link: PR }));
    expect((await requestNo(c, 1)).status).toBe("waiting");
    await runAt("2026-12-06T22:00:00Z"); // Sunday 23:00 in Berlin: still away
    expect((await requestNo(c, 1)).status).toBe("waiting");
    await runAt("2026-12-06T23:00:00Z"); // Monday 00:00 in Berlin
    expect(await nameOf(c, (await requestNo(c, 1)).assigneeId)).toBe("Grace");
    expect(c.chat.posts.at(-1)?.message.pings).toEqual({ userIds: [who("Grace").id] });
  });
});
