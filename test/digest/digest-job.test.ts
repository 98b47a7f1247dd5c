import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { time } from "../../src/core/markup.js";
import type { ChatPoster } from "../../src/core/chat.js";
import { catchUp, firingKey } from "../../src/core/jobs/catch-up.js";
import { DIGEST_CATCH_UP_MS, digestJob } from "../../src/digest/job.js";
import { digestTargets } from "../../src/digest/settings.js";
import { DatabaseRunCoordinator } from "../../src/core/jobs/run-coordinator.js";
import { backends } from "../support/databases.js";
import { HOUR, ManualClock, playgroundCommunity } from "../support/community.js";
import { memoryLogger, quietLogger } from "../support/logger.js";
import { type DigestCommunity, digestCommunity } from "./support.js";

const at = (iso: string) => new Date(iso);
type LogLine = { msg: string; community?: string; slot?: string };
const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as LogLine);

describe("the digest job", () => {
  it("is one node-cron job every five minutes in UTC that catches up at start within six hours", () => {
    // Building the job touches no service; each pass reads everything afresh.
    expect(digestJob({} as Parameters<typeof digestJob>[0], [], quietLogger())).toMatchObject({ name: "digests", cron: "*/5 * * * *", timezone: "UTC", catchUpWithinMs: 6 * HOUR });
    expect(DIGEST_CATCH_UP_MS).toBe(6 * HOUR);
  });

  it("posts to the digest channel on each running platform, else the announcement channel", () => {
    const config = playgroundCommunity({ schedule: { announcementChannels: { discord: "111111", slack: "CANNOUNCE" }, digest: { cadence: "weekly", weekday: 1, hour: 9, channels: { slack: "CDIGEST" }, sections: [], creatorSummary: false } } });
    const spaces = [{ platform: "discord", externalId: "900000" }, { platform: "slack", externalId: "T0TEAM" }, { platform: "playground", externalId: "playground" }];
    const poster = {} as ChatPoster;
    expect(digestTargets(config, spaces, { discord: poster, slack: poster })).toEqual([
      { platform: "discord", spaceId: "900000", channelId: "111111" },
      { platform: "slack", spaceId: "T0TEAM", channelId: "CDIGEST" },
    ]);
    // A platform that is not running, or has no channel, is not a target.
    expect(digestTargets(playgroundCommunity(), spaces, { slack: poster })).toEqual([]);
  });
});

