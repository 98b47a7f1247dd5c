// The pace shared by every process on a token: the database's timeline hands out slots that
// never come closer than the interval, whoever asks and however concurrently; each process's
// pacer starts requests on those slots, converted to its own clock, and skips a slot it woke
// up too late for. The pacer runs on fake clocks here (no real waiting); the timeline on every
// database backend, with one connection pool per "process" on PostgreSQL.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { PaceTimeline, type ReservedSlots } from "../../src/db/pace-timeline.js";
import type { PacerClock } from "../../src/platform/pacing.js";
import { SharedKeyedPacer, SharedPacer, type SlotSource, tokenKey } from "../../src/platform/shared-pacing.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";

const EPSILON = 1e-6;
/** The timeline keeps milliseconds since 1970 in a double: a microsecond is its precision with room to spare. */
const DB_EPSILON = 1e-3;
// Replay the property with the seed it prints: `FC_SEED=… npx vitest run test/platform/shared-pacing.test.ts`.
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);

describe.each(backends())("the shared timeline on %s", (kind) => {
  let database: TestDatabase;
  const others: Database[] = [];
  beforeAll(async () => void (database = await freshDatabase(kind)));
  afterAll(async () => {
    for (const db of others) await db.close();
    await database?.dispose();
  });

  /** Three processes' timelines: on PostgreSQL each with its own pool, so reservations really race. */
  async function processes(): Promise<PaceTimeline[]> {
    if (kind === "pglite") return [0, 1, 2].map(() => new PaceTimeline(database.prisma));
    for (let i = others.length; i < 2; i++) others.push(await openDatabase(database.target, quietLogger(), { migrate: false, poolSize: 4 }));
    return [database.prisma, ...others.map((d) => d.prisma)].map((db) => new PaceTimeline(db));
  }

  it("slots reserved by three processes at once are never closer than the interval, and none is handed out twice", async () => {
    const timelines = await processes();
    const interval = 1000 / 48;
    const key = `discord:race-${kind}`;
    const counts = [1, 8, 3, 8, 8, 2, 5, 8, 1, 7];
    const batches = await Promise.all(timelines.flatMap((t) => counts.map(async (count) => ({ count, slots: await t.reserve(key, count, interval) }))));
    const starts = batches.flatMap(({ count, slots }) => Array.from({ length: count }, (_, i) => slots.first + i * interval)).sort((a, b) => a - b);
    expect(starts).toHaveLength(3 * counts.reduce((a, b) => a + b, 0));
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(interval - DB_EPSILON);
    // Nobody was ahead: the first slot is the database's "now" at the first reservation, not later.
    const firstAsked = Math.min(...batches.map((b) => b.slots.dbNow));
    expect(starts[0]!).toBeLessThanOrEqual(firstAsked + DB_EPSILON);
  });

  it("after a quiet spell a reservation starts now, not where the timeline stopped; keys are independent", async () => {
    const [t] = await processes();
    const a = await t!.reserve(`slack:quiet-${kind}:C1`, 1, 1000);
    const b = await t!.reserve(`slack:quiet-${kind}:C2`, 1, 1000);
    expect(b.first).toBeLessThan(a.first + 1000); // another channel does not wait for C1
    const again = await t!.reserve(`slack:quiet-${kind}:C1`, 1, 1000);
    expect(again.first).toBeGreaterThanOrEqual(a.first + 1000 - DB_EPSILON);
    expect(await t!.prune(`slack:quiet-${kind}:`, -10_000)).toBe(2); // every key of the prefix is idle by then
  });
});

/** One fake time line; each process sees it through its own clock, `skew` ms apart. */
class FakeTime {
  now = 0;
  readonly #timers: { at: number; fire: () => void }[] = [];

