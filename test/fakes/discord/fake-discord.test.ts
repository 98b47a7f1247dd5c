// Self-test of the fake Discord: the real discord.js client logs in against it and every
// path the bot uses (replies, deferrals, follow-ups, buttons, threads, DMs, roles, failures)
// produces the calls and objects discord.js expects.
import { ChannelType, Client, DiscordAPIError, GatewayIntentBits, type Interaction, MessageFlags, Routes } from "discord.js";
import { generateKeyPairSync, verify } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "./index.js";

const GUILD = "200000000000000001";
const TEXT = "300000000000000001";
const FORUM = "300000000000000002";
const MEMBER_ROLE = "400000000000000001";
const BOT_ROLE = "400000000000000002";
const STAFF_ROLE = "400000000000000003";
/** Discord's Manage Roles permission bit. */
const MANAGE_ROLES = String(1n << 28n);
const ADA = { id: "500000000000000001", username: "ada", globalName: "Ada" };
const GRACE = { id: "500000000000000002", username: "grace" };
const where = { guildId: GUILD, channelId: TEXT, user: ADA };

let fake: FakeDiscord;
let client: Client;
let nextHandler: ((i: Interaction) => Promise<unknown>) | undefined;
let settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | undefined;
const gatewayEvents: string[] = [];

/** Runs `handler` on the next interaction the client receives; resolves with what it returns. */
function handleNext<T>(handler: (i: Interaction) => Promise<T>): Promise<T> {
  nextHandler = handler;
  return new Promise<T>((resolve, reject) => {
    settle = { resolve: (v) => resolve(v as T), reject };
  });
}

