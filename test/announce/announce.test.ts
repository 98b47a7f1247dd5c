import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Post } from "../../src/core/chat.js";
import { time } from "../../src/core/markup.js";
import { ManualClock } from "../support/community.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { RecordingChat } from "../support/recording-chat.js";
import { clearSchedule, everywhere, startProcess } from "../live/support.js";

const MINUTE = 60_000;
const creator = { level: "creator" as const };

describe.each(backends())("/announce (%s)", (kind) => {
  let database: TestDatabase;
  const clock = new ManualClock();
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    clock.set("2026-12-01T09:00:00Z");
    await clearSchedule(database.prisma);
  });

  it("posts now in the channel it ran in when no announcement channel is configured, and says so", async () => {
    const p = startProcess(database.prisma, clock);
    const answer = await p.run("Cleo", "announce", { message: "New **module** is out!" }, creator);
    expect(answer.text).toContain("Posted in");
    expect(answer.text).toContain("No announcement channel is configured");
    expect(p.chat.posts).toHaveLength(1);
    const post = p.chat.posts[0]!;
    expect(post).toMatchObject({ kind: "post", spaceId: "playground", channelId: "general" });
    expect(post.message.text).toBe("New **module** is out!");
    expect(post.message.footer).toBe("From Cleo");
    expect((await database.prisma.announcement.findFirstOrThrow()).postedAt).not.toBeNull();
  });

  it("is for creators only", async () => {
    const p = startProcess(database.prisma, clock);
    const answer = await p.run("Ada", "announce", { message: "hello" });
    expect(answer.tone).toBe("error");
    expect(answer.text).toContain("Only creators");
    expect(p.chat.posts).toHaveLength(0);
  });

  it("posts at its time, once, from stored work that outlives the process that scheduled it", async () => {
    const berlin = { timezone: "Europe/Berlin" };
    const first = startProcess(database.prisma, clock, berlin);
    clock.set("2026-03-28T12:00:00Z");
    const answer = await first.run("Cleo", "announce", { message: "Office hours start now", at: "2026-03-29 18:00" }, creator);
    expect(answer.text).toContain(time(new Date("2026-03-29T16:00:00Z")));
    expect(answer.text).toContain("Sun 29 Mar 2026, 18:00 (Europe/Berlin)");
    expect(answer.text).toContain("it will be posted in this channel");
    expect(first.chat.posts).toHaveLength(0);

    // A restart: another process over the same database runs the stored work; both try at once.
    const second = startProcess(database.prisma, clock, berlin);
    clock.set("2026-03-29T15:59:00Z");
    expect(await second.services.work.runDue()).toBe(0);
    clock.set("2026-03-29T16:00:00Z");
    await Promise.all([second.services.work.runDue(), first.services.work.runDue()]);
    expect([...second.chat.texts(), ...first.chat.texts()]).toEqual(["Announcement | Office hours start now"]);
    clock.advance(10 * MINUTE);
    await first.services.work.runDue();
    await second.services.work.runDue();
    expect(first.chat.posts.length + second.chat.posts.length).toBe(1);
  });

  it("posts in the announcement channel of every platform the community uses, or only the one chosen", async () => {
    const discord = new RecordingChat("discord");
    const slack = new RecordingChat("slack");
    const p = startProcess(database.prisma, clock, everywhere(), { discord, slack });

    const all = await p.run("Cleo", "announce", { message: "Launch day" }, creator);
    expect(all.text).toContain("Posted in the Discord announcement channel and the Slack announcement channel.");
    expect(discord.posts).toEqual([expect.objectContaining({ spaceId: "100000000000000001", channelId: "200000000000000005" })]);
    expect(slack.posts).toEqual([expect.objectContaining({ spaceId: "TACME01", channelId: "C0ANNOUNCE" })]);
    expect(p.chat.posts).toHaveLength(0);

    await p.run("Cleo", "announce", { message: "Slack only", channels: "slack" }, creator);
    expect(slack.texts().at(-1)).toContain("Slack only");
    expect(discord.posts).toHaveLength(1);
  });

  it("refuses a platform that has no announcement channel rather than posting elsewhere", async () => {
    const p = startProcess(database.prisma, clock);
    const answer = await p.run("Cleo", "announce", { message: "Discord only", channels: "discord" }, creator);
    expect(answer.tone).toBe("error");
    expect(answer.text).toContain("no announcement channel for Discord");
    expect(p.chat.posts).toHaveLength(0);
  });

  it("turns times in braces into time tokens and refuses a time that has passed", async () => {
    const p = startProcess(database.prisma, clock, { timezone: "America/New_York" });
    clock.set("2026-11-01T12:00:00Z");
    await p.run("Cleo", "announce", { message: "AMA at {2026-11-02 18:00}" }, creator);
    expect(p.chat.posts[0]!.message.text).toBe(`AMA at ${time(new Date("2026-11-02T23:00:00Z"))}`);
    const past = await p.run("Cleo", "announce", { message: "late", at: "2026-11-01 07:00" }, creator);
    expect(past.tone).toBe("error");
    expect(past.text).toContain("has already passed");
  });

  it("retries a scheduled announcement that reached no channel, and posts it once it can", async () => {
    let failures = 1;
    const flaky = new (class extends RecordingChat {
      override async post(spaceId: string, channelId: string, message: Post): Promise<void> {
        if (failures-- > 0) throw new Error("503 from the platform");
        return super.post(spaceId, channelId, message);
      }
    })("playground");
    const p = startProcess(database.prisma, clock, {}, { playground: flaky });
    await p.run("Cleo", "announce", { message: "Retry me", at: "2026-12-01 10:00" }, creator);
    clock.set("2026-12-01T10:00:00Z");
    await p.services.work.runDue();
    expect(flaky.posts).toHaveLength(0);
    expect((await database.prisma.scheduledWork.findFirstOrThrow()).status).toBe("pending");
    clock.advance(MINUTE);
    await p.services.work.runDue();
    expect(flaky.texts()).toEqual(["Announcement | Retry me"]);
  });
});
