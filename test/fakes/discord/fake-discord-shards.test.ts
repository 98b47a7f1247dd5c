// Self-test of the fake gateway's sharding, with real discord.js clients: Discord routes a
// guild's events to shard (guild_id >> 22) % num_shards, and every session that identified
// as that shard hears them.
import { Client, Events, GatewayIntentBits, type Interaction } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { shardOfGuild } from "./shards.js";
import { type FakeDiscord, startFakeDiscord } from "./index.js";

// 4 << 22 and 5 << 22: with two shards, the first guild is shard 0's, the second shard 1's.
const GUILD_ON_0 = "16777216";
const GUILD_ON_1 = "20971520";
const CHANNEL_ON_0 = "300000000000000001";
const CHANNEL_ON_1 = "300000000000000002";
const ADA = { id: "500000000000000001", username: "ada" };

let fake: FakeDiscord;
const clients: Client[] = [];

/** A logged-in client; `shards` as discord.js takes them, or none (it then identifies as [0, 1]). */
async function connect(shards?: number[]): Promise<{ client: Client; heard: string[] }> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, ...(shards ? { shards, shardCount: 2 } : {}) });
  clients.push(client);
  const heard: string[] = [];
  client.on(Events.InteractionCreate, (i: Interaction) => void heard.push(i.guildId ?? "dm"));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login("fake.shard.token");
  await ready;
  return { client, heard };
}

beforeAll(async () => {
  fake = await startFakeDiscord({
    shards: 2,
    guilds: [
      { id: GUILD_ON_0, name: "Even", channels: [{ id: CHANNEL_ON_0, name: "general" }] },
      { id: GUILD_ON_1, name: "Odd", channels: [{ id: CHANNEL_ON_1, name: "general" }] },
    ],
  });
});
afterAll(async () => {
  for (const c of clients) await c.destroy();
  await fake?.close();
});

describe("fake Discord gateway with shards", () => {
  it("computes a guild's shard as Discord documents it", () => {
    // Serenity's documented example: guild 81384788765712384 among 17 shards is on shard 7.
    expect(shardOfGuild("81384788765712384", 17)).toBe(7);
    expect(shardOfGuild(GUILD_ON_0, 2)).toBe(0);
    expect(shardOfGuild(GUILD_ON_1, 2)).toBe(1);
  });

  it("GET /gateway/bot recommends the configured shard count", async () => {
    const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: "Bot fake.shard.token" } });
    expect(await response.json()).toMatchObject({ shards: 2, url: expect.stringMatching(/^ws:/) });
  });

  it("each shard's session is told of its own guilds and hears only their events; an unsharded session hears all", async () => {
    const zero = await connect([0]);
    const one = await connect([1]);
    const whole = await connect();
    expect([...zero.client.guilds.cache.keys()]).toEqual([GUILD_ON_0]);
    expect([...one.client.guilds.cache.keys()]).toEqual([GUILD_ON_1]);
    expect([...whole.client.guilds.cache.keys()].sort()).toEqual([GUILD_ON_0, GUILD_ON_1]);
    expect(fake.identifiedShards()).toEqual(expect.arrayContaining([[0, 2], [1, 2], [0, 1]]));

    fake.sendSlashCommand({ guildId: GUILD_ON_0, channelId: CHANNEL_ON_0, user: ADA, name: "ping" });
    fake.sendSlashCommand({ guildId: GUILD_ON_1, channelId: CHANNEL_ON_1, user: ADA, name: "ping" });
    await expect.poll(() => whole.heard.length).toBe(2);
    await expect.poll(() => zero.heard.length + one.heard.length).toBe(2);
    expect(zero.heard).toEqual([GUILD_ON_0]);
    expect(one.heard).toEqual([GUILD_ON_1]);
  });

  it("two sessions on the same shard both hear its events, as several processes on one token do", async () => {
    const first = await connect([1]);
    const second = await connect([1]);
    fake.sendSlashCommand({ guildId: GUILD_ON_1, channelId: CHANNEL_ON_1, user: ADA, name: "ping" });
    await expect.poll(() => [first.heard.length, second.heard.length]).toEqual([1, 1]);
  });

  it("IDENTIFY with a shard outside [0, count) is closed with 4010 Invalid shard", async () => {
    const url = `${fake.apiUrl.replace(/^http/, "ws").replace(/\/api$/, "")}/gateway`;
    const socket = new WebSocket(url);
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    socket.on("message", () => socket.send(JSON.stringify({ op: 2, d: { token: "fake.shard.token", intents: 1, properties: {}, shard: [2, 2] } })));
    expect(await closed).toBe(4010);
  });
});
