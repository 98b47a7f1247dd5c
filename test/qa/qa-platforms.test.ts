// Q&A end to end on the real Discord and Slack adapters against the fakes: /ask in a text
// channel (and a forum on Discord), replies counted as the adapters report them, "Accept
// answer" from Discord's Apps menu and Slack's message shortcut, /solved, /questions, and the
// helpers' nudge and the asker's reminder as each platform delivers them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { type QaConfig } from "../../src/qa/index.js";
import type { ThreadRef } from "../../src/core/chat.js";
import type { PlatformName } from "../../src/core/context.js";
import { inTransaction } from "../../src/db/transaction.js";
import { qaJobs } from "../../src/qa/qa-jobs.js";
import type { Question } from "../../src/qa/questions.js";
import { HOUR } from "../support/community.js";
import { backends } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";
import {
  ADA,
  type DiscordCommunity,
  DISCORD_CHANNELS,
  FORUM_TAGS,
  GRACE,
  HELPERS,
  LINUS,
  MARGARET,
  type Person,
  PLATFORMS,
  type PlatformCommunity,
  SLACK_CHANNELS,
  type SlackCommunity,
  startDiscordCommunity,
} from "../support/platforms.js";

const qaSettings = (help: { discord: string; slack: string }): QaConfig => ({ ...DEFAULT_SETTINGS.qa, helpChannels: help, helpers: HELPERS });
const recordReplies = { onThreadMessage: async (m: Parameters<PlatformCommunity["services"]["qa"]["recordReply"]>[0], services: PlatformCommunity["services"]) => services.qa.recordReply(m) };

/** The member behind a person on this platform, and their community. */
async function memberOf(h: PlatformCommunity, who: Person) {
  const community = await h.services.identity.communityFor(h.platform, { id: h.spaceId, name: "Acme" });
  const { member } = await h.services.identity.memberFor(community.id, h.platform, { id: h.idOf(who), displayName: who.name });
  return { communityId: community.id, memberId: member.id };
}

async function give(h: PlatformCommunity, who: Person, amount: number) {
  const { communityId, memberId } = await memberOf(h, who);
  await inTransaction(h.db, (tx) => h.services.ledger.append(tx, [{ communityId, memberId, amount, category: "awards", reason: "test", source: "award", idempotencyKey: randomUUID() }]));
}

async function balance(h: PlatformCommunity, who: Person) {
  const { communityId, memberId } = await memberOf(h, who);
  return h.services.ledger.balance(communityId, memberId);
}

const threadOf = (q: Question): ThreadRef => ({ platform: q.platform as PlatformName, spaceId: q.spaceId, channelId: q.channelId, threadId: q.threadId });
const latestQuestion = (h: PlatformCommunity) => h.db.question.findFirstOrThrow({ orderBy: { number: "desc" } });

