// Contract test of the fake Discord: the real discord.js client and Guildhall's own Discord code
// (adapter, chat poster, direct messenger, access gateway) run representative flows against
// the fake, and every recorded exchange (what the bot sent, what the fake answered) is checked
// against Discord's published OpenAPI description (discord/discord-api-spec).
import { ChannelType, Client, GatewayIntentBits, type Interaction, MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from "../fakes/discord/index.js";
import { quietLogger } from "../support/logger.js";
import { ADA, CREATOR, type DiscordCommunity, GRACE, startDiscordCommunity } from "../support/platforms.js";
import { slowCommand, testOnlyActions, threadCommand } from "../support/test-commands.js";
import { DiscordSpec } from "./discord-spec.js";
import { type AllowEntry, applyAllowList, describeProblems, type Exchange, type Problem } from "./spec-check.js";

/**
 * Where Discord's spec is known to be wrong or silent, and the fake follows the platform.
 * Every entry names the operation and field, and says why.
 */
const ALLOW: AllowEntry[] = [
  {
    // Form errors (50035) nest `{ _errors: [{ code, message }] }` per field, and those codes are
    // strings such as "BASE_TYPE_MAX_LENGTH" (Discord's error-messages docs; discord.js reads them
    // as strings). The spec reuses its top-level Error, whose code is an integer, so every nested
    // errors object fails its oneOf.
    operation: "POST /channels/{channel_id}/messages",
    side: "response",
    field: /^\/errors(\/.*)?$/,
    reason: "Discord's per-field error codes are strings; the spec types them as integers",
  },
];

const GUILD = "200000000000000001";
const TEXT = "300000000000000001";
const FORUM = "300000000000000002";
const MEMBER_ROLE = "400000000000000001";
const PRO_ROLE = "400000000000000002";
const BUYER = { id: "500000000000000001", username: "ada", globalName: "Ada" };
const OTHER = { id: "500000000000000002", username: "grace" };
const where = { guildId: GUILD, channelId: TEXT, user: BUYER };

/** The exchange a recorded call stands for. */
function exchangeOf(call: RecordedCall): Exchange {
  return { method: call.method, path: call.path, query: call.query, requestBody: call.body, files: call.files.map((f) => f.field), status: call.response?.status ?? 0, responseBody: call.response?.body };
}

const spec = new DiscordSpec();
const checked: Problem[] = [];
let exchanges = 0;

/** Checks every answered call of `fake` (the gateway WebSocket is not REST, and not in the spec). */
function checkAll(fake: FakeDiscord): void {
  for (const call of fake.calls) {
    if (!call.response) continue;
    exchanges += 1;
    checked.push(...spec.check(exchangeOf(call)));
  }
}

describe("the fake Discord against Discord's OpenAPI spec", () => {
  describe("discord.js flows", () => {
    let fake: FakeDiscord;
    let client: Client;
    let next: ((i: Interaction) => Promise<void>) | undefined;
    let done: ((error?: unknown) => void) | undefined;

    /** Sends an interaction and waits until `handler` has answered it. */
    function answer(send: () => void, handler: (i: Interaction) => Promise<void>): Promise<void> {
      return new Promise((resolve, reject) => {
        next = handler;
        done = (error) => (error ? reject(error) : resolve());
        send();
      });
    }

    beforeAll(async () => {
      fake = await startFakeDiscord({
        guilds: [
          {
            id: GUILD,
            name: "Contract",
            channels: [
              { id: TEXT, name: "general" },
              { id: FORUM, name: "questions", type: 15, availableTags: [{ id: "700000000000000001", name: "Solved" }] },
            ],
            roles: [
              { id: MEMBER_ROLE, name: "Member", position: 1 },
              { id: PRO_ROLE, name: "Pro", position: 2 },
            ],
            members: [{ user: OTHER, roles: [] }, { user: BUYER, roles: [] }],
          },
        ],
      });
      client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
      client.on("interactionCreate", (interaction) => {
        const handler = next;
        next = undefined;
        if (handler) handler(interaction).then(() => done?.(), done);
      });
      const ready = new Promise((resolve) => client.once("clientReady", resolve));
      await client.login("fake-token");
      await ready;
    });
    afterAll(async () => {
      await client?.destroy();
      if (fake) checkAll(fake);
      await fake?.close();
    });

    it("registers commands, answers, defers and edits, follows up, updates, autocompletes, opens a modal", async () => {
      await client.application?.commands.set([{ name: "points", description: "Your points" }], GUILD);
      await client.application?.commands.set([{ name: "help", description: "Help" }]);
      await answer(
        () => fake.sendSlashCommand({ ...where, name: "points" }),
        async (i) => {
          if (!i.isChatInputCommand()) return;
          await i.reply({ content: "You have 3 points", flags: MessageFlags.Ephemeral, embeds: [{ title: "Points", fields: [{ name: "Total", value: "3" }] }] });
          await i.followUp({ content: "and a follow-up" });
          await i.editReply({ content: "You have 4 points" });
          await i.deleteReply();
        },
      );
      await answer(
        () => fake.sendSlashCommand({ ...where, name: "points" }),
        async (i) => {
          if (!i.isChatInputCommand()) return;
          await i.deferReply();
          await i.editReply({ content: "done", components: [{ type: 1, components: [{ type: 2, style: 1, label: "Again", custom_id: "again" }] }] });
          await i.followUp({ content: "more", flags: MessageFlags.Ephemeral });
        },
      );
      await answer(
        () => fake.sendButtonClick({ ...where, customId: "claim:1" }),
        async (i) => {
          if (i.isButton()) await i.update({ content: "claimed", components: [] });
        },
      );
      await answer(
        () => fake.sendButtonClick({ ...where, customId: "later" }),
        async (i) => {
          if (!i.isButton()) return;
          await i.deferUpdate();
          await i.editReply({ content: "edited later" });
        },
      );
      await answer(
        () => fake.sendAutocomplete({ ...where, name: "ask", options: [{ name: "topic", type: 3, value: "ru" }], focused: "topic" }),
        async (i) => {
          if (i.isAutocomplete()) await i.respond([{ name: "Rust", value: "rust" }]);
        },
      );
      await answer(
        () => fake.sendSlashCommand({ ...where, name: "feedback" }),
        async (i) => {
          if (!i.isChatInputCommand()) return;
          await i.showModal({ custom_id: "feedback", title: "Feedback", components: [{ type: 1, components: [{ type: 4, custom_id: "text", label: "Text", style: 1 }] }] });
        },
      );
    });

    it("threads, forum posts, messages, reactions, pins, DMs and roles", async () => {
      const channel = client.channels.cache.get(TEXT);
      const forum = client.channels.cache.get(FORUM);
      if (channel?.type !== ChannelType.GuildText || forum?.type !== ChannelType.GuildForum) throw new Error("channels missing");
      const thread = await channel.threads.create({ name: "Review: parser" });
      await thread.send("first post");
      await forum.threads.create({ name: "How do I?", message: { content: "question body" }, appliedTags: ["700000000000000001"] });
      const message = await channel.send({ content: "a question", embeds: [{ description: "details" }] });
      await message.startThread({ name: "Answers" });
      await message.edit("a better question");
      await message.react("✅");
      await message.pin();
      await channel.messages.fetch({ limit: 10 });
      await message.delete();
      await thread.setArchived(true);
      const user = await client.users.fetch(BUYER.id);
      await user.send("welcome");
      const guild = client.guilds.cache.get(GUILD);
      const member = await guild?.members.fetch(OTHER.id);
      await member?.roles.add(MEMBER_ROLE);
      await member?.roles.remove(MEMBER_ROLE);
      await guild?.roles.fetch();
      await guild?.members.fetch(PRO_ROLE).catch(() => undefined); // an unknown member: 404 Unknown Member
    });

    it("a rate-limited post is answered 429 and retried; a missing permission is 403", async () => {
      const channel = client.channels.cache.get(TEXT);
      if (!channel?.isSendable()) throw new Error("text channel missing");
      fake.failNext((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`, { status: 429, body: { retry_after: 0.05 } });
      await channel.send("after the limit");
      fake.failNext((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`, { status: 403 });
      await channel.send("not allowed").catch(() => undefined);
      await channel.send("x".repeat(2001)).catch(() => undefined); // 400 Invalid Form Body
    });

    it("Guildhall's access gateway grants and revokes roles", async () => {
      const gateway = new DiscordAccessGateway(createAccessRest({ token: "fake-token", apiUrl: fake.apiUrl }), quietLogger(), { sleep: async () => undefined });
      await gateway.apply({ spaceId: GUILD, userId: BUYER.id, grant: [PRO_ROLE], revoke: [] });
      await gateway.apply({ spaceId: GUILD, userId: BUYER.id, grant: [], revoke: [PRO_ROLE] });
      await gateway.apply({ spaceId: GUILD, userId: "599999999999999999", grant: [PRO_ROLE], revoke: [] });
    });
  });

  describe("Guildhall's Discord adapter, chat poster and direct messenger", () => {
    let h: DiscordCommunity;
    beforeAll(async () => {
      h = await startDiscordCommunity({ kind: "pglite", extra: { commands: [threadCommand], actions: testOnlyActions } });
    });
    afterAll(async () => {
      if (h) checkAll(h.fake);
      await h?.stop();
    });

    it("runs commands, clicks, threads, forum posts and DMs", async () => {
      await h.run(ADA, "help", { options: { command: "link" } });
      await h.run(CREATOR, "community");
      await h.click(GRACE, "vote", "yes");
      await h.run(ADA, "discuss", { options: { topic: "async traits" }, channelId: h.channels.help });
      await expect.poll(() => h.dms(ADA).length).toBeGreaterThan(0);
      const chat = h.services.chat.discord!;
      const thread = await chat.openThread(h.spaceId, h.channels.forum, "A question", { text: "The body" }, { tags: ["rust"] });
      await chat.postInThread(thread, { text: "A reminder" });
      await chat.markSolved(thread, { text: "Solved by Grace" });
      const plain = await chat.openThread(h.spaceId, h.channels.help, "Another", { text: "Body" });
      await chat.markSolved(plain, { text: "Done" });
      await chat.post(h.spaceId, h.channels.announcements, { text: "Ada earned a badge" });
      // Removing threads: a forum post, a thread with its starter, and one already gone (404 Unknown Channel).
      const post = await chat.openThread(h.spaceId, h.channels.forum, "Not recorded", { text: "Body" });
      await chat.removeThread(post);
      await chat.removeThread(await chat.openThread(h.spaceId, h.channels.help, "Not recorded either", { text: "Body" }));
      await chat.removeThread(post);
      expect(h.fake.callsTo("DELETE", `/channels/${post.threadId}`).map((c) => c.response?.status)).toEqual([200, 404]);
    });
  });

  describe("Guildhall's Discord interactions over HTTP (POST /discord/interactions)", () => {
    let h: DiscordCommunity;
    beforeAll(async () => {
      h = await startDiscordCommunity({ kind: "pglite", interactionsOver: "http", extra: { commands: [threadCommand, slowCommand], actions: testOnlyActions } });
    });
    afterAll(async () => {
      if (h) checkAll(h.fake);
      await h?.stop();
    });

    it("answers, defers and edits with a chart (multipart), follows up, opens threads and sends DMs", async () => {
      await h.run(ADA, "help", { options: { command: "link" } });
      await h.click(GRACE, "vote", "yes");
      await h.run(CREATOR, "stats");
      await h.run(ADA, "slow", { options: { ms: 300 } });
      await h.run(ADA, "discuss", { options: { topic: "async traits" }, channelId: h.channels.help });
      await expect.poll(() => h.dms(ADA).length).toBeGreaterThan(0);
      const uploads = h.fake.calls.filter((c) => c.files.length > 0);
      expect(uploads.map((c) => [c.method, c.files.map((f) => f.field)])).toEqual([["PATCH", ["files[0]"]]]);
    });
  });

  it("the checker refuses what the fake used to get wrong: thread creation with 200, a 429 without code, a route Discord lacks", () => {
    const thread = { id: "1", type: 11, guild_id: GUILD, parent_id: TEXT, name: "t", last_message_id: null, flags: 0, rate_limit_per_user: 0 };
    const created = spec.check({ method: "POST", path: `/channels/${TEXT}/threads`, query: {}, requestBody: { name: "t", type: 11 }, status: 200, responseBody: thread });
    expect(created.map((p) => p.message)).toContain("status 200 is not documented for this operation");
    const limited = spec.check({ method: "POST", path: `/channels/${TEXT}/messages`, query: {}, requestBody: { content: "x" }, status: 429, responseBody: { message: "You are being rate limited.", retry_after: 1, global: false } });
    expect(limited).toContainEqual(expect.objectContaining({ side: "response", message: "must have required property 'code'" }));
    const route = spec.check({ method: "POST", path: `/channels/${TEXT}/typing-indicator`, query: {}, requestBody: undefined, status: 204, responseBody: undefined });
    expect(route.map((p) => p.side)).toEqual(["operation"]);
  });

  it("every exchange fits the spec, apart from the allow-listed mistakes of the spec", () => {
    const { unexcused, unused } = applyAllowList(checked, ALLOW);
    if (process.env.CONTRACT_SUMMARY) {
      const keys = new Map<string, number>();
      for (const p of unexcused) {
        const key = `${p.operation} ${p.side} ${p.field.replace(/\/\d+/g, "/*")}: ${p.message}`;
        keys.set(key, (keys.get(key) ?? 0) + 1);
      }
      console.log(`${exchanges} exchanges`);
      console.log([...keys].map(([k, n]) => `${n}x ${k}`).sort().join("\n"));
    }
    expect(exchanges).toBeGreaterThan(50);
    expect(describeProblems(unexcused)).toBe("");
    expect(unused.map((a) => `${a.operation} ${String(a.field)}`)).toEqual([]);
  });
});
