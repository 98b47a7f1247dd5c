// Issue 10, defect 1: a question that could not be recorded leaves no thread behind on Discord
// (a thread with its starter message, or a forum post) and Slack (the opening message); when
// the platform refuses the removal, the thread stays and says the question was not recorded.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { QaConfig } from "../../src/qa/index.js";
import { inTransaction } from "../../src/db/transaction.js";
import { backends } from "../support/databases.js";
import { ADA, type DiscordCommunity, DISCORD_CHANNELS, HELPERS, type Person, PLATFORMS, type PlatformCommunity, SLACK_CHANNELS, type SlackCommunity, startDiscordCommunity } from "../support/platforms.js";

const qaSettings = (help: string): { qa: QaConfig } => ({ qa: { ...DEFAULT_SETTINGS.qa, helpChannels: { discord: help, slack: help }, helpers: HELPERS } });
const WARNING = "This question could not be recorded, so answers here cannot be accepted and no points were taken.";
const REMOVED = "Your question was not posted: it could not be recorded, so I removed its thread. No points were taken. You have 5 points; this needs 20. Please try `/ask` again.";

async function give(h: PlatformCommunity, who: Person, amount: number) {
  const community = await h.services.identity.communityFor(h.platform, { id: h.spaceId, name: "Acme" });
  const { member } = await h.services.identity.memberFor(community.id, h.platform, { id: h.idOf(who), displayName: who.name });
  await inTransaction(h.db, (tx) => h.services.ledger.append(tx, [{ communityId: community.id, memberId: member.id, amount, category: "awards", reason: "test", source: "award", idempotencyKey: randomUUID() }]));
}

/**
 * Ada asks with a 20-point bounty she holds when it is checked; 15 of her points are spent
 * elsewhere while the thread opens, so recording the question fails.
 */
async function askWhilePointsAreSpent(h: PlatformCommunity) {
  await give(h, ADA, 20);
  const poster = h.services.chat[h.platform]!;
  const open = poster.openThread.bind(poster);
  let opened: Awaited<ReturnType<typeof open>> | undefined;
  poster.openThread = async (...args) => {
    opened = await open(...args);
    await give(h, ADA, -15);
    return opened;
  };
  try {
    const asked = await h.run(ADA, "ask", { options: { title: "Why is my future not Send?", details: "It holds an Rc across an await.", bounty: 20 } });
    return { asked, thread: opened! };
  } finally {
    poster.openThread = open;
    await give(h, ADA, -5); // back to nothing for the next test
  }
}

describe.each(backends())("a question that could not be recorded (%s)", (kind) => {
  describe.each(PLATFORMS)("%s", (_platform, start) => {
    let h: PlatformCommunity;
    beforeAll(async () => {
      h = await start({ kind, community: qaSettings(_platform === "discord" ? DISCORD_CHANNELS.help : SLACK_CHANNELS.help) });
    });
    afterAll(() => h.stop());

    it("leaves no thread or message behind, and the asker is told it was not posted", async () => {
      const { asked, thread } = await askWhilePointsAreSpent(h);
      expect(asked.ephemeral).toBe(true);
      expect(asked.text).toContain(REMOVED);
      expect(thread.channelId).toBe(h.channels.help);
      expect(h.posts(h.channels.help)).toEqual([]);
      expect(h.thread(thread)).toEqual([]);
      if (h.platform === "discord") expect((h as DiscordCommunity).fake.state.channels.has(thread.threadId)).toBe(false);
      expect(await h.db.question.count()).toBe(0);
    });

    it("when the platform refuses the removal, the thread stays and says the question was not recorded", async () => {
      if (h.platform === "discord") {
        const missing = { status: 403, body: { code: 50013, message: "Missing Permissions" } };
        (h as DiscordCommunity).fake.failNext((c) => c.method === "DELETE" && /^\/channels\/\d+$/.test(c.path), missing);
      } else {
        (h as SlackCommunity).fake.setResponse("chat.delete", { ok: false, error: "cant_delete_message" }, { times: 1 });
      }
      const { asked, thread } = await askWhilePointsAreSpent(h);
      expect(asked.ephemeral).toBe(true);
      expect(asked.text).toContain("Your question could not be recorded, so it was not posted: answers in the thread I opened cannot be accepted, and the thread says so.");
      expect(asked.text).toContain("Please try `/ask` again.");
      const posts = h.thread(thread);
      expect(posts).toHaveLength(2);
      expect(posts[0]!.text).toContain("It holds an Rc across an await.");
      expect(posts[1]!.text).toContain(WARNING);
      expect(await h.db.question.count()).toBe(0);
    });
  });

  describe("Discord forum", () => {
    let h: DiscordCommunity;
    beforeAll(async () => {
      h = await startDiscordCommunity({ kind, community: qaSettings(DISCORD_CHANNELS.forum) });
    });
    afterAll(() => h.stop());

    it("deletes the forum post, its opening message with it", async () => {
      const { asked, thread } = await askWhilePointsAreSpent(h);
      expect(asked.text).toContain(REMOVED);
      expect(thread.channelId).toBe(DISCORD_CHANNELS.forum);
      expect(h.fake.state.channels.has(thread.threadId)).toBe(false);
      expect(h.fake.state.channelMessages(thread.threadId)).toEqual([]);
      // The forum's own messages are never deleted: only the post (a thread) is.
      expect(h.fake.callsTo("DELETE", /./).map((c) => c.path)).toEqual([`/channels/${thread.threadId}`]);
    });
  });
});
