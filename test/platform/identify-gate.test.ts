// Gateway identifies spaced as Discord requires (issue 15): with max_concurrency 1, no two
// shards identify within 5 seconds, whether one process holds both (a client per shard) or two
// processes sharing PostgreSQL each hold one; the fake refuses any identify that breaks this.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { assemble } from "../../src/core/assemble.js";
import { defineCommand } from "../../src/core/command.js";
import { reply } from "../../src/core/reply.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import { SharedIdentifyGate } from "../../src/platform/discord/shards/identify-gate.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { backends, freshDatabase, testDatabaseUrl, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";
import { withOnly } from "../support/test-commands.js";

const DISCORD_WINDOW_MS = 5_000;
const help = defineCommand({ name: "help", description: "Answers", handler: () => reply.ephemeral("here") });

/** Gaps between the identifies Discord accepted, in arrival order. */
function gaps(fake: FakeDiscord): number[] {
  const accepted = fake.identifies().filter((i) => !i.refused).map((i) => i.at);
  return accepted.slice(1).map((at, i) => at - accepted[i]!);
}

describe.each(backends())("the shared identify gate (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(async () => {
    await database.prisma.jobLease.deleteMany();
  });
  afterAll(async () => database?.dispose());

  it("lets one identify of a bucket through per window across processes", async () => {
    const WINDOW = 400;
    const gates = Array.from({ length: 4 }, (_, i) => new SharedIdentifyGate(database.prisma, `process-${i}`, 2, WINDOW));
    const started = Date.now();
    const passedAt = await Promise.all(gates.map(async (gate, i) => {
      await gate.waitForIdentify(i * 2, new AbortController().signal); // shards 0, 2, 4, 6: all bucket 0
      return Date.now();
    }));
    // Each is let through a window after the one before it at the earliest (when a waiter's
    // promise settles may lag behind, so the spacing shows in the span, not in each gap).
    expect(Math.max(...passedAt) - started).toBeGreaterThanOrEqual(3 * WINDOW);
  });

  it("does not hold up a bucket for another's window", async () => {
    const LONG = 20_000;
    const [a, b] = [new SharedIdentifyGate(database.prisma, "process-a", 2, LONG), new SharedIdentifyGate(database.prisma, "process-b", 2, LONG)];
    await a.waitForIdentify(2, new AbortController().signal); // bucket 0, for 20 s
    const asked = Date.now();
    await b.waitForIdentify(3, new AbortController().signal); // bucket 1 is free
    expect(Date.now() - asked).toBeLessThan(LONG / 2);
  });

  it("gives up waiting when its identify is aborted", async () => {
    const gate = new SharedIdentifyGate(database.prisma, "process-x", 1, 10_000);
    await gate.waitForIdentify(0, new AbortController().signal);
    const abort = new AbortController();
    const waiting = gate.waitForIdentify(0, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow();
  });
});

describe("a process holding two shards, max_concurrency 1", () => {
  let fake: FakeDiscord;
  let database: TestDatabase;
  let adapter: DiscordAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
    await database?.dispose();
  });

  it("identifies them at least 5 seconds apart, and Discord refuses neither", { timeout: 60_000 }, async () => {
    fake = await startFakeDiscord({ guilds: [], shards: 2, identifyConcurrency: 1 });
    database = await freshDatabase("pglite");
    const runtime = assemble({ capabilities: withOnly([help]), db: database.prisma, communities: [], log: quietLogger() });
    adapter = new DiscordAdapter({ config: { token: "fake.discord.token", apiUrl: fake.apiUrl }, dispatcher: runtime.dispatcher, registry: runtime.registry, log: quietLogger() });
    await adapter.start();
    expect(fake.identifiedShards().map((s) => s.join("/")).sort()).toEqual(["0/2", "1/2"]);
    expect(fake.identifies().filter((i) => i.refused)).toEqual([]);
    for (const gap of gaps(fake)) expect(gap).toBeGreaterThanOrEqual(DISCORD_WINDOW_MS);
  });
});

describe.skipIf(!testDatabaseUrl())("two processes sharing PostgreSQL, max_concurrency 1", () => {
  let fake: FakeDiscord;
  let database: TestDatabase;
  const pools: Database[] = [];
  const adapters: DiscordAdapter[] = [];
  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds: [], shards: 2, identifyConcurrency: 1 });
    database = await freshDatabase("postgres");
  });
  afterAll(async () => {
    for (const a of adapters) await a.stop();
    for (const p of pools) await p.close();
    await database?.dispose();
    await fake?.close();
  });

  it("starting together, they identify their shards at least 5 seconds apart, and Discord refuses none", { timeout: 90_000 }, async () => {
    const start = async (holder: string) => {
      const pool = await openDatabase(database.target, quietLogger());
      pools.push(pool);
      const runtime = assemble({ capabilities: withOnly([help]), db: pool.prisma, communities: [], log: quietLogger() });
      const adapter = new DiscordAdapter({ config: { token: "fake.discord.token", apiUrl: fake.apiUrl }, dispatcher: runtime.dispatcher, registry: runtime.registry, log: quietLogger(), shardLeases: { db: pool.prisma, holder, passEveryMs: 100 } });
      adapters.push(adapter);
      await adapter.start();
    };
    await Promise.all([start("process-a"), start("process-b")]);
    await expect.poll(() => fake.identifiedShards().map((s) => s.join("/")).sort(), { timeout: 30_000 }).toEqual(["0/2", "1/2"]);
    expect(fake.identifies().filter((i) => i.refused)).toEqual([]);
    for (const gap of gaps(fake)) expect(gap).toBeGreaterThanOrEqual(DISCORD_WINDOW_MS);
  });
});
