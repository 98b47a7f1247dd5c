// Exactly once across processes (issue 15): Discord delivers each gateway event to every
// session on the token, and Slack retries an event it thinks was lost. Two Guildhall
// instances sharing one database, or one instance hearing a retry, must handle each
// interaction and each thread message once: one answer, one ledger row, one reply counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import type { ThreadRef } from "../../src/core/chat.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import type { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { DiscordChatPoster } from "../../src/platform/discord/chat-poster.js";
import { messageEventBody, signSlackRequest } from "../fakes/slack/index.js";
import { backends } from "../support/databases.js";
import { connectDiscordAdapter } from "../support/discord.js";
import { memoryLogger } from "../support/logger.js";
import { ADA, DISCORD_CHANNELS, type DiscordCommunity, GRACE, LINUS, SLACK_CHANNELS, type SlackCommunity, startDiscordCommunity, startSlackCommunity } from "../support/platforms.js";
import { SIGNING_SECRET, TEAM } from "../support/slack.js";
import { withExtra } from "../support/test-commands.js";
import { waitFor } from "../support/app.js";

const qa = (help: string) => ({ qa: { ...DEFAULT_SETTINGS.qa, helpChannels: { discord: help, slack: help } } });

describe.each(backends())("exactly once across processes (%s)", (kind) => {
  describe("Discord: two instances on one token and one database", () => {
    const logs = memoryLogger({ level: "debug" });
    let h: DiscordCommunity;
    let second: { runtime: Runtime; adapter: DiscordAdapter; database: Database | undefined };
    let handledBySecond: string[];

    beforeAll(async () => {
      h = await startDiscordCommunity({ kind, log: logs.log, community: qa(DISCORD_CHANNELS.help), onThreadMessage: (m) => h.runtime.onThreadMessage(m) });
      // On PostgreSQL the second instance has its own connection pool, as a second process would;
      // an in-memory PGlite cannot be opened twice, so there both share the one client.
      const database = h.database.target.kind === "postgres" ? await openDatabase(h.database.target, logs.log) : undefined;
      const rest = createAccessRest({ token: "fake.discord.token", apiUrl: h.fake.apiUrl });
      const runtime = assemble({
        capabilities: withExtra(),
        db: database?.prisma ?? h.db,
        communities: [h.community],
        log: logs.log,
        clock: h.clock,
        chat: { discord: new DiscordChatPoster(rest, logs.log, { sleep: async () => undefined }) },
      });
      handledBySecond = [];
      const onThreadMessage = async (m: Parameters<Runtime["onThreadMessage"]>[0]) => {
        await runtime.onThreadMessage(m);
        handledBySecond.push(m.messageId);
      };
      const adapter = await connectDiscordAdapter(h.fake, runtime, logs.log, { clock: h.clock, onThreadMessage });
      second = { runtime, adapter, database };
      expect(h.fake.connectedClients()).toBe(2);
    });
    afterAll(async () => {
      await second?.adapter.stop();
      await second?.database?.close();
      await h?.stop();
    });

    it("answers a /thanks heard by both instances once and writes one ledger row", async () => {
      // New members cannot give thanks for a day: make Ada and Grace older.
      for (const who of [ADA, GRACE]) await h.run(who, "points");
      await h.db.member.updateMany({ data: { createdAt: new Date(h.clock.now().getTime() - 2 * 24 * 60 * 60 * 1000) } });
      const seen = await h.run(ADA, "thanks", { options: { member: GRACE } });
      expect(seen.text).toContain("Grace");
      const sent = [...h.fake.state.interactions.keys()].at(-1)!;
      // The losing instance has run (and skipped) once its claim is logged.
      await waitFor(() => logs.text().includes(`"interaction":"discord:${sent}"`), 10_000);
      expect(h.fake.callsTo("POST", new RegExp(`^/interactions/${sent}/`))).toHaveLength(1);
      expect(await h.db.pointEntry.count({ where: { category: "kudos" } })).toBe(1);
      expect(logs.text()).not.toContain("already been acknowledged");
      expect(logs.text()).not.toContain("could not answer an interaction");
    });

    it("counts a thread reply heard by both instances once", async () => {
      await h.run(ADA, "ask", { options: { title: "How do I pin a future?", details: "Box::pin gives me a lifetime error." } });
      const q = await h.db.question.findFirstOrThrow({ orderBy: { number: "desc" } });
      const thread: ThreadRef = { platform: "discord", spaceId: q.spaceId, channelId: q.channelId, threadId: q.threadId };
      const reply = await h.threadMessage(LINUS, thread, "Pin it with Box::pin");
      await waitFor(() => handledBySecond.includes(reply.id), 10_000);
      expect(await h.db.question.findUniqueOrThrow({ where: { id: q.id } })).toMatchObject({ replyCount: 1 });
      expect(logs.text()).toContain(`thread-message:discord:${q.spaceId}:${q.threadId}:${reply.id}`);
    });
  });

  describe("Slack: an event retried", () => {
    const logs = memoryLogger({ level: "debug" });
    let h: SlackCommunity;
    beforeAll(async () => {
      h = await startSlackCommunity({ kind, log: logs.log, community: qa(SLACK_CHANNELS.help), onThreadMessage: (m) => h.runtime.onThreadMessage(m) });
    });
    afterAll(() => h?.stop());

    it("counts a thread reply once when Slack delivers it again with X-Slack-Retry-Num", async () => {
      await h.run(ADA, "ask", { options: { title: "How do I pin a future?", details: "Box::pin gives me a lifetime error." } });
      const q = await h.db.question.findFirstOrThrow({ orderBy: { number: "desc" } });
      const thread: ThreadRef = { platform: "slack", spaceId: TEAM, channelId: q.channelId, threadId: q.threadId };
      const reply = await h.threadMessage(GRACE, thread, "Pin it with Box::pin");
      // Slack's retry is the same event callback, event id and all, with a retry header.
      const body = messageEventBody({ teamId: TEAM, channelId: q.channelId, userId: GRACE.slack.id, text: "Pin it with Box::pin", ts: reply.id, threadTs: q.threadId });
      const retried = await fetch(h.fake.eventsUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout", ...signSlackRequest(SIGNING_SECRET, body) },
        body,
      });
      expect(retried.status).toBe(200);
      await waitFor(() => logs.text().includes(`thread-message:slack:${TEAM}:${q.threadId}:${reply.id}`), 10_000);
      expect(await h.db.question.findUniqueOrThrow({ where: { id: q.id } })).toMatchObject({ replyCount: 1 });
    });
  });
});
