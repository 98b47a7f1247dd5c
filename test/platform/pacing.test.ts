// The pacer on a fake clock (no real waiting), then the paced Discord REST and Slack client
// against the fakes on a real clock, at rates fast enough to keep the tests short.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessGateways } from "../../src/platform/access-gateways.js";
import { DiscordDirectMessenger } from "../../src/platform/discord/direct-messenger.js";
import { createPacedRest } from "../../src/platform/discord/paced-rest.js";
import { DISCORD_REQUESTS_PER_SECOND, KeyedPacer, Pacer, type PacerClock } from "../../src/platform/pacing.js";
import { createPacedWebClient } from "../../src/platform/slack/paced-client.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { testConfig } from "../support/app.js";
import { freshDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";

/** A clock that jumps from timer to timer; `lateness` makes sleeps end later than asked, as a busy event loop does. */
class FakeClock implements PacerClock {
  #now = 0;
  readonly #timers: { at: number; fire: () => void }[] = [];

  constructor(private readonly lateness: () => number = () => 0) {}

  now(): number {
    return this.#now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#timers.push({ at: this.#now + ms + this.lateness(), fire: resolve }));
  }

  /** Runs `work` when the clock reaches `time` (a request arriving then). */
  at(time: number, work: () => void): void {
    this.#timers.push({ at: time, fire: work });
  }

  /** Fires timers in time order until none is left, letting promises settle after each. */
  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      next.fire();
    }
  }
}

/** A deterministic source of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Asks for a turn at `time` and records when it was granted. */
function request(clock: FakeClock, pacer: Pacer, time: number, starts: number[]): void {
  clock.at(time, () => void pacer.wait().then(() => starts.push(clock.now())));
}

const EPSILON = 1e-6;

describe("Pacer", () => {
  it.each([10, DISCORD_REQUESTS_PER_SECOND])("never lets more than %i starts into any one-second window, even with late timers", async (perSecond) => {
    const next = random(perSecond);
    const clock = new FakeClock(() => next() * 40);
    const pacer = new Pacer({ perSecond, clock });
    const starts: number[] = [];
    for (let i = 0; i < 3 * perSecond; i++) request(clock, pacer, 0, starts); // a burst at once
    for (let i = 0; i < 3 * perSecond; i++) request(clock, pacer, next() * 8000, starts); // stragglers
    for (let i = 0; i < 2 * perSecond; i++) request(clock, pacer, 5000, starts); // another burst mid-way
    await clock.run();

    expect(starts).toHaveLength(8 * perSecond);
    // Never a burst: a late start is made up on the next ones, but never closer than 0.9 of a beat.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual((0.9 * 1000) / perSecond - EPSILON);
    // The start `perSecond` places later is a full second on: no window [t, t + 1 s) holds more.
    for (let i = perSecond; i < starts.length; i++) expect(starts[i]! - starts[i - perSecond]!).toBeGreaterThanOrEqual(1000 - EPSILON);
  });

  it("drains a queue at the full rate and lets a request after a quiet spell start at once", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ perSecond: 10, clock });
    const starts: number[] = [];
    for (let i = 0; i < 50; i++) request(clock, pacer, 0, starts);
    request(clock, pacer, 10_000, starts);
    await clock.run();
    expect(starts).toEqual([...Array.from({ length: 50 }, (_, i) => i * 100), 10_000]);
  });

  it("makes up for late timers instead of letting them lower the rate", async () => {
    const next = random(7);
    const clock = new FakeClock(() => next() * 8);
    const pacer = new Pacer({ perSecond: 10, clock });
    const starts: number[] = [];
    for (let i = 0; i < 100; i++) request(clock, pacer, 0, starts);
    await clock.run();
    // On the beat, the 100th start is due at 9.9 s. Spacing each start from the last one would
    // add up every late timer (about 0.4 s here); made up, they cost at most one per second.
    expect(starts.at(-1)!).toBeLessThanOrEqual(9900 + 8 * 11);
  });

  it("serves requests in the order they asked", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ perSecond: 5, clock });
    const order: number[] = [];
    for (let i = 0; i < 8; i++) clock.at(i, () => void pacer.wait().then(() => order.push(i)));
    await clock.run();
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("a request whose signal aborts before its turn is rejected and uses no slot", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ perSecond: 1, clock });
    const starts: number[] = [];
    const abort = new AbortController();
    let rejected: unknown;
    request(clock, pacer, 0, starts);
    clock.at(0, () => void pacer.wait(abort.signal).catch((error: unknown) => (rejected = error)));
    request(clock, pacer, 0, starts);
    clock.at(500, () => abort.abort());
    await clock.run();
    expect(rejected).toBeDefined();
    expect(starts).toEqual([0, 1000]);
  });
});