describe.each(backends())("posting digests on %s", (kind) => {
  let c: DigestCommunity;
  beforeAll(async () => {
    c = await digestCommunity(kind, { clock: new ManualClock("2026-11-20T00:00:00Z") });
    // Something new every day, so every digest has something to say.
    for (let day = 25; day <= 30; day++) await c.course(`Course of 11-${day}`, at(`2026-11-${day}T12:00:00Z`));
    for (let day = 1; day <= 9; day++) await c.course(`Course of 12-0${day}`, at(`2026-12-0${day}T12:00:00Z`));
  });
  afterAll(() => c.dispose());

  const postedSince = (before: number) => c.digests().slice(before);

  it("posts a due digest once when three processes run the job at the same moment", async () => {
    c.clock.set("2026-12-02T08:01:00Z");
    const passes = await Promise.all(["p1", "p2", "p3"].map((holder) => c.runDigests(holder)));
    expect(passes.flat().filter((p) => p.outcome === "posted")).toHaveLength(1);
    const posts = c.digests();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toContain("Course of 12-01");
    expect(posts[0]!.text).not.toContain("Course of 11-30");
    expect(await c.db.digestRun.findMany({ select: { key: true, outcome: true, posts: true } })).toEqual([{ key: `digest:${c.communityId}:2026-12-02T08:00:00.000Z`, outcome: "posted", posts: 1 }]);
    // Later passes in the same slot find it recorded.
    c.clock.set("2026-12-02T08:06:00Z");
    expect(await c.runDigests("p1")).toEqual([]);
    expect(c.digests()).toHaveLength(1);
  });

  it("covers the period since the previous slot: the next day's digest has only that day's news", async () => {
    const before = c.digests().length;
    c.clock.set("2026-12-03T08:00:00Z");
    expect(await c.runDigests()).toMatchObject([{ outcome: "posted" }]);
    const [post] = postedSince(before);
    expect(post!.text).toContain("Course of 12-02");
    expect(post!.text).not.toContain("Course of 12-01");
  });

  it("catches up at start a digest missed by less than six hours, once", async () => {
    const before = c.digests().length;
    // The bot ran before (the job has history), was down at 09:00 Berlin on 4 December, and starts at 13:30.
    await c.db.jobRun.create({ data: { key: firingKey("digests", at("2026-12-04T03:00:00Z")), holder: "old", finishedAt: at("2026-12-04T03:00:01Z") } });
    const now = at("2026-12-04T12:30:00Z");
    c.clock.set(now);
    const { log, lines } = memoryLogger();
    const starts = await Promise.all(["a", "b"].map((holder) => catchUp([c.job(log)], new DatabaseRunCoordinator(c.db, holder), now, log)));
    expect(starts.flat().filter((o) => o.action === "ran")).toHaveLength(1);
    const posted = postedSince(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain("Course of 12-03");
    expect(parsed(lines()).filter((l) => l.msg === "digest posted")).toMatchObject([{ slot: "2026-12-04T08:00:00.000Z" }]);
  });

  it("skips a digest missed by more than six hours with one log line, and posts the next one on time", async () => {
    const before = c.digests().length;
    // Down from before 09:00 on 5 December until 15:30 (6.5 hours late).
    await c.db.jobRun.create({ data: { key: firingKey("digests", at("2026-12-05T07:55:00Z")), holder: "old", finishedAt: at("2026-12-05T07:55:01Z") } });
    const now = at("2026-12-05T14:30:00Z");
    c.clock.set(now);
    const { log, lines } = memoryLogger();
    await catchUp([c.job(log)], new DatabaseRunCoordinator(c.db, "c"), now, log);
    expect(postedSince(before)).toEqual([]);
    const skipped = () => parsed(lines()).filter((l) => l.msg.includes("outside its catch-up window") && l.community === "playground");
    expect(skipped()).toMatchObject([{ slot: "2026-12-05T08:00:00.000Z" }]);
    expect(await c.db.digestRun.findFirst({ where: { slot: at("2026-12-05T08:00:00Z") } })).toMatchObject({ outcome: "missed", posts: 0 });
    // The regular passes after that stay quiet about it.
    c.clock.set("2026-12-05T14:35:00Z");
    expect(await c.runDigests("c", log)).toEqual([]);
    expect(skipped()).toHaveLength(1);
    // The next morning's digest is posted as usual (its period starts at the skipped slot).
    c.clock.set("2026-12-06T08:00:00Z");
    expect(await c.runDigests("c", log)).toMatchObject([{ outcome: "posted" }]);
    const [next] = postedSince(before);
    expect(next!.text).toContain("Course of 12-05");
    expect(next!.text).not.toContain("Course of 12-04");
  });

  it("waits for the next slot after a creator moves the hour to one that has just passed", async () => {
    const before = c.digests().length;
    // 10:30 in Berlin on 7 December; the 09:00 digest is not posted yet (the bot was busy), and the creator picks 10:00.
    c.clock.set("2026-12-07T09:30:00Z");
    const saved = await c.run("Creator", "digest", { hour: 10 }, { subcommand: "settings", level: "creator" });
    expect(saved.text).toContain(`Next digest: ${time(at("2026-12-08T09:00:00Z"))}`);
    expect(await c.runDigests()).toEqual([]);
    expect(postedSince(before)).toEqual([]);
    c.clock.set("2026-12-08T09:00:00Z");
    expect(await c.runDigests()).toMatchObject([{ outcome: "posted", slot: at("2026-12-08T09:00:00Z") }]);
  });

  it("posts nothing while digests are off", async () => {
    const before = c.digests().length;
    await c.run("Creator", "digest", { cadence: "off" }, { subcommand: "settings", level: "creator" });
    c.clock.set("2026-12-09T09:00:00Z");
    expect(await c.runDigests()).toEqual([]);
    expect(postedSince(before)).toEqual([]);
  });
});