  clock(skew: number, lateness: () => number = () => 0): PacerClock {
    return {
      now: () => this.now + skew,
      sleep: (ms) => new Promise<void>((resolve) => this.#timers.push({ at: this.now + ms + lateness(), fire: resolve })),
    };
  }

  at(time: number, work: () => void): void {
    this.#timers.push({ at: time, fire: work });
  }

  async run(): Promise<void> {
    for (;;) {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      if (this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers.shift()!;
      this.now = Math.max(this.now, next.at);
      next.fire();
    }
  }
}

/** The timeline's rule (db/pace-timeline.ts) on the fake time line, as the database would apply it. */
function fakeTimeline(time: FakeTime): SlotSource {
  const next = new Map<string, number>();
  return {
    reserve: async (key, count, intervalMs): Promise<ReservedSlots> => {
      const first = Math.max(next.get(key) ?? Number.NEGATIVE_INFINITY, time.now);
      next.set(key, first + count * intervalMs);
      return { first, dbNow: time.now };
    },
  };
}

/** Most starts in any window [t, t + 1 s). */
function busiestSecond(starts: readonly number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000 - EPSILON) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("SharedPacer", () => {
  it("three processes with skewed clocks and late timers together never start more than the rate plus one in any second (plus a span's starts above 48 a second)", async () => {
    console.info(`shared pacing property: seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          perSecond: fc.constantFrom(5, 10, 48, 240, 400),
          skews: fc.tuple(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 })),
          // Each process its own late timers: one busy process next to punctual ones is what bunches requests.
          lateness: fc.tuple(...[0, 1, 2].map(() => fc.array(fc.nat({ max: 80 }), { minLength: 1, maxLength: 20 }))),
          arrivals: fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 1500 })), { minLength: 1, maxLength: 200 }),
        }),
        async ({ perSecond, skews, lateness, arrivals }) => {
          const time = new FakeTime();
          const slots = fakeTimeline(time);
          const late = (mine: number[]) => {
            let n = 0;
            return () => mine[n++ % mine.length]!;
          };
          const pacers = skews.map((skew, i) => new SharedPacer({ key: "discord:t", perSecond, slots, clock: time.clock(skew, late(lateness[i]!)) }));
          const starts: number[] = [];
          for (const [p, at] of arrivals) time.at(at, () => void pacers[p]!.wait().then(() => starts.push(time.now)));
          await time.run();
          expect(starts).toHaveLength(arrivals.length);
          // Spans are at least 1/48 s: up to 48 a second a span is one slot, above it ceil(rate / 48) slots.
          const perSpan = Math.max(1, Math.ceil(perSecond / 48));
          expect(busiestSecond(starts)).toBeLessThanOrEqual(perSecond + perSpan);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 40), seed: SEED, endOnFailure: true },
    );
  });

  it("a busy process whose timers fire late skips the slots it missed instead of bunching its requests next to the punctual ones", async () => {
    const time = new FakeTime();
    const slots = fakeTimeline(time);
    // The third process now and then wakes up more than three intervals late (a long GC pause, say).
    let wakes = 0;
    const sometimesLate = () => (wakes++ % 10 === 0 ? 70 : 0);
    const pacers = [() => 0, () => 0, sometimesLate].map((late) => new SharedPacer({ key: "discord:late", perSecond: 48, slots, clock: time.clock(0, late) }));
    const starts: number[] = [];
    for (const pacer of pacers) for (let i = 0; i < 150; i++) time.at(0, () => void pacer.wait().then(() => starts.push(time.now)));
    await time.run();
    expect(starts).toHaveLength(450);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(49);
    expect(pacers[2]!.skipped).toBeGreaterThan(0);
  });

  it("at a raised pace, a process whose timers are always a few ms late still gets its share: its requests start late within their span instead of being skipped", async () => {
    const time = new FakeTime();
    const slots = fakeTimeline(time);
    // 240 a second is a slot every 4.2 ms; timers 6 ms late would miss every one of them.
    const pacers = [0, 6].map((late) => new SharedPacer({ key: "discord:raised", perSecond: 240, slots, clock: time.clock(0, () => late) }));
    const starts: number[] = [];
    for (const pacer of pacers) for (let i = 0; i < 240; i++) time.at(0, () => void pacer.wait().then(() => starts.push(time.now)));
    await time.run();
    expect(starts).toHaveLength(480);
    // 480 at 240 a second: 2 s if no slot were lost; the late process skipping most slots would take far longer.
    expect(Math.max(...starts)).toBeLessThan(2_500);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(240 + 5);
  });

  it("at a raised pace, slow reservations (50 ms round trips) do not lose the slots they bring: the next ones are reserved while the last are used", async () => {
    const time = new FakeTime();
    const timeline = fakeTimeline(time);
    const clock = time.clock(0);
    // The database answers 25 ms after it is asked and 25 ms before the answer arrives: more than a span (21 ms).
    const slots: SlotSource = {
      reserve: async (key, count, intervalMs) => {
        await clock.sleep(25);
        const reserved = await timeline.reserve(key, count, intervalMs);
        await clock.sleep(25);
        return reserved;
      },
    };
    const pacer = new SharedPacer({ key: "discord:slow-db", perSecond: 240, slots, clock });
    const starts: number[] = [];
    for (let i = 0; i < 480; i++) time.at(0, () => void pacer.wait().then(() => starts.push(time.now)));
    await time.run();
    expect(starts).toHaveLength(480);
    // 2 s of slots at 240 a second, plus round trips at the start; reserving only once a batch
    // was used up lost each next batch's first spans to the round trip and widened the slots.
    expect(Math.max(...starts)).toBeLessThan(2_500);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(240 + 5);
  });

  it("three busy processes share one budget: 300 requests at 10 a second take about 30 seconds, not 10", async () => {
    const time = new FakeTime();
    const slots = fakeTimeline(time);
    const pacers = [0, 1, 2].map(() => new SharedPacer({ key: "discord:busy", perSecond: 10, slots, clock: time.clock(0) }));
    const starts: number[] = [];
    for (const pacer of pacers) for (let i = 0; i < 100; i++) time.at(0, () => void pacer.wait().then(() => starts.push(time.now)));
    await time.run();
    expect(starts).toHaveLength(300);
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(29_900 - EPSILON);
    expect(busiestSecond(starts)).toBe(10);
  });

  it("a request whose signal aborts while it waits is rejected and the others still go", async () => {
    const time = new FakeTime();
    const pacer = new SharedPacer({ key: "discord:abort", perSecond: 1, slots: fakeTimeline(time), clock: time.clock(0) });
    const abort = new AbortController();
    const starts: number[] = [];
    let rejected: unknown;
    time.at(0, () => void pacer.wait().then(() => starts.push(time.now)));
    time.at(0, () => void pacer.wait(abort.signal).catch((error: unknown) => (rejected = error)));
    time.at(0, () => void pacer.wait().then(() => starts.push(time.now)));
    time.at(500, () => abort.abort(new Error("gave up")));
    await time.run();
    expect(String(rejected)).toContain("gave up");
    expect(starts).toHaveLength(2);
  });

  it("when no slot can be reserved (the database is gone), waiting requests fail instead of going unpaced", async () => {
    const broken: SlotSource = { reserve: async () => Promise.reject(new Error("connection refused")) };
    const pacer = new SharedPacer({ key: "discord:down", perSecond: 48, slots: broken });
    await expect(pacer.wait()).rejects.toThrow("connection refused");
  });

  it("Slack: each channel has its own one-a-second pace", async () => {
    const time = new FakeTime();
    const pacer = new SharedKeyedPacer({ prefix: "slack:x", perSecond: 1, slots: fakeTimeline(time), clock: time.clock(0) });
    const starts: string[] = [];
    for (const channel of ["C1", "C1", "C2", "C1"]) time.at(0, () => void pacer.wait(channel).then(() => starts.push(`${channel}@${time.now}`)));
    await time.run();
    expect(starts).toEqual(["C1@0", "C2@0", "C1@1000", "C1@2000"]);
  });

  it("names a token by a hash, never the token itself", () => {
    const key = tokenKey("discord", "MTIz.secret.token");
    expect(key).toMatch(/^discord:[0-9a-f]{16}$/);
    expect(key).not.toContain("secret");
  });
});
