// DiscordChatPoster against the fake Discord through a real discord.js REST (createAccessRest):
// the requests it makes for threads in text channels and forums, solved threads, and pings.
import type { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InternalError, UserFacingError } from "../../src/core/errors.js";
import { mention } from "../../src/core/markup.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { DiscordChatPoster } from "../../src/platform/discord/chat-poster.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { quietLogger } from "../support/logger.js";

const GUILD = "100000000000000011";
const TEXT = "200000000000000011";
const FORUM = "200000000000000012";
const BARE_FORUM = "200000000000000013";
const HELPERS = "300000000000000011";
const SOLVED = "700000000000000011";
const RUST = "700000000000000012";
const TRIAGE = "700000000000000013";

describe("DiscordChatPoster", () => {
  let fake: FakeDiscord;
  let rest: REST;
  let poster: DiscordChatPoster;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: "Acme",
          channels: [
            { id: TEXT, name: "help" },
            { id: FORUM, name: "questions", type: 15, availableTags: [{ id: SOLVED, name: "solved" }, { id: RUST, name: "Rust" }, { id: TRIAGE, name: "triage" }] },
            { id: BARE_FORUM, name: "ideas", type: 15, availableTags: [{ id: "700000000000000019", name: "later" }] },
          ],
          roles: [{ id: HELPERS, name: "Helpers" }],
        },
      ],
    });
    rest = createAccessRest({ token: "fake.discord.token", apiUrl: fake.apiUrl });
    poster = new DiscordChatPoster(rest, quietLogger(), { sleep: async () => undefined });
  });
  afterAll(async () => {
    await fake?.close();
  });

  const newCalls = <T>(work: () => Promise<T>) => {
    const before = fake.calls.length;
    return work().then((result) => ({ result, calls: fake.calls.slice(before) }));
  };

  it("in a text channel, posts the message and starts a public thread from it", async () => {
    const { result: thread, calls } = await newCalls(() => poster.openThread(GUILD, TEXT, "Why does the borrow checker complain?", { text: "Here is my **code**" }));
    const posted = calls.find((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`);
    expect(posted?.body).toMatchObject({ content: "Here is my **code**", allowed_mentions: { parse: [] } });
    const started = calls.find((c) => c.method === "POST" && c.path.endsWith("/threads"));
    expect(started?.path).toBe(`/channels/${TEXT}/messages/${thread.threadId}/threads`);
    expect(started?.body).toEqual({ name: "Why does the borrow checker complain?" });
    expect(thread).toEqual({ platform: "discord", spaceId: GUILD, channelId: TEXT, threadId: thread.threadId, url: `https://discord.com/channels/${GUILD}/${thread.threadId}` });
    expect(fake.state.channels.get(thread.threadId)).toMatchObject({ type: 11, parent_id: TEXT, name: "Why does the borrow checker complain?" });
  });

  it("reads a channel's kind once, not for every thread", async () => {
    const { calls } = await newCalls(() => poster.openThread(GUILD, TEXT, "Second question", { text: "Body" }));
    expect(calls.filter((c) => c.method === "GET" && c.path === `/channels/${TEXT}`)).toHaveLength(0);
    expect(fake.callsTo("GET", `/channels/${TEXT}`).filter((c) => c.path === `/channels/${TEXT}`)).toHaveLength(1);
  });

  it("in a forum, opens a post with the message and the tags the forum has (matched by name, any case)", async () => {
    const { result: thread, calls } = await newCalls(() => poster.openThread(GUILD, FORUM, "Lifetimes in async fn", { text: "Body" }, { tags: ["rust", "TRIAGE", "cobol"] }));
    const created = calls.find((c) => c.method === "POST" && c.path === `/channels/${FORUM}/threads`);
    expect(created?.body).toMatchObject({ name: "Lifetimes in async fn", message: { content: "Body", allowed_mentions: { parse: [] } }, applied_tags: [RUST, TRIAGE] });
    expect(calls.some((c) => c.method === "POST" && c.path === `/channels/${FORUM}/messages`)).toBe(false);
    expect(fake.state.channels.get(thread.threadId)).toMatchObject({ parent_id: FORUM, applied_tags: [RUST, TRIAGE] });
    expect(fake.state.channelMessages(thread.threadId)[0]?.content).toBe("Body");
  });

  it("truncates a long title to Discord's 100 characters", async () => {
    const thread = await poster.openThread(GUILD, FORUM, "x".repeat(150), { text: "Body" });
    expect(fake.state.channels.get(thread.threadId)?.name).toHaveLength(100);
  });

  it("writes in a thread and posts in a channel", async () => {
    const thread = await poster.openThread(GUILD, TEXT, "Reminders", { text: "Body" });
    await poster.postInThread(thread, { text: "Still open: can anyone help?" });
    await poster.post(GUILD, TEXT, { title: "Badge", text: "Ada earned **Helper**" });
    expect(fake.state.channelMessages(thread.threadId).map((m) => m.content)).toEqual(["Still open: can anyone help?"]);
    expect(fake.state.channelMessages(TEXT).at(-1)?.embeds).toMatchObject([{ title: "Badge", description: "Ada earned **Helper**" }]);
  });

  it("marks a forum post solved with the forum's Solved tag (kept with its other tags) and archives it", async () => {
    const thread = await poster.openThread(GUILD, FORUM, "Tagged question", { text: "Body" }, { tags: ["rust"] });
    const { calls } = await newCalls(() => poster.markSolved(thread, { text: "Solved: Grace's answer was accepted." }));
    expect(calls.find((c) => c.method === "POST" && c.path === `/channels/${thread.threadId}/messages`)?.body).toMatchObject({ content: "Solved: Grace's answer was accepted." });
    const patch = calls.find((c) => c.method === "PATCH" && c.path === `/channels/${thread.threadId}`);
    expect(patch?.body).toEqual({ applied_tags: [RUST, SOLVED], archived: true });
    expect(fake.state.channels.get(thread.threadId)).toMatchObject({ name: "Tagged question", applied_tags: [RUST, SOLVED], thread_metadata: { archived: true } });
  });

  it("marks a text-channel thread solved by prefixing ✅ to its name (within 100 characters) and archives it", async () => {
    const thread = await poster.openThread(GUILD, TEXT, "y".repeat(100), { text: "Body" });
    const { calls } = await newCalls(() => poster.markSolved(thread, { text: "Solved." }));
    const patch = calls.find((c) => c.method === "PATCH" && c.path === `/channels/${thread.threadId}`);
    expect(patch?.body).toMatchObject({ archived: true });
    expect(patch?.body.name).toHaveLength(100);
    expect(patch?.body.name.startsWith("✅ y")).toBe(true);
    expect(patch?.body).not.toHaveProperty("applied_tags");
  });

  it("falls back to the ✅ prefix in a forum without a Solved tag", async () => {
    const thread = await poster.openThread(GUILD, BARE_FORUM, "An idea", { text: "Body" });
    await poster.markSolved(thread, { text: "Done." });
    expect(fake.state.channels.get(thread.threadId)).toMatchObject({ name: "✅ An idea", thread_metadata: { archived: true } });
  });

  it("pings only the role and users the post names; user text never pings", async () => {
    const userText = "@everyone <@&999999999999999999> <@888888888888888888>";
    const { calls } = await newCalls(() =>
      poster.post(GUILD, TEXT, { text: `${mention.role(HELPERS)} someone asked: ${userText}`, pings: { discordRoleIds: [HELPERS], userIds: ["400000000000000001"] } }),
    );
    const body = calls.find((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`)?.body;
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [HELPERS], users: ["400000000000000001"] });
    expect(body.content).toContain(`<@&${HELPERS}> someone asked: ${userText}`);
  });

  it("shows a Slack user group as plain text, pinging nobody", async () => {
    const { calls } = await newCalls(() => poster.post(GUILD, TEXT, { text: `${mention.userGroup("S0HELPERS")} and ${mention.role(HELPERS)} please look` }));
    const body = calls.find((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`)?.body;
    expect(body.content).toBe(`@S0HELPERS and <@&${HELPERS}> please look`);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it("puts pinged mentions in the content when the post is an embed (Discord only pings from content)", async () => {
    const { calls } = await newCalls(() => poster.post(GUILD, TEXT, { title: "Unanswered", text: `${mention.role(HELPERS)} please look`, pings: { discordRoleIds: [HELPERS] } }));
    const body = calls.find((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`)?.body;
    expect(body.content).toBe(`<@&${HELPERS}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [HELPERS] });
  });

  it("a missing permission becomes a message that names the permission", async () => {
    fake.failNext((c) => c.method === "POST" && c.path.startsWith(`/channels/${TEXT}/messages/`) && c.path.endsWith("/threads"), { status: 403, body: { message: "Missing Permissions", code: 50013 } });
    const failure = await poster.openThread(GUILD, TEXT, "No rights", { text: "Body" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as Error).message).toBe(`I couldn't open a thread in ${mention.channel(TEXT)}: I need the Create Public Threads permission there. Ask an admin to grant it.`);
  });

  it("any other failure is an internal error carrying Discord's", async () => {
    fake.failNext((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`, { status: 500 });
    const failure = await poster.post(GUILD, TEXT, { text: "Hello" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InternalError);
    expect((failure as InternalError).code).toBe("chat_post_failed");
    expect((failure as InternalError).cause).toBeDefined();
  });
});