describe.each(backends())("Q&A on Discord and Slack (%s)", (kind) => {
  describe.each(PLATFORMS)("%s", (platform, start) => {
    let h: PlatformCommunity;
    beforeAll(async () => {
      h = await start({ kind, ...recordReplies, community: { qa: qaSettings({ discord: DISCORD_CHANNELS.help, slack: SLACK_CHANNELS.help }) } });
      await give(h, ADA, 100);
    });
    afterAll(() => h.stop());

    it("asks in the help channel, counts the answer and accepts it from the message menu", async () => {
      const sneaky = `@everyone <@${h.idOf(LINUS)}> [[@${h.idOf(LINUS)}]] Box::pin gives me a lifetime error`;
      const asked = await h.run(ADA, "ask", { options: { title: "How do I pin a future?", details: sneaky, tags: "rust", bounty: 20 } });
      expect(asked.ephemeral).toBe(false);
      const q = await latestQuestion(h);
      expect(q).toMatchObject({ number: 1, platform, channelId: h.channels.help, bounty: 20, tags: ["rust"] });
      expect(asked.text).toContain("#1");
      expect(asked.text).toContain(q.url!);
      expect(await balance(h, ADA)).toBe(80);

      const opener = h.thread(threadOf(q))[0]!;
      expect(opener.text).toContain("Box::pin gives me a lifetime error");
      expect(opener.text).not.toContain(`[[@${h.idOf(LINUS)}]]`);
      if (h.platform === "discord") {
        const fake = (h as DiscordCommunity).fake;
        const starter = fake.callsTo("POST", new RegExp(`/channels/${h.channels.help}/messages$`)).at(-1);
        expect((starter?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
        expect(fake.state.channels.get(q.threadId)?.name).toBe("How do I pin a future?");
      } else {
        expect(opener.text).toContain("How do I pin a future?");
        expect(opener.text).not.toContain(`<@${h.idOf(LINUS)}>`);
      }

      await h.threadMessage(ADA, threadOf(q), "Any idea?"); // the asker's own messages are not replies
      const answer = await h.threadMessage(GRACE, threadOf(q), "Pin it with Box::pin and call as_mut()");
      expect(await h.db.question.findUniqueOrThrow({ where: { id: q.id } })).toMatchObject({ replyCount: 1 });

      expect((await h.messageCommand(LINUS, "accept_answer", answer)).text).toContain("Only the asker, Ada, or a creator");
      const accepted = await h.messageCommand(ADA, "accept_answer", answer);
      expect(accepted.ephemeral).toBe(true);
      expect(accepted.text).toContain("They earn 15 points and the 20-point bounty");
      expect(await balance(h, GRACE)).toBe(35);
      expect(await balance(h, ADA)).toBe(82);
      expect(await h.db.question.findUniqueOrThrow({ where: { id: q.id } })).toMatchObject({ status: "solved", acceptedText: "Pin it with Box::pin and call as_mut()" });

      const note = h.thread(threadOf(q)).find((p) => p.text.includes("Solved"))!;
      expect(note.text).toContain(`<@${h.idOf(GRACE)}>`);
      if (h.platform === "discord") {
        const thread = (h as DiscordCommunity).fake.state.channels.get(q.threadId)!;
        expect(thread.name).toBe("✅ How do I pin a future?");
        expect(thread.thread_metadata?.archived).toBe(true);
      } else {
        expect((h as SlackCommunity).fake.reactions.has(`${q.channelId} ${q.threadId} white_check_mark`)).toBe(true);
      }
    });

    it("/solved credits an answerer (in the thread on Discord, by number on Slack) and closes without one", async () => {
      await h.run(LINUS, "ask", { options: { title: "Which async runtime?", details: "Tokio or async-std for a small CLI tool?" } });
      const q = await latestQuestion(h);
      await h.threadMessage(MARGARET, threadOf(q), "Tokio; it is what most crates expect.");
      const solved =
        h.platform === "discord"
          ? await h.run(LINUS, "solved", { options: { answerer: MARGARET }, channelId: q.threadId })
          : await h.run(LINUS, "solved", { options: { question: q.number, answerer: MARGARET } });
      expect(solved.ephemeral).toBe(true);
      expect(solved.text).toContain("They earn 15 points");
      expect(await balance(h, MARGARET)).toBe(15);

      await h.run(MARGARET, "ask", { options: { title: "Closing my own question", details: "Found it myself after all, thanks." } });
      const own = await latestQuestion(h);
      const closed = await h.run(MARGARET, "solved", { options: { question: own.number } });
      expect(closed.text).toContain("is marked solved");
      expect(await balance(h, MARGARET)).toBe(15);
      if (h.platform === "slack") {
        // Slack commands cannot run in threads: without a number, it asks which question.
        await h.run(ADA, "ask", { options: { title: "Another open one", details: "Still waiting for ideas here." } });
        expect((await h.run(ADA, "solved")).text).toContain("Give its number");
      }
    });

    it("/questions finds questions by their words and by their accepted answer, with links", async () => {
      const q = await h.db.question.findFirstOrThrow({ where: { number: 1 } });
      const byTitle = await h.run(LINUS, "questions", { options: { search: "pin future" } });
      expect(byTitle.ephemeral).toBe(true);
      expect(byTitle.text).toContain("#1");
      expect(byTitle.text).toContain(q.url!);
      const byAnswer = await h.run(LINUS, "questions", { options: { search: "as_mut" } });
      expect(byAnswer.text).toContain("#1");
      const open = await h.run(LINUS, "questions");
      expect(open.text).not.toContain("#1");
    });

    it("/ask shows similar questions with links before the new one is posted, and /questions forgives a typo", async () => {
      const first = await h.db.question.findFirstOrThrow({ where: { number: 1 } });
      const asked = await h.run(GRACE, "ask", { options: { title: "Pinning a future I keep in a struct", details: "Box::pin and the lifetime error again, for a future stored as a field." } });
      const q = await latestQuestion(h);
      expect(q.title).toBe("Pinning a future I keep in a struct");
      expect(asked.text).toContain("Similar questions");
      expect(asked.text).toContain(first.url!);
      expect(asked.text).toContain("✅ solved");
      const typo = await h.run(LINUS, "questions", { options: { search: "pin a futre" } });
      expect(typo.text).toContain(first.url!);
    });

    it("nudges the helpers about an unanswered question (pinging only them) and reminds an asker by direct message", async () => {
      await h.run(LINUS, "ask", { options: { title: "Nobody answers this", details: "Lifetimes in trait objects confuse me." } });
      const lonely = await latestQuestion(h);
      await h.run(ADA, "ask", { options: { title: "Answered but not accepted", details: "How do I read a file line by line?" } });
      const answered = await latestQuestion(h);
      await h.threadMessage(GRACE, threadOf(answered), "BufReader::lines()");

      const jobs = qaJobs(h.services, quietLogger());
      h.clock.advance(73 * HOUR);
      for (const job of jobs) await job.run(h.clock.now());
      for (const job of jobs) await job.run(h.clock.now());

      const nudges = h.thread(threadOf(lonely)).filter((p) => p.text.includes("no reply for 24 hours"));
      expect(nudges).toHaveLength(1);
      if (h.platform === "discord") {
        const fake = (h as DiscordCommunity).fake;
        const nudge = fake.callsTo("POST", new RegExp(`/channels/${lonely.threadId}/messages$`)).at(-1);
        expect((nudge?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], roles: [HELPERS.discordRoleId] });
        expect(nudges[0]!.text).toContain(`<@&${HELPERS.discordRoleId}>`);
      } else {
        expect(nudges[0]!.text).toContain(`<!subteam^${HELPERS.slackUserGroupId}>`);
      }
      const reminders = h.dms(ADA).filter((m) => m.text.includes(`Your question`));
      expect(reminders).toHaveLength(1);
      expect(reminders[0]!.text).toContain(`#${answered.number}`);
    });
  });

  describe("Discord forum", () => {
    let h: DiscordCommunity;
    beforeAll(async () => {
      h = await startDiscordCommunity({ kind, ...recordReplies, community: { qa: qaSettings({ discord: DISCORD_CHANNELS.forum, slack: SLACK_CHANNELS.forum }) } });
    });
    afterAll(() => h.stop());

    it("opens a forum post with the question's tags, and tags it Solved when an answer is accepted", async () => {
      const asked = await h.run(ADA, "ask", { options: { title: "Why is my iterator lazy?", details: "map() on a Vec does nothing until I collect.", tags: "rust, iterators" } });
      expect(asked.ephemeral).toBe(false);
      const q = await latestQuestion(h);
      expect(q).toMatchObject({ channelId: DISCORD_CHANNELS.forum });
      const post = h.fake.state.channels.get(q.threadId)!;
      expect(post).toMatchObject({ parent_id: DISCORD_CHANNELS.forum, name: "Why is my iterator lazy?", applied_tags: [FORUM_TAGS[1]!.id] });
      expect(h.thread(threadOf(q))[0]!.text).toContain("map() on a Vec does nothing");

      const answer = await h.threadMessage(GRACE, threadOf(q), "Iterators are lazy; call collect() or for_each().");
      expect((await h.messageCommand(ADA, "Accept answer", answer)).text).toContain("They earn 15 points");
      const solved = h.fake.state.channels.get(q.threadId)!;
      expect(solved.applied_tags).toEqual([FORUM_TAGS[1]!.id, FORUM_TAGS[0]!.id]);
      expect(solved.name).toBe("Why is my iterator lazy?");
      expect(solved.thread_metadata?.archived).toBe(true);
    });
  });
});
