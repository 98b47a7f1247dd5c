// Replies in threads reach the adapters' onThreadMessage (Q&A counts them): Discord through
// the Guild Messages intent, Slack through message events; the channel's own messages and
// Guildhall's own posts do not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThreadMessage, ThreadRef } from "../../src/core/chat.js";
import { FAKE_IDS, messageEventBody, postSigned } from "../fakes/slack/index.js";
import { backends } from "../support/databases.js";
import { HOUR, ManualClock } from "../support/community.js";
import { ADA, type DiscordCommunity, GRACE, LINUS, startDiscordCommunity, startSlackCommunity, type SlackCommunity } from "../support/platforms.js";
import { SIGNING_SECRET, TEAM } from "../support/slack.js";

describe.each(backends())("thread messages on %s", (kind) => {
  describe("Discord", () => {
    let h: DiscordCommunity;
    let thread: ThreadRef;
    const clock = new ManualClock("2026-12-01T09:00:00Z");
    beforeAll(async () => {
      h = await startDiscordCommunity({ kind, clock });
      thread = await h.services.chat.discord!.openThread(h.spaceId, h.channels.forum, "How do I pin a future?", { text: "Body" });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it("reports a member's reply with the thread, the author and the time on Guildhall's clock", async () => {
      clock.advance(2 * HOUR);
      const reply = await h.threadMessage(GRACE, thread, "Use Box::pin");
      expect(h.threadMessages.at(-1)).toEqual<ThreadMessage>({
        platform: "discord",
        spaceId: h.spaceId,
        threadId: thread.threadId,
        messageId: reply.id,
        author: { id: GRACE.discord.id, displayName: "Grace", bot: false },
        at: new Date("2026-12-01T11:00:00Z"),
      });
    });

    it("ignores messages outside threads and Guildhall's own posts, and marks other bots", async () => {
      const before = h.threadMessages.length;
      h.fake.sendUserMessage({ channelId: h.channels.general, user: LINUS.discord, content: "not in a thread" });
      await h.services.chat.discord!.postInThread(thread, { text: "Reminder from Guildhall" });
      h.fake.sendUserMessage({ channelId: thread.threadId, user: { id: "500000000000000001", username: "ci-bot", bot: true }, content: "build passed" });
      const last = await h.threadMessage(ADA, thread, "Thanks!");
      expect(h.threadMessages.slice(before).map((m) => [m.author.id, m.author.bot])).toEqual([
        ["500000000000000001", true],
        [ADA.discord.id, false],
      ]);
      expect(h.threadMessages.at(-1)?.messageId).toBe(last.id);
    });

    it("still hears a thread started from a message in a text channel", async () => {
      const textThread = await h.services.chat.discord!.openThread(h.spaceId, h.channels.help, "Text channel thread", { text: "Body" });
      const reply = await h.threadMessage(LINUS, textThread, "Here");
      expect(h.threadMessages.at(-1)).toMatchObject({ threadId: textThread.threadId, messageId: reply.id });
    });
  });

  describe("Slack", () => {
    let h: SlackCommunity;
    let thread: ThreadRef;
    const clock = new ManualClock("2026-12-01T09:00:00Z");
    const event = (input: Omit<Parameters<typeof messageEventBody>[0], "teamId">) => postSigned(h.fake.eventsUrl, SIGNING_SECRET, messageEventBody({ teamId: TEAM, ...input }));
    beforeAll(async () => {
      h = await startSlackCommunity({ kind, clock });
      thread = await h.services.chat.slack!.openThread(h.spaceId, h.channels.help, "How do I pin a future?", { text: "Body" });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it("reports a member's reply with the parent's ts as the thread, and the time on Guildhall's clock", async () => {
      clock.advance(HOUR);
      const reply = await h.threadMessage(GRACE, thread, "Use Box::pin");
      expect(h.threadMessages.at(-1)).toEqual<ThreadMessage>({
        platform: "slack",
        spaceId: TEAM,
        threadId: thread.threadId,
        messageId: reply.id,
        author: { id: GRACE.slack.id, displayName: "Grace", bot: false },
        at: new Date("2026-12-01T10:00:00Z"),
      });
    });

    it("ignores channel messages, the thread's parent and Guildhall's own replies; marks other bots", async () => {
      const before = h.threadMessages.length;
      await event({ channelId: h.channels.help, userId: LINUS.slack.id, text: "top level", ts: "1800000001.000001" });
      await event({ channelId: h.channels.help, userId: LINUS.slack.id, text: "parent", ts: "1800000001.000002", threadTs: "1800000001.000002" });
      await event({ channelId: h.channels.help, userId: FAKE_IDS.botUserId, botId: FAKE_IDS.botId, text: "Guildhall's reminder", ts: "1800000001.000003", threadTs: thread.threadId });
      await event({ channelId: h.channels.help, userId: "U0CIBOT", botId: "B0CI", text: "build passed", ts: "1800000001.000004", threadTs: thread.threadId });
      const last = await h.threadMessage(ADA, thread, "Thanks!");
      expect(h.threadMessages.slice(before).map((m) => [m.author.id, m.author.bot])).toEqual([
        ["U0CIBOT", true],
        [ADA.slack.id, false],
      ]);
      expect(h.threadMessages.at(-1)?.messageId).toBe(last.id);
    });
  });
});
