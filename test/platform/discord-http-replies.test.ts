// Replies to Discord interactions over HTTP (POST /discord/interactions) carry what they carry
// over the gateway: embeds and buttons, a chart as an attachment (Discord takes only JSON in
// the HTTP answer, so a reply with a file is deferred and @original edited with a multipart
// body), the thread and the direct message a reply asks for, and a private word when the
// thread cannot be opened. Driven through the fake Discord, which signs each interaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, type DiscordCommunity, startDiscordCommunity } from "../support/platforms.js";
import { pollCommand, slowCommand, testOnlyActions, threadCommand } from "../support/test-commands.js";

const kind = backends()[0]!;
const EPHEMERAL = 64;

describe("Discord replies over POST /discord/interactions", () => {
  let h: DiscordCommunity;
  beforeAll(async () => {
    h = await startDiscordCommunity({ kind, interactionsOver: "http", extra: { commands: [threadCommand, slowCommand, pollCommand], actions: testOnlyActions } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const callback = (token: string) => h.fake.calls.find((c) => c.method === "POST" && c.path.endsWith(`/${token}/callback`))!;

  it("/stats: members are refused; the creator's private reply is deferred, then @original carries the PNG chart as files[0] with its description", async () => {
    expect((await h.run(ADA, "stats")).text).toContain("Only creators can use /stats.");
    const seen = await h.run(CREATOR, "stats", { options: { period: "week" } });
    expect(seen.ephemeral).toBe(true);
    expect(seen.text).toContain("Paying members");
    const edit = (seen.raw as { method: string; path: string; files: { field: string; filename: string; size: number }[]; body: { attachments?: unknown[] } });
    expect(edit.method).toBe("PATCH");
    expect(edit.files).toEqual([expect.objectContaining({ field: "files[0]", filename: "stats.png", contentType: "image/png" })]);
    expect(edit.files[0]!.size).toBeGreaterThan(1000);
    expect(edit.body.attachments).toEqual([{ id: "0", filename: "stats.png", description: expect.stringMatching(/\w/) }]);
    const token = edit.path.split("/")[3]!;
    expect(callback(token).body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const original = h.fake.state.originalMessage(token)!;
    expect(original.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(original.attachments).toEqual([expect.objectContaining({ filename: "stats.png", content_type: "image/png" })]);
  });

  it("a reply with a button answers in the HTTP response with the button's component row", async () => {
    const seen = await h.run(ADA, "poll");
    expect(seen.ephemeral).toBe(false);
    const answer = seen.raw as { body: { type: number; data: { components: unknown[] } } };
    expect(answer.body.type).toBe(4);
    expect(answer.body.data.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: "Yes", custom_id: "gh:vote:yes" }] }]);
  });

  it("a command that opens a thread: the reply, then the thread in its channel with its first message, then the direct message", async () => {
    const seen = await h.run(ADA, "discuss", { options: { topic: "lifetimes" }, channelId: h.channels.help });
    expect(seen).toMatchObject({ ephemeral: false, text: "Thread for lifetimes" });
    await expect.poll(() => h.fake.state.threadsOf(h.channels.help).map((t) => t.name)).toContain("lifetimes");
    const thread = h.fake.state.threadsOf(h.channels.help).find((t) => t.name === "lifetimes")!;
    expect(thread.type).toBe(11);
    await expect.poll(() => h.fake.state.channelMessages(thread.id).map((m) => m.content)).toEqual(["Discuss lifetimes here"]);
    await expect.poll(() => h.dms(ADA).map((d) => d.text)).toContain("We opened your thread.");
  });

  it("a thread Discord refuses (Missing Permissions) is explained to the member privately, in a follow-up", async () => {
    h.fake.failNext((c) => c.method === "POST" && c.path === `/channels/${h.channels.general}/threads`, { status: 403, body: { message: "Missing Permissions", code: 50013 } });
    await h.run(ADA, "discuss", { options: { topic: "refused" } });
    const followUp = await h.fake.waitForCall((c) => c.method === "POST" && /^\/webhooks\/\d+\/[^/]+$/.test(c.path) && String(c.body?.content).includes("Create Public Threads"));
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL, content: "I couldn't open a thread here: I need the Create Public Threads and Send Messages in Threads permission. Ask an admin to grant it." });
  });

  it("a slow public command whose answer is private: the public placeholder is deleted and the answer follows up privately", async () => {
    const slow = await startDiscordCommunity({ kind, interactionsOver: "http", ackAfterMs: 20, extra: { commands: [slowCommand] } });
    try {
      const seen = await slow.run(ADA, "slow", { options: { ms: 300 } });
      expect(seen).toMatchObject({ ephemeral: true, text: "slow but private" });
      const token = (seen.raw as { path: string }).path.split("/")[3]!;
      expect(slow.fake.calls.find((c) => c.path.endsWith(`/${token}/callback`))?.body).toEqual({ type: 5, data: {} });
      expect(slow.fake.callsTo("DELETE", `/webhooks/${slow.fake.applicationId}/${token}/messages/@original`)).toHaveLength(1);
    } finally {
      await slow.stop();
    }
  });

  it("autocomplete: the choices go back in the HTTP answer (type 8)", async () => {
    const community = await h.db.community.upsert({ where: { slug: "acme" }, create: { slug: "acme", name: "Acme" }, update: {} });
    const item = { communityId: community.id, description: "", stripeProductId: "prod_1", mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [], slackChannelIds: [] };
    await h.db.catalogItem.create({ data: { ...item, name: "async-rust", title: "Async Rust", stripePriceId: "price_1" } });
    const sent = h.fake.sendAutocomplete({ guildId: h.spaceId, channelId: h.channels.general, user: ADA.discord, name: "buy", options: [{ name: "item", type: 3, value: "as" }], focused: "item" });
    expect((await sent.delivered)?.body).toEqual({ type: 8, data: { choices: [{ name: "Async Rust (€49.00)", value: "async-rust" }] } });
    expect(callback(sent.token).response?.status).toBe(204);
  });
});