describe("KeyedPacer", () => {
  it("paces each key on its own and forgets keys that went quiet", async () => {
    const clock = new FakeClock();
    const pacer = new KeyedPacer({ perSecond: 1, clock }, 2);
    const starts: string[] = [];
    for (const key of ["C1", "C1", "C2", "C1", "C2"]) clock.at(0, () => void pacer.wait(key).then(() => starts.push(`${key}@${clock.now()}`)));
    await clock.run();
    expect(starts).toEqual(["C1@0", "C2@0", "C1@1000", "C2@1000", "C1@2000"]);
    clock.at(5000, () => void pacer.wait("C3"));
    await clock.run();
    expect(pacer.size).toBe(1);
  });
});

describe("paced transports against the fakes", () => {
  let discord: FakeDiscord;
  let slack: FakeSlack;
  beforeAll(async () => {
    [discord, slack] = await Promise.all([startFakeDiscord({ guilds: [{ id: "200000000000000001", name: "Guildhall Test", channels: [] }] }), startFakeSlack({ teamId: "T0PACE", channels: [{ id: "C0" }, { id: "C1" }, { id: "C2" }] })]);
  });
  afterAll(async () => {
    await Promise.all([discord?.close(), slack?.close()]);
  });

  it("every Discord request of a direct message, the open and the post, waits its turn", async () => {
    const rest = createPacedRest({ token: "fake-token", apiUrl: discord.apiUrl }, new Pacer({ perSecond: 10 }));
    const messenger = new DiscordDirectMessenger(rest, quietLogger());
    await messenger.send("700000000000000000", { text: "warm-up: the first request also opens the connection" });
    const users = ["700000000000000001", "700000000000000002", "700000000000000003", "700000000000000004"];
    const since = Date.now();
    expect(await Promise.all(users.map((u) => messenger.send(u, { text: "See you at 18:00" })))).toEqual(["sent", "sent", "sent", "sent"]);
    // The warm-up's post can be stamped in the same millisecond as `since`: leave its two requests out by what they carry.
    const warmUp = (c: (typeof discord.calls)[number]) => c.body?.recipient_id === "700000000000000000" || String(c.body?.content ?? "").startsWith("warm-up");
    const arrivals = discord.calls.filter((c) => c.at >= since && c.method === "POST" && !warmUp(c)).map((c) => c.at);
    expect(arrivals).toHaveLength(8);
    // 100 ms apart at 10 a second; unpaced, all eight would arrive within a few milliseconds.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(650);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(50);
  });

  it.each([false, true])("Discord requests go at DISCORD_REQUESTS_PER_SECOND (shared through the database: %s)", async (sharedPace) => {
    const database = await freshDatabase("pglite");
    try {
      const config = testConfig({ DISCORD_TOKEN: "fake.discord.pace", DISCORD_API_URL: discord.apiUrl, DISCORD_REQUESTS_PER_SECOND: "5" });
      const messenger = accessGateways(config, quietLogger(), database.prisma, undefined, { sharedPace }).messengers.discord!;
      const users = ["700000000000000011", "700000000000000012", "700000000000000013", "700000000000000014"];
      const since = Date.now();
      expect(await Promise.all(users.map((u) => messenger.send(u, { text: "Doors open at 18:00" })))).toEqual(users.map(() => "sent"));
      const arrivals = discord.calls.filter((c) => c.at >= since && c.method === "POST" && (users.includes(String(c.body?.recipient_id)) || c.body?.content === "Doors open at 18:00")).map((c) => c.at);
      // Four opens and four posts. At 5 a second no second holds more than 5 starts (in-process)
      // or 6 (shared: the rate plus one), so the seventh starts a second after the first, less a
      // little arrival jitter; at the default 48 all eight would take about 150 ms.
      expect(arrivals).toHaveLength(8);
      expect(arrivals[6]! - arrivals[0]!).toBeGreaterThanOrEqual(950);
    } finally {
      await database.dispose();
    }
  });

  it("Slack posts wait for their own channel's turn only", async () => {
    const client = createPacedWebClient({ botToken: "xoxb-test", apiUrl: slack.apiUrl }, new KeyedPacer({ perSecond: 5 }));
    await client.chat.postMessage({ channel: "C0", text: "warm-up: the first call also opens the connection" });
    const since = Date.now();
    await Promise.all(["C1", "C1", "C1", "C2"].map((channel, i) => client.chat.postMessage({ channel, text: `post ${i}` })));
    const at = (channel: string) => slack.callsTo("chat.postMessage").filter((c) => c.at >= since && c.args.channel === channel).map((c) => c.at);
    const [first, second, third] = at("C1");
    expect(second! - first!).toBeGreaterThanOrEqual(150);
    expect(third! - second!).toBeGreaterThanOrEqual(150);
    expect(at("C2")[0]! - first!).toBeLessThan(150);
  });
});
