// Gateway shards across real Guildhall processes on one PostgreSQL database (issue 15):
// SIGKILL the holder of a shard and another process holds it within 30 s and answers new
// interactions; SIGTERM one and its shard is connected elsewhere within 2 s, while /healthz
// says "draining" and the interaction it was answering still gets its answer. Each process
// is `guildhall start` as a user runs it, against the fake Discord (two shards). Slow (the
// processes start, and a killed holder's lease takes 15 s to run out): load project only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { freshDatabase, testDatabaseUrl, type TestDatabase } from "../support/databases.js";
import { IDENTIFY_WINDOW_MS } from "../../src/platform/discord/shards/identify-gate.js";
import { type GuildhallProcess, GuildhallProcesses, guildhallEnv } from "../support/guildhall-process.js";

// 4 << 22 and 5 << 22: of two shards, the first guild is shard 0's and the second shard 1's.
const GUILDS = [
  { id: "16777216", channel: "300000000000000001" },
  { id: "20971520", channel: "300000000000000002" },
];
const ADA = { id: "500000000000000001", username: "ada" };
type Bot = GuildhallProcess;

describe.skipIf(!testDatabaseUrl())("shards hand over between Guildhall processes", () => {
  let fake: FakeDiscord;
  let database: TestDatabase;
  let env: Record<string, string | undefined>;
  const processes = new GuildhallProcesses(() => env);

  const startBot = (): Promise<Bot> => processes.start();

  const healthOf = async (bot: Bot) => {
    const response = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    return { code: response.status, ...((await response.json()) as { status: string; discordShards: number[] }) };
  };
  const shardsOf = async (bot: Bot) => (await healthOf(bot)).discordShards;
  /** The process's guildhall_shard_leases_held, as Prometheus scrapes it. */
  const gaugeOf = async (bot: Bot) => Number(/^guildhall_shard_leases_held (\d+)$/m.exec(await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text())?.[1]);
  /** Sessions the fake has open on `shard`, whichever process holds them. */
  const sessionsOn = (shard: number) => fake.identifiedShards().filter(([id]) => id === shard).length;

  /** Sends /help in the guild on `shard`; resolves with how many answers it got once one arrived. */
  async function helpOn(shard: number): Promise<number> {
    const guild = GUILDS[shard]!;
    const sent = fake.sendSlashCommand({ guildId: guild.id, channelId: guild.channel, user: ADA, name: "help" });
    const path = `/interactions/${sent.id}/${sent.token}/callback`;
    await fake.waitForCall((c) => c.path === path, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a second, wrong answer
    return fake.calls.filter((c) => c.path === path).length;
  }

  beforeAll(async () => {
    fake = await startFakeDiscord({ shards: 2, guilds: GUILDS.map((g) => ({ id: g.id, name: g.id, channels: [{ id: g.channel, name: "general" }] })) });
    database = await freshDatabase("postgres");
    env = guildhallEnv({ databaseUrl: database.target.kind === "postgres" ? database.target.url : "", discordApiUrl: fake.apiUrl, communities: GUILDS.map((g, i) => ({ slug: `c${i}`, name: `Community ${i}`, discord: { guildId: g.id, creatorRoleIds: [] } })) });
  }, 60_000);
  afterAll(async () => {
    await processes.killAll();
    await database?.dispose();
    await fake?.close();
  });

  let survivor: Bot;

  it("SIGKILL the holder of a shard: another process holds it within 30 s and answers its interactions", { timeout: 240_000 }, async () => {
    const first = await startBot();
    expect(await shardsOf(first)).toEqual([0, 1]);
    survivor = await startBot();
    await expect.poll(async () => [(await shardsOf(first)).length, (await shardsOf(survivor)).length], { timeout: 30_000, interval: 200 }).toEqual([1, 1]);
    const [shard] = await shardsOf(first);
    await expect.poll(() => sessionsOn(shard!), { timeout: 30_000 }).toBe(1);
    expect([await gaugeOf(first), await gaugeOf(survivor)]).toEqual([1, 1]);
    expect(await helpOn(shard!)).toBe(1);

    const killedAt = Date.now();
    first.child.kill("SIGKILL");
    await first.exited;
    await expect.poll(async () => (await shardsOf(survivor)).includes(shard!), { timeout: 45_000, interval: 200 }).toBe(true);
    const servedAfterMs = Date.now() - killedAt;
    console.info(`after SIGKILL: the other process serves the shard after ${servedAfterMs} ms (its lease lasts 15 s)`);
    expect(servedAfterMs).toBeLessThanOrEqual(30_000);
    expect(sessionsOn(shard!)).toBe(1);
    expect(await gaugeOf(survivor)).toBe(2);
    expect(await helpOn(shard!)).toBe(1);
  });

  it("SIGTERM: /healthz answers 503 draining, the shard is connected elsewhere within 2 s, and the running interaction is still answered", { timeout: 240_000 }, async () => {
    const leaving = await startBot();
    await expect.poll(async () => [(await shardsOf(survivor)).length, (await shardsOf(leaving)).length], { timeout: 30_000, interval: 200 }).toEqual([1, 1]);
    const [shard] = await shardsOf(leaving);
    await expect.poll(() => sessionsOn(shard!), { timeout: 30_000 }).toBe(1);

    // An interaction the leaving process is answering: its reply is held back by the fake.
    const release = fake.holdNext((c) => c.method === "POST" && c.path.endsWith("/callback"));
    const guild = GUILDS[shard!]!;
    const running = fake.sendSlashCommand({ guildId: guild.id, channelId: guild.channel, user: ADA, name: "help" });
    const runningPath = `/interactions/${running.id}/${running.token}/callback`;
    await fake.waitForCall((c) => c.path === runningPath, 20_000);

    // Discord refuses a second identify in a bucket within 5 s (here each shard is its own
    // bucket), and the leaving process has just identified this shard: the survivor would wait
    // for Discord's limit, not for Guildhall. Hand over once Discord would take its identify.
    const identified = fake.identifies().filter((i) => !i.refused && i.shard[0] === shard).map((i) => i.at);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.max(...identified) + IDENTIFY_WINDOW_MS - Date.now())));

    const termAt = Date.now();
    leaving.child.kill("SIGTERM");
    await expect.poll(async () => (await healthOf(leaving)).code, { timeout: 5_000, interval: 50 }).toBe(503);
    expect((await healthOf(leaving)).status).toBe("draining");
    // The leaving process is still connected while it drains; the survivor's session joins it.
    await expect.poll(() => sessionsOn(shard!), { timeout: 10_000, interval: 20 }).toBe(2);
    const handOverMs = Date.now() - termAt;
    expect((await healthOf(leaving)).status).toBe("draining");
    expect(await shardsOf(survivor)).toEqual([0, 1]);
    console.info(`after SIGTERM: shard connected by the other process in ${handOverMs} ms`);
    expect(handOverMs).toBeLessThan(2_000);
    expect(await helpOn(shard!)).toBe(1);

    release();
    expect(await leaving.exited).toBe(0);
    expect(fake.calls.filter((c) => c.path === runningPath)).toHaveLength(1);
    expect(sessionsOn(shard!)).toBe(1);
  });
});
