import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { allCommands } from "../../src/capabilities.js";
import { discordCommandsPayload } from "../../src/platform/discord/command-payloads.js";
import { deployDiscordCommands } from "../../src/platform/discord/deploy-commands.js";
import type { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import type { FakeDiscord } from "../fakes/discord/index.js";
import { testConfig } from "../support/app.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { ADA, acmeCommunity, CREATOR_ROLE, EPHEMERAL, GENERAL, GUILD, run, shown, startAcmeDiscord, startDiscordAdapter } from "../support/discord.js";
import { memoryLogger, quietLogger } from "../support/logger.js";
import { testOnlyCommands } from "../support/test-commands.js";

describe("Discord end to end (the real discord.js client against the fake gateway and REST)", () => {
  let fake: FakeDiscord;
  let app: RunningApp;
  beforeAll(async () => {
    fake = await startAcmeDiscord();
    const config = { ...testConfig({ DISCORD_TOKEN: "fake.discord.token", DISCORD_API_URL: fake.apiUrl }), communities: [acmeCommunity()] };
    app = await startApp({ config, log: quietLogger() });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it("/help answers privately with every command and its options, without pinging anyone", async () => {
    const { callback } = await run(fake, "help");
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(shown(callback)).toContain("/link [code]");
    expect(shown(callback)).toContain("/community");
  });

  it("runs a command with options", async () => {
    const { callback } = await run(fake, "help", { options: [{ name: "command", type: 3, value: "link" }] });
    expect(callback.body.data.embeds[0].title).toBe("/link");
    expect(shown(callback)).toContain("`code` (optional)");
  });

  it("checks options on the server and says which one is wrong", async () => {
    const { callback } = await run(fake, "link", { options: [{ name: "code", type: 3, value: "abc" }] });
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    expect(shown(callback)).toBe("`code` is too short: 3 characters, it needs at least 8.");
  });

  it("refuses a creator-only command to a member and runs it for the creator role", async () => {
    const member = await run(fake, "community");
    expect(shown(member.callback)).toBe("Only creators can use /community.");
    expect(member.callback.body.data.flags).toBe(EPHEMERAL);
    const creator = await run(fake, "community", { memberRoles: [CREATOR_ROLE] });
    expect(shown(creator.callback)).toContain("Acme Academy");
    expect(shown(creator.callback)).toContain("Platforms: discord: Acme");
  });

  it("gives capabilities a Discord chat poster", async () => {
    await app.services.chat.discord!.post(GUILD, GENERAL, { text: "Posted by a capability" });
    const posted = await fake.waitForCall((c) => c.method === "POST" && c.path === `/channels/${GENERAL}/messages` && c.body?.content === "Posted by a capability");
    expect(posted.headers.authorization).toBe("Bot fake.discord.token");
    expect(app.services.chat.playground).toBeUndefined();
  });

  it("treats Discord's Administrator permission as admin", async () => {
    const { callback } = await run(fake, "whoami", { memberPermissions: "8" });
    expect(shown(callback)).toContain("Role: admin");
  });
});

describe("Discord adapter behaviour", () => {
  let fake: FakeDiscord;
  let db: TestDatabase;
  let adapter: DiscordAdapter;
  const logs = memoryLogger();
  beforeAll(async () => {
    fake = await startAcmeDiscord();
    db = await freshDatabase("pglite");
    adapter = await startDiscordAdapter({ fake, db: db.prisma, commands: [...allCommands, ...testOnlyCommands], log: logs.log, ackAfterMs: 100 });
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    await db?.dispose();
  });

  it("defers a slow command within the deadline, then edits in the answer", async () => {
    const { sent, callback } = await run(fake, "slow", { options: [{ name: "ms", type: 4, value: 400 }, { name: "public", type: 5, value: true }] });
    expect(callback.body.type).toBe(5);
    expect(callback.body.data?.flags ?? 0).toBe(0);
    const edit = await fake.waitForCall((c) => c.method === "PATCH" && c.path === `/webhooks/${fake.applicationId}/${sent.token}/messages/@original`);
    expect(edit.body.content).toBe("slow and public");
    expect(edit.at - callback.at).toBeGreaterThanOrEqual(250);
  });

  it("replaces a public placeholder with a private answer when a slow command turns out private", async () => {
    const { sent, callback } = await run(fake, "slow", { options: [{ name: "ms", type: 4, value: 300 }] });
    expect(callback.body.type).toBe(5);
    await fake.waitForCall((c) => c.method === "DELETE" && c.path === `/webhooks/${fake.applicationId}/${sent.token}/messages/@original`);
    const followUp = await fake.waitForCall((c) => c.method === "POST" && c.path === `/webhooks/${fake.applicationId}/${sent.token}`);
    expect(followUp.body.content).toBe("slow but private");
    expect(followUp.body.flags).toBe(EPHEMERAL);
  });

  it("opens a thread with the first message, and sends a direct message", async () => {
    const { callback } = await run(fake, "discuss", { options: [{ name: "topic", type: 3, value: "Borrow checker" }] });
    expect(callback.body.data.content).toBe("Thread for Borrow checker");
    const thread = await fake.waitForCall((c) => c.method === "POST" && c.path === `/channels/${GENERAL}/threads`);
    expect(thread.body.name).toBe("Borrow checker");
    const first = await fake.waitForCall((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && c.body.content === "Discuss Borrow checker here");
    expect(first.path).not.toBe(`/channels/${GENERAL}/messages`);
    const dm = await fake.waitForCall((c) => c.method === "POST" && c.path === "/users/@me/channels");
    expect(dm.body.recipient_id).toBe(ADA.id);
    await fake.waitForCall((c) => c.method === "POST" && c.body?.content === "We opened your thread.");
  });

  it("tells the member privately when their DMs are closed", async () => {
    fake.failNext((c) => c.method === "POST" && c.path.startsWith("/channels/") && c.body?.content === "We opened your thread.", { status: 403, body: { code: 50007, message: "Cannot send messages to this user" } });
    const { sent } = await run(fake, "discuss", { options: [{ name: "topic", type: 3, value: "Lifetimes" }] });
    const note = await fake.waitForCall((c) => c.method === "POST" && c.path === `/webhooks/${fake.applicationId}/${sent.token}`);
    expect(note.body.content).toContain("your DMs are closed");
    expect(note.body.flags).toBe(EPHEMERAL);
  });

  it("apologises with an error id for an unexpected failure and logs it with context", async () => {
    const { callback } = await run(fake, "crash");
    const text = shown(callback);
    const id = /`(E-[A-Z0-9]{6})`/.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    const logged = logs.lines().map((l) => JSON.parse(l)).find((l) => l.errorId === id);
    expect(logged).toMatchObject({ command: "crash", platform: "discord", space: GUILD, user: ADA.id, msg: "command failed" });
    expect(logged.err.message).toBe("database on fire");
  });

  it("routes a button click to its action, with the value the button carried", async () => {
    const poll = await run(fake, "poll");
    expect(poll.callback.body.data.components[0].components[0]).toMatchObject({ custom_id: "gh:vote:yes", label: "Yes" });
    const click = fake.sendButtonClick({ guildId: GUILD, channelId: GENERAL, user: ADA, customId: "gh:vote:yes" });
    const answer = await fake.waitForCall((c) => c.method === "POST" && c.path === `/interactions/${click.id}/${click.token}/callback`);
    expect(answer.body).toMatchObject({ type: 4, data: { content: "Ada voted yes.", flags: EPHEMERAL } });
  });

  it("checks a button's permission and answers an unknown button kindly", async () => {
    const closing = fake.sendButtonClick({ guildId: GUILD, channelId: GENERAL, user: ADA, customId: "gh:close-poll:1" });
    const refused = await fake.waitForCall((c) => c.method === "POST" && c.path === `/interactions/${closing.id}/${closing.token}/callback`);
    expect(refused.body.data.content).toBe("Only creators can use this button.");
    const stale = fake.sendButtonClick({ guildId: GUILD, channelId: GENERAL, user: ADA, customId: "gh:gone:1" });
    const answer = await fake.waitForCall((c) => c.method === "POST" && c.path === `/interactions/${stale.id}/${stale.token}/callback`);
    expect(answer.body.data.content).toBe("That button is no longer active.");
  });

  it("never lets echoed text ping @everyone or roles", async () => {
    const { callback } = await run(fake, "echo", { options: [{ name: "text", type: 3, value: "@everyone <@&300000000000000001> look" }] });
    expect(callback.body.data.content).toBe("@everyone <@&300000000000000001> look");
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [] });
  });
});

describe("npx guildhall deploy-commands", () => {
  it("bulk-overwrites the guild's commands with the generated payload", async () => {
    const fake = await startAcmeDiscord();
    try {
      const count = await deployDiscordCommands({ token: "fake.discord.token", apiUrl: fake.apiUrl, applicationId: fake.applicationId }, allCommands, GUILD);
      expect(count).toBe(allCommands.length);
      const put = fake.callsTo("PUT", `/applications/${fake.applicationId}/guilds/${GUILD}/commands`)[0]!;
      expect(put.body).toEqual(JSON.parse(JSON.stringify(discordCommandsPayload(allCommands))));
      expect(put.headers.authorization).toBe("Bot fake.discord.token");
    } finally {
      await fake.close();
    }
  });
});

describe("Discord autocomplete", () => {
  it("suggests catalog items as the member types, and nothing for unknown text", async () => {
    const fake = await startAcmeDiscord();
    const db = await freshDatabase("pglite");
    const adapter = await startDiscordAdapter({ fake, db: db.prisma, commands: allCommands, log: quietLogger() });
    try {
      const community = await db.prisma.community.upsert({ where: { slug: "acme" }, create: { slug: "acme", name: "Acme" }, update: {} });
      const item = { communityId: community.id, title: "Async Rust", description: "", stripeProductId: "prod_1", mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [], slackChannelIds: [] };
      await db.prisma.catalogItem.create({ data: { ...item, name: "async-rust", stripePriceId: "price_1" } });
      await db.prisma.catalogItem.create({ data: { ...item, name: "go-basics", title: "Go basics", stripePriceId: "price_2" } });
      const ask = async (typed: string) => {
        const sent = fake.sendAutocomplete({ guildId: GUILD, channelId: GENERAL, user: ADA, name: "buy", options: [{ name: "item", type: 3, value: typed }], focused: "item" });
        return (await fake.waitForCall((c) => c.method === "POST" && c.path === `/interactions/${sent.id}/${sent.token}/callback`)).body;
      };
      expect(await ask("as")).toEqual({ type: 8, data: { choices: [{ name: "Async Rust (€49.00)", value: "async-rust" }] } });
      expect((await ask("zz")).data.choices).toEqual([]);
    } finally {
      await adapter.stop();
      await fake.close();
      await db.dispose();
    }
  });
});