beforeAll(async () => {
  fake = await startFakeDiscord({
    guilds: [
      {
        id: GUILD,
        name: "Guildhall Test",
        channels: [
          { id: TEXT, name: "general" },
          { id: FORUM, name: "questions", type: 15 },
        ],
        roles: [
          { id: MEMBER_ROLE, name: "Member", position: 1 },
          { id: BOT_ROLE, name: "Guildhall", position: 2, permissions: MANAGE_ROLES },
          { id: STAFF_ROLE, name: "Staff", position: 3 },
        ],
        members: [{ user: GRACE, roles: [] }],
      },
    ],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on("raw", (packet: { t?: string | null }) => {
    if (packet.t) gatewayEvents.push(packet.t);
  });
  client.on("interactionCreate", (interaction) => {
    const handler = nextHandler;
    const done = settle;
    nextHandler = undefined;
    if (handler && done) handler(interaction).then(done.resolve, done.reject);
  });
  const ready = new Promise((resolve) => client.once("clientReady", resolve));
  await client.login("fake-token");
  await ready;
});

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

describe("fake Discord with the real discord.js client", () => {
  it("serves gateway discovery and fills the cache from READY and GUILD_CREATE", () => {
    const gatewayCall = fake.callsTo("GET", "/gateway/bot")[0];
    expect(gatewayCall?.headers.authorization).toBe("Bot fake-token");
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.user?.id).toBe(fake.botUser.id);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.channels.cache.get(TEXT)?.type).toBe(ChannelType.GuildText);
    expect(guild?.channels.cache.get(FORUM)?.type).toBe(ChannelType.GuildForum);
    expect(guild?.roles.everyone.id).toBe(GUILD);
    expect(fake.connectedClients()).toBe(1);
  });

  it("an ephemeral reply posts callback type 4 with flag 64, and options arrive nested and resolved", async () => {
    const handled = handleNext(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a slash command");
      await i.reply({ content: "hi", ephemeral: true });
      return { sub: i.options.getSubcommand(), title: i.options.getString("title"), who: i.options.getUser("who")?.username, admin: i.memberPermissions?.has("Administrator") };
    });
    const { id, token } = fake.sendSlashCommand({
      ...where,
      name: "catalog",
      subcommand: "add",
      options: [
        { name: "title", type: 3, value: "SICP" },
        { name: "who", type: 6, value: GRACE.id },
      ],
      resolvedUsers: [GRACE],
    });
    expect(await handled).toEqual({ sub: "add", title: "SICP", who: "grace", admin: false });
    const callback = fake.callsTo("POST", `/interactions/${id}/${token}/callback`)[0];
    expect(callback?.body).toMatchObject({ type: 4, data: { content: "hi", flags: 64 } });
    expect(callback?.query.with_response).toBe("false");
  });

  it("deferReply then editReply patches @original and clears the loading state", async () => {
    const handled = handleNext(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a slash command");
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      return (await i.editReply("done")).content;
    });
    const { id, token } = fake.sendSlashCommand({ ...where, name: "points" });
    expect(await handled).toBe("done");
    expect(fake.callsTo("POST", `/interactions/${id}/`)[0]?.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForCall((c) => c.method === "PATCH" && c.path === `/webhooks/${fake.applicationId}/${token}/messages/@original`);
    expect(edit.body).toMatchObject({ content: "done" });
    expect(fake.state.originalMessage(token)?.flags).toBe(64);
  });

  it("followUp posts to the interaction webhook after the reply", async () => {
    const handled = handleNext(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a slash command");
      await i.reply("first");
      return (await i.followUp({ content: "second" })).content;
    });
    const { token } = fake.sendSlashCommand({ ...where, name: "points" });
    expect(await handled).toBe("second");
    expect(fake.callsTo("POST", `/webhooks/${fake.applicationId}/${token}`)[0]?.body).toMatchObject({ content: "second" });
  });

  it("a button click can be answered with update (callback type 7)", async () => {
    const handled = handleNext(async (i) => {
      if (!i.isButton()) throw new Error("expected a button");
      await i.update({ content: "claimed", components: [] });
      return i.customId;
    });
    const { id } = fake.sendButtonClick({ ...where, customId: "claim:42" });
    expect(await handled).toBe("claim:42");
    expect(fake.callsTo("POST", `/interactions/${id}/`)[0]?.body).toMatchObject({ type: 7, data: { content: "claimed" } });
  });

  it("autocomplete and message commands carry the data discord.js needs", async () => {
    const focused = handleNext(async (i) => {
      if (!i.isAutocomplete()) throw new Error("expected autocomplete");
      await i.respond([{ name: "Python", value: "python" }]);
      return i.options.getFocused();
    });
    const auto = fake.sendAutocomplete({ ...where, name: "ask", options: [{ name: "topic", type: 3, value: "py" }], focused: "topic" });
    expect(await focused).toBe("py");
    expect(fake.callsTo("POST", `/interactions/${auto.id}/`)[0]?.body).toMatchObject({ type: 8, data: { choices: [{ value: "python" }] } });

    const target = handleNext(async (i) => {
      if (!i.isMessageContextMenuCommand()) throw new Error("expected a message command");
      await i.reply("saved");
      return `${i.targetMessage.author.username}: ${i.targetMessage.content}`;
    });
    fake.sendMessageCommand({ ...where, name: "Save answer", targetMessage: { id: "600000000000000001", content: "use a Map", author: GRACE } });
    expect(await target).toBe("grace: use a Map");
  });

  it("threads: channel.threads.create then thread.send, and forum posts with their starter message", async () => {
    const channel = client.channels.cache.get(TEXT);
    if (channel?.type !== ChannelType.GuildText) throw new Error("text channel missing");
    const thread = await channel.threads.create({ name: "Review: parser" });
    await thread.send("first post");
    expect(fake.callsTo("POST", `/channels/${TEXT}/threads`)[0]?.body).toMatchObject({ name: "Review: parser", type: 11 });
    expect(fake.callsTo("POST", `/channels/${thread.id}/messages`)[0]?.body).toMatchObject({ content: "first post" });
    expect(thread.parentId).toBe(TEXT);
    await vi.waitFor(() => expect(gatewayEvents).toContain("THREAD_CREATE"));

    const forum = client.channels.cache.get(FORUM);
    if (forum?.type !== ChannelType.GuildForum) throw new Error("forum channel missing");
    const post = await forum.threads.create({ name: "How do I?", message: { content: "question body" } });
    expect(post.messages.cache.get(post.id)?.content).toBe("question body");
    // Discord answers thread creation with 201 Created, on a channel or on a forum.
    expect(fake.callsTo("POST", `/channels/${TEXT}/threads`)[0]?.response?.status).toBe(201);
    expect(fake.callsTo("POST", `/channels/${FORUM}/threads`)[0]?.response?.status).toBe(201);
  });

  it("stored messages carry what Discord adds: embed type rich, and a numeric id on every component", async () => {
    const channel = client.channels.cache.get(TEXT);
    if (!channel?.isSendable()) throw new Error("text channel missing");
    const button = (custom_id: string, id?: number) => ({ type: 2, style: 1, label: custom_id, custom_id, ...(id === undefined ? {} : { id }) });
    const sent = await channel.send({
      embeds: [{ title: "Points" }],
      components: [
        { type: 1, components: [button("a"), button("b", 2)] },
        { type: 1, components: [button("c")] },
      ],
    });
    const answer = fake.callsTo("POST", `/channels/${TEXT}/messages`).at(-1)?.response?.body as { embeds: { type: string }[]; components: { id: number; components: { id: number }[] }[] };
    expect(answer.embeds[0]?.type).toBe("rich");
    // Numbered in document order, keeping the 2 the sender chose and skipping it for the others.
    expect(answer.components.map((row) => [row.id, ...row.components.map((c) => c.id)])).toEqual([
      [1, 3, 2],
      [4, 5],
    ]);
    expect(sent.components[0]?.id).toBe(1);
  });

  it("user.send opens a DM channel and posts into it", async () => {
    const user = await client.users.fetch(ADA.id);
    const message = await user.send("welcome");
    const open = fake.callsTo("POST", "/users/@me/channels")[0];
    expect(open?.body).toEqual({ recipient_id: ADA.id });
    expect(fake.callsTo("POST", `/channels/${message.channelId}/messages`)[0]?.body).toMatchObject({ content: "welcome" });
  });


  it("enforce_nonce: the same nonce within the window returns the first message and creates none; after it, or without enforce_nonce, a second is created", async () => {
    const user = await client.users.fetch(GRACE.id);
    const channelId = (await user.createDM()).id;
    const post = (body: Record<string, unknown>) => client.rest.post(Routes.channelMessages(channelId), { body }) as Promise<{ id: string; nonce?: string }>;
    const first = await post({ content: "reminder", nonce: "delivery-1", enforce_nonce: true });
    expect(first.nonce).toBe("delivery-1");
    expect((await post({ content: "reminder", nonce: "delivery-1", enforce_nonce: true })).id).toBe(first.id);
    expect((await post({ content: "reminder", nonce: "delivery-1" })).id).not.toBe(first.id);
    const read = (await client.rest.get(Routes.channelMessages(channelId))) as { id: string; nonce?: string }[];
    expect(read.map((m) => m.id)).toContain(first.id);
    expect(read.every((m) => m.nonce === undefined)).toBe(true);
    fake.state.nonces.windowMs = 0;
    try {
      expect((await post({ content: "reminder", nonce: "delivery-1", enforce_nonce: true })).id).not.toBe(first.id);
    } finally {
      fake.state.nonces.windowMs = 120_000;
    }
    await expect(post({ content: "reminder", nonce: "x".repeat(26), enforce_nonce: true })).rejects.toThrow(/25 or fewer/);
  });
  it("member.roles.add after fetching the member, and unknown members are 10007", async () => {
    const guild = client.guilds.cache.get(GUILD);
    const member = await guild?.members.fetch(GRACE.id);
    await member?.roles.add(MEMBER_ROLE);
    expect(fake.callsTo("PUT", `/guilds/${GUILD}/members/${GRACE.id}/roles/${MEMBER_ROLE}`)).toHaveLength(1);
    expect(fake.state.member(GUILD, GRACE.id)?.roles).toEqual([MEMBER_ROLE]);
    await expect(guild?.members.fetch("599999999999999999")).rejects.toMatchObject({ code: 10007, status: 404 });
  });

  it("editing a member's roles (PATCH with roles) checks role order and Manage Roles as PUT does: 403 / 50013", async () => {
    const guild = fake.state.guild(GUILD)!;
    const bot = fake.state.member(GUILD, fake.botUser.id)!;
    const owner = guild.ownerId;
    // The bot is not the owner: its role (position 2, Manage Roles) sits between Member and Staff.
    guild.ownerId = GRACE.id;
    bot.roles = [BOT_ROLE];
    try {
      fake.state.upsertMember(GUILD, { id: ADA.id, username: ADA.username }, []);
      const ada = await client.guilds.cache.get(GUILD)!.members.fetch({ user: ADA.id, force: true });
      await ada.roles.set([MEMBER_ROLE]);
      expect(fake.state.member(GUILD, ADA.id)?.roles).toEqual([MEMBER_ROLE]);

      // Adding a role above the bot's highest refuses the whole edit, the allowed part too.
      const patches = fake.callsTo("PATCH", `/guilds/${GUILD}/members/${ADA.id}`).length;
      await expect(ada.roles.set([STAFF_ROLE])).rejects.toMatchObject({ code: 50013, status: 403 });
      expect(fake.callsTo("PATCH", `/guilds/${GUILD}/members/${ADA.id}`)).toHaveLength(patches + 1);
      expect(fake.state.member(GUILD, ADA.id)?.roles).toEqual([MEMBER_ROLE]);

      // Removing one is refused too; keeping it while changing only lower roles is allowed.
      fake.state.member(GUILD, ADA.id)!.roles = [MEMBER_ROLE, STAFF_ROLE];
      await expect(ada.edit({ roles: [MEMBER_ROLE] })).rejects.toMatchObject({ code: 50013, status: 403 });
      await ada.edit({ roles: [STAFF_ROLE] });
      expect(fake.state.member(GUILD, ADA.id)?.roles).toEqual([STAFF_ROLE]);

      // Without Manage Roles even a role below the bot's is refused; the owner may do anything.
      guild.roles.find((r) => r.id === BOT_ROLE)!.permissions = "0";
      await expect(ada.edit({ roles: [STAFF_ROLE, MEMBER_ROLE] })).rejects.toMatchObject({ code: 50013, status: 403 });
      guild.ownerId = fake.botUser.id;
      await ada.edit({ roles: [STAFF_ROLE, MEMBER_ROLE] });
      expect(fake.state.member(GUILD, ADA.id)?.roles).toEqual([STAFF_ROLE, MEMBER_ROLE]);
    } finally {
      guild.ownerId = owner;
      guild.roles.find((r) => r.id === BOT_ROLE)!.permissions = MANAGE_ROLES;
      bot.roles = [];
    }
  });

  it("failNext 403 makes discord.js reject with Missing Permissions (50013)", async () => {
    fake.failNext((c) => c.method === "POST" && c.path === `/channels/${TEXT}/messages`, { status: 403 });
    const channel = client.channels.cache.get(TEXT);
    if (!channel?.isSendable()) throw new Error("text channel missing");
    const error: unknown = await channel.send("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50013, status: 403 });
  });

  it("429 bodies carry message, code, retry_after and global, as Discord's do", async () => {
    const path = `/channels/${TEXT}/messages`;
    fake.failNext((c) => c.method === "POST" && c.path === path, { status: 429, body: { retry_after: 0.05 } });
    const channel = client.channels.cache.get(TEXT);
    if (!channel?.isSendable()) throw new Error("text channel missing");
    await channel.send("after the limit");
    const limited = fake.callsTo("POST", path).find((c) => c.response?.status === 429);
    expect(limited?.response?.body).toEqual({ message: "You are being rate limited.", code: 0, retry_after: 0.05, global: false });
  });

  it("failNext 429 with retry_after is waited out and retried by discord.js", async () => {
    const path = `/channels/${TEXT}/messages`;
    const before = fake.callsTo("POST", path).length;
    fake.failNext((c) => c.method === "POST" && c.path === path, { status: 429, body: { message: "You are being rate limited.", retry_after: 0.2, global: false } });
    const channel = client.channels.cache.get(TEXT);
    if (!channel?.isSendable()) throw new Error("text channel missing");
    const started = Date.now();
    await channel.send("eventually");
    expect(fake.callsTo("POST", path).length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("enforces Discord's rules: one callback per interaction, 2000-character content, unknown routes", async () => {
    const handled = handleNext(async () => undefined);
    const { id, token } = fake.sendSlashCommand({ ...where, name: "points" });
    await handled;
    const route = Routes.interactionCallback(id, token);
    await client.rest.post(route, { body: { type: 4, data: { content: "one" } }, auth: false });
    await expect(client.rest.post(route, { body: { type: 4, data: { content: "two" } }, auth: false })).rejects.toMatchObject({ code: 40060 });
    const channel = client.channels.cache.get(TEXT);
    if (!channel?.isSendable()) throw new Error("text channel missing");
    await expect(channel.send("x".repeat(2001))).rejects.toMatchObject({ code: 50035 });
    await expect(client.rest.get("/no/such/route")).rejects.toMatchObject({ status: 404, code: 0 });
    expect(fake.callsTo("GET", "/no/such/route")).toHaveLength(1);
  });

  it("registered commands keep their ids, and interactions carry them", async () => {
    const saved = await client.application?.commands.set([{ name: "catalog", description: "Browse the catalog" }], GUILD);
    const commandId = saved?.first()?.id;
    const handled = handleNext(async (i) => (i.isChatInputCommand() ? i.commandId : undefined));
    fake.sendSlashCommand({ ...where, name: "catalog" });
    expect(await handled).toBe(commandId);
    await expect(client.application?.commands.set([{ name: "Bad Name", description: "x" }])).rejects.toMatchObject({ code: 50035 });
  });

  it("waitForCall rejects with the list of recorded calls", async () => {
    await expect(fake.waitForCall((c) => c.path === "/never", 30)).rejects.toThrow(/Recorded calls:\n {2}GET \/gateway\/bot/);
  });

  it("holdNext records a call at once and answers it only when released", async () => {
    const release = fake.holdNext((c) => c.method === "GET" && c.path === `/guilds/${GUILD}/roles`);
    let answered = false;
    const request = client.rest.get(Routes.guildRoles(GUILD)).then(() => (answered = true));
    await fake.waitForCall((c) => c.path === `/guilds/${GUILD}/roles`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    release();
    await request;
    expect(answered).toBe(true);
  });

  it("with an Interactions Endpoint URL, interactions go there signed and a 200 answer is applied as the callback", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const received: { body: string; signature: string; timestamp: string }[] = [];
    const endpoint = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += String(chunk)));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["x-signature-ed25519"]), timestamp: String(req.headers["x-signature-timestamp"]) });
        const interaction = JSON.parse(body) as { type: number };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(interaction.type === 1 ? { type: 1 } : { type: 4, data: { content: "over HTTP", flags: 64 } }));
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    fake.useInteractionsEndpoint(`http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/discord/interactions`, privateKey);
    try {
      expect(await fake.sendPing()).toMatchObject({ status: 200, body: { type: 1 } });
      const sent = fake.sendSlashCommand({ ...where, name: "points" });
      expect(await sent.delivered).toMatchObject({ status: 200, body: { type: 4 } });
      for (const r of received) expect(verify(null, Buffer.from(r.timestamp + r.body), publicKey, Buffer.from(r.signature, "hex"))).toBe(true);
      expect(JSON.parse(received[1]!.body)).toMatchObject({ id: sent.id, token: sent.token, type: 2, guild_id: GUILD, data: { name: "points" } });
      const callback = fake.callsTo("POST", `/interactions/${sent.id}/${sent.token}/callback`)[0];
      expect(callback).toMatchObject({ body: { type: 4, data: { content: "over HTTP" } }, response: { status: 204 } });
      expect(fake.state.originalMessage(sent.token)).toMatchObject({ content: "over HTTP", flags: 64 });
    } finally {
      fake.useInteractionsEndpoint(undefined);
      endpoint.close();
    }
  });
});
