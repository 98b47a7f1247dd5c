import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { ManualClock } from "../support/community.js";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, DISCORD_CHANNELS, type DiscordCommunity, GRACE, SLACK_CHANNELS, type SlackCommunity, startDiscordCommunity, startSlackCommunity } from "../support/platforms.js";

const START = new Date("2026-12-03T18:00:00Z");
const UNIX = START.getTime() / 1000;
const HOUR = 3_600_000;

const settings = { schedule: { ...DEFAULT_SETTINGS.schedule, announcementChannels: { discord: DISCORD_CHANNELS.announcements, slack: SLACK_CHANNELS.announcements } } };

/** The platform's own requests behind direct messages: opening the DM channel, then posting in it. */
function directMessageCalls(c: DiscordCommunity | SlackCommunity): { opened: number; posted: number } {
  if (c.platform === "discord") {
    const fake = c.fake;
    const dmChannels = new Set([...fake.state.channels.values()].filter((ch) => ch.type === 1).map((ch) => ch.id));
    return { opened: fake.callsTo("POST", "/users/@me/channels").length, posted: fake.calls.filter((call) => call.method === "POST" && [...dmChannels].some((id) => call.path === `/channels/${id}/messages`)).length };
  }
  const fake = c.fake;
  return { opened: fake.callsTo("conversations.open").length, posted: fake.callsTo("chat.postMessage").filter((call) => String(call.args.channel ?? "").startsWith("D")).length };
}

const starters = [
  ["discord", startDiscordCommunity],
  ["slack", startSlackCommunity],
] as const;

describe.each(backends())("live events and announcements through the platform fakes (%s)", (kind) => {
  describe.each(starters)("%s", (platform, start) => {
    // One harness for both tests: starting the fakes and a database is the slow part.
    let c: DiscordCommunity | SlackCommunity;
    const clock = new ManualClock("2026-12-01T09:00:00Z");
    beforeAll(async () => {
      c = await start({ kind, clock, community: settings });
    }, 60_000);
    afterAll(() => c.stop());

    it("schedule, RSVP with the button, a reminder by direct message, then cancel: a notice and no more reminders", async () => {
      const announcements = c.channels.announcements;

      const scheduled = await c.run(CREATOR, "live", { subcommand: "schedule", options: { title: "Office hours", start: "2026-12-03 18:00", duration: "1h30m", link: "https://meet.example.com/office" } });
      expect(scheduled.ephemeral).toBe(true);
      expect(scheduled.text).toContain("is scheduled for");

      const [announcement] = c.posts(announcements);
      expect(c.posts(announcements)).toHaveLength(1);
      expect(announcement!.text).toContain("Office hours");
      // The start shows in each reader's own time zone.
      expect(announcement!.text).toContain(platform === "discord" ? `<t:${UNIX}:F>` : `<!date^${UNIX}^{date_long_pretty} at {time}|2026-12-03 18:00 UTC>`);
      const event = await c.db.liveEvent.findFirstOrThrow();
      const raw = JSON.stringify(announcement!.raw);
      expect(raw).toContain(platform === "discord" ? `gh:live-rsvp:${event.id}` : `"action_id":"gh:live-rsvp"`);
      if (platform === "slack") expect(raw).toContain(`"value":"${event.id}"`);

      const rsvp = await c.click(ADA, "live-rsvp", event.id, announcements);
      expect(rsvp.ephemeral).toBe(true);
      expect(rsvp.text).toContain("You're in");

      clock.set(new Date(START.getTime() - 24 * HOUR));
      await c.services.work.runDue();
      const reminders = c.dms(ADA);
      expect(reminders).toHaveLength(1);
      expect(reminders[0]!.text).toContain("Reminder:");
      expect(reminders[0]!.text).toContain("starts in 24 hours");
      expect(c.dms(GRACE)).toHaveLength(0);
      expect(directMessageCalls(c)).toEqual({ opened: 1, posted: 1 });

      const cancelled = await c.run(CREATOR, "live", { subcommand: "cancel", options: { event: event.number, reason: "The host is ill" } });
      expect(cancelled.text).toContain("Cancelled #1");
      expect(c.posts(announcements).at(-1)!.text).toContain("Cancelled: Office hours");
      expect(c.dms(ADA).at(-1)!.text).toContain("is cancelled");

      clock.set(new Date(START.getTime() + 5 * 60_000));
      await c.services.work.runDue();
      expect(c.dms(ADA)).toHaveLength(2);
      expect(c.posts(announcements).map((p) => p.text).filter((t) => t.includes("Live now"))).toEqual([]);
    });

    it("/announce at a time posts once in the announcement channel, the time in each reader's zone", async () => {
      clock.set("2026-12-01T09:00:00Z");
      const before = c.posts(c.channels.announcements).length;
      const answer = await c.run(CREATOR, "announce", { options: { message: "Demo day is {2026-12-03 18:00}!", at: "2026-12-01 12:00" } });
      expect(answer.text).toContain("Scheduled for");
      expect(c.posts(c.channels.announcements)).toHaveLength(before);
      clock.set("2026-12-01T12:00:00Z");
      await c.services.work.runDue();
      await c.services.work.runDue();
      const posts = c.posts(c.channels.announcements).slice(before);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.text).toContain(platform === "discord" ? `Demo day is <t:${UNIX}:F>!` : `Demo day is <!date^${UNIX}^{date_long_pretty} at {time}|2026-12-03 18:00 UTC>!`);
      const member = await c.run(ADA, "announce", { options: { message: "me too" } });
      expect(member.text).toContain("Only creators");
    });
  });
});
