// Discord gateway shards (issue 15) with the real discord.js client against the fake gateway,
// which routes each guild's events to shard (guild_id >> 22) % count as Discord does.
// One process (the embedded database) holds every shard; processes sharing PostgreSQL split
// them through lease rows, and a stopping one hands its shards over at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { CommunityConfig } from "../../src/config/communities.js";
import { assemble } from "../../src/core/assemble.js";
import { defineCommand } from "../../src/core/command.js";
import { reply } from "../../src/core/reply.js";
import { type RunningApp, startApp } from "../../src/app.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { testConfig } from "../support/app.js";
import { freshDatabase, testDatabaseUrl, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";
import { withOnly } from "../support/test-commands.js";

// 4 << 22 and 5 << 22: of two shards, the first guild is shard 0's and the second shard 1's.
const GUILDS = [
  { id: "16777216", channel: "300000000000000001" },
  { id: "20971520", channel: "300000000000000002" },
];
const ADA = { id: "500000000000000001", username: "ada" };

const community = (slug: string, guildId: string): CommunityConfig => ({ slug, name: slug, timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS, discord: { guildId, creatorRoleIds: [], adminRoleIds: [] } });
const communities = GUILDS.map((g, i) => community(`c${i}`, g.id));
const startFake = () => startFakeDiscord({ shards: 2, guilds: GUILDS.map((g) => ({ id: g.id, name: g.id, channels: [{ id: g.channel, name: "general" }] })) });

/** Sends /help in the guild on `shard` and waits for its answer; returns how many answers it got. */
async function helpOn(fake: FakeDiscord, shard: number, timeoutMs = 10_000): Promise<number> {
  const guild = GUILDS[shard]!;
  const sent = fake.sendSlashCommand({ guildId: guild.id, channelId: guild.channel, user: ADA, name: "help" });
  const path = `/interactions/${sent.id}/${sent.token}/callback`;
  await fake.waitForCall((c) => c.path === path, timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, 100)); // room for a second, wrong answer
  return fake.calls.filter((c) => c.path === path).length;
}

const sortedShards = (fake: FakeDiscord) => fake.identifiedShards().map((s) => s.join("/")).sort();

describe("one process on the embedded database", () => {
  let fake: FakeDiscord;
  let app: RunningApp;
  beforeAll(async () => {
    fake = await startFake();
    app = await startApp({ config: { ...testConfig({ DISCORD_TOKEN: "fake.discord.token", DISCORD_API_URL: fake.apiUrl }), http: { port: 0, explicit: true }, communities }, httpHost: "127.0.0.1", log: quietLogger() });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it("holds every shard Discord recommends, one session each, and answers in every guild", async () => {
    expect(sortedShards(fake)).toEqual(["0/2", "1/2"]);
    const health = await (await fetch(`http://127.0.0.1:${app.http!.port}/healthz`)).json();
    expect(health).toMatchObject({ status: "ok", discordShards: [0, 1] });
    const metrics = await (await fetch(`http://127.0.0.1:${app.http!.port}/metrics`)).text();
    expect(metrics).toMatch(/^guildhall_shard_leases_held 2$/m);
    expect(await helpOn(fake, 0)).toBe(1);
    expect(await helpOn(fake, 1)).toBe(1);
  });

  it("while stopping, /healthz answers 503 draining until the running interaction is answered", { timeout: 60_000 }, async () => {
    const guild = GUILDS[1]!;
    const release = fake.holdNext((c) => c.method === "POST" && c.path.endsWith("/callback"));
    const sent = fake.sendSlashCommand({ guildId: guild.id, channelId: guild.channel, user: ADA, name: "help" });
    const callback = `/interactions/${sent.id}/${sent.token}/callback`;
    await fake.waitForCall((c) => c.path === callback);
    const port = app.http!.port;
    const stopped = app.stop();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "draining" });
    release();
    await stopped;
    expect(fake.identifiedShards()).toEqual([]);
    expect(fake.callsTo("POST", callback)).toHaveLength(1);
  });
});

describe.skipIf(!testDatabaseUrl())("processes sharing PostgreSQL split the shards", () => {
  let fake: FakeDiscord;
  let database: TestDatabase;
  const pools: Database[] = [];
  const adapters: DiscordAdapter[] = [];
  const help = defineCommand({ name: "help", description: "Answers", handler: () => reply.ephemeral("here") });

  /** A process's Discord side: its own pool, runtime and holder name, leases checked every 100 ms. */
  async function process(holder: string, shardCount?: number): Promise<DiscordAdapter> {
    const pool = await openDatabase(database.target, quietLogger());
    pools.push(pool);
    const runtime = assemble({ capabilities: withOnly([help]), db: pool.prisma, communities, log: quietLogger() });
    const adapter = new DiscordAdapter({ config: { token: "fake.discord.token", apiUrl: fake.apiUrl, ...(shardCount ? { shardCount } : {}) }, dispatcher: runtime.dispatcher, registry: runtime.registry, log: quietLogger(), shardLeases: { db: pool.prisma, holder, passEveryMs: 100 } });
    adapters.push(adapter);
    await adapter.start();
    return adapter;
  }

  beforeAll(async () => {
    fake = await startFake();
    database = await freshDatabase("postgres");
  });
  afterAll(async () => {
    for (const a of adapters) await a.stop();
    for (const p of pools) await p.close();
    await database?.dispose();
    await fake?.close();
  });

  it("a lone process holds both shards; a second one gets one of them; each guild's command is answered once; a stopping one hands over at once", { timeout: 90_000 }, async () => {
    const a = await process("process-a");
    expect(a.heldShards()).toEqual([0, 1]);
    expect(sortedShards(fake)).toEqual(["0/2", "1/2"]);

    const b = await process("process-b");
    // Two shards over two processes: one each, and the giver has closed its extra session.
    await expect.poll(() => [a.heldShards().length, b.heldShards().length], { timeout: 20_000 }).toEqual([1, 1]);
    await expect.poll(() => sortedShards(fake), { timeout: 20_000 }).toEqual(["0/2", "1/2"]);
    expect([...a.heldShards(), ...b.heldShards()].sort()).toEqual([0, 1]);
    expect(await helpOn(fake, 0)).toBe(1);
    expect(await helpOn(fake, 1)).toBe(1);

    const stoppedAt = Date.now();
    await a.stop();
    await expect.poll(() => b.heldShards(), { timeout: 10_000, interval: 20 }).toEqual([0, 1]);
    const handOverMs = Date.now() - stoppedAt;
    console.info(`shard hand-over after stop: ${handOverMs} ms (passes every 100 ms)`);
    expect(handOverMs).toBeLessThan(2_000);
    await expect.poll(() => sortedShards(fake), { timeout: 10_000 }).toEqual(["0/2", "1/2"]);
    expect(await helpOn(fake, 0)).toBe(1);
    expect(await helpOn(fake, 1)).toBe(1);
  });

  it("a process that arrives at another shard count uses the one the running processes use, so no shard is connected twice", { timeout: 60_000 }, async () => {
    // The first test left one process holding both shards of two.
    const running = adapters.filter((a) => a.heldShards().length > 0);
    expect(running).toHaveLength(1);
    const c = await process("process-c", 3);
    await expect.poll(() => [running[0]!.heldShards().length, c.heldShards().length], { timeout: 20_000 }).toEqual([1, 1]);
    await expect.poll(() => sortedShards(fake), { timeout: 20_000 }).toEqual(["0/2", "1/2"]);
    expect(await helpOn(fake, 0)).toBe(1);
    expect(await helpOn(fake, 1)).toBe(1);
  });

});
