// Gateway shard leases (issue 15) with a manual clock: each shard is held by one process at a
// time, a lone process holds them all, several spread them (count / processes each, the
// remainder one more), a process that stops renewing loses its shards once its lease runs
// out (15 s here) and another takes them on its next pass, and one that releases hands them
// over at once. Replay the property with `FC_SEED=… npx vitest run test/platform/shard-leases.test.ts`.
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ShardLeases } from "../../src/platform/discord/shards/shard-leases.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const TTL_MS = 15_000;
const RUNS = Number(process.env.FC_RUNS ?? 12);
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);

describe.each(backends())("shard leases (%s)", (kind) => {
  let database: TestDatabase;
  let t = Date.parse("2026-12-07T12:00:00Z");
  const now = () => new Date(t);
  let serial = 0;
  const processOf = (count: number) => new ShardLeases({ db: database.prisma, holder: `process-${++serial}`, count, ttlMs: TTL_MS });
  const pass = async (...processes: ShardLeases[]) => {
    for (const p of processes) await p.balance(now());
  };
  const held = (p: ShardLeases) => p.holdings(now()).held;

  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(async () => {
    await database.prisma.jobLease.deleteMany();
    t += 3_600_000;
  });
  afterAll(async () => database?.dispose());

  it("a lone process holds every shard after its first pass, and keeps them while it renews", async () => {
    const a = processOf(3);
    await pass(a);
    expect(held(a)).toEqual([0, 1, 2]);
    for (let i = 0; i < 10; i++) {
      t += 5_000;
      await pass(a);
    }
    expect(held(a)).toEqual([0, 1, 2]);
    const b = processOf(3);
    t += 5_000;
    await pass(b);
    expect(held(b)).toEqual([]); // nothing is free: b waits for a to offer
  });

  it.each([
    // shards, processes, what each holds once settled: count / processes, the remainder one more each
    [4, 2, [2, 2]],
    [4, 3, [2, 1, 1]],
    [5, 3, [2, 2, 1]],
    [1, 3, [1, 0, 0]],
    [2, 4, [1, 1, 0, 0]],
    [16, 3, [6, 5, 5]],
  ])("%i shards over %i processes settle as %j, each shard held once", async (count, n, expected) => {
    const processes = Array.from({ length: n }, () => processOf(count));
    for (let round = 0; round < 4; round++) {
      t += 1_000;
      await pass(...processes);
    }
    const holdings = processes.map(held);
    expect(holdings.map((h) => h.length).sort((x, y) => y - x)).toEqual(expected);
    expect(holdings.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("a newcomer's shard is offered, not dropped: its holder stays connected until the newcomer has connected it", async () => {
    const a = processOf(2);
    await pass(a);
    const b = processOf(2);
    t += 1_000;
    await pass(b, a); // a sees b and offers one shard
    expect(held(a)).toEqual([0]);
    expect(a.holdings(now()).offered).toEqual([1]);
    t += 1_000;
    await pass(b, a); // b takes it, but its session may wait for Discord's identify limit: a listens on
    expect(held(b)).toEqual([1]);
    expect(a.holdings(now())).toEqual({ held: [0], offered: [1] });
    await b.markConnected(1, now());
    t += 1_000;
    await pass(a); // b is connected: a lets go
    expect(a.holdings(now())).toEqual({ held: [0], offered: [] });
  });

  it("a holder that stops renewing keeps its shards until its lease runs out, then another takes them on its next pass", async () => {
    const a = processOf(2);
    const b = processOf(2);
    await pass(a, b, a, b);
    expect([held(a), held(b)]).toEqual([[0], [1]]);
    const stoppedAt = t; // a renewed last at stoppedAt: it is killed now
    for (t = stoppedAt + 1_000; t < stoppedAt + TTL_MS; t += 1_000) {
      await pass(b);
      expect(held(b)).toEqual([1]);
    }
    t = stoppedAt + TTL_MS;
    await pass(b);
    expect(held(b)).toEqual([0, 1]);
    expect(held(a)).toEqual([]); // its own view agrees: the lease it last renewed has run out
    expect(t - stoppedAt).toBeLessThanOrEqual(30_000);
  });

  it("a holder that releases hands its shards over on the others' next pass, without waiting for expiry", async () => {
    const a = processOf(3);
    const b = processOf(3);
    await pass(a, b, a, b);
    expect(held(b).length).toBeGreaterThan(0);
    await b.release();
    expect(held(b)).toEqual([]);
    await pass(a); // same instant: nothing expired, the rows are gone
    expect(held(a)).toEqual([0, 1, 2]);
  });

  // The lease rows of processes that died do not pile up: a pass forgets rows expired more than
  // ten lease lengths ago (150 s here), and keeps younger ones, which still say who held what.
  it("a pass forgets the rows of processes long dead, and keeps the recently expired", async () => {
    const gone = processOf(2);
    await pass(gone); // holds both shards, then is killed
    t += 10 * TTL_MS + TTL_MS + 1; // its rows expired more than ten lease lengths ago
    const recent = processOf(2);
    await pass(recent); // takes both shards; dies too
    t += TTL_MS + 1_000; // its rows expired a second ago
    const a = processOf(2);
    await pass(a);
    expect(held(a)).toEqual([0, 1]);
    const rows = await database.prisma.jobLease.findMany({ orderBy: { name: "asc" } });
    const holders = new Set(rows.map((r) => r.holder));
    expect(holders.has("process-" + String(serial - 2))).toBe(false); // the long dead: place and shards forgotten
    expect(rows.filter((r) => r.name.startsWith("discord-gateway:")).map((r) => r.holder).sort()).toEqual([`process-${serial - 1}`, `process-${serial}`].sort());
    expect(rows.filter((r) => r.name.startsWith("discord-shard:")).every((r) => r.holder === `process-${serial}`)).toBe(true);
  });

  it("any story of passes, kills, restarts and releases keeps each shard with at most one holder, and settles spread over the live processes", { timeout: 120_000 }, async () => {
    console.info(`shard lease property test (${kind}): FC_SEED=${SEED}, ${RUNS} runs`);
    const step = fc.oneof(
      fc.record({ kind: fc.constant("pass" as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant("together" as const) }),
      fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
      fc.record({ kind: fc.constant("kill" as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant("release" as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant("restart" as const), who: fc.nat(3) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 30 }), async (count, story) => {
        await database.prisma.jobLease.deleteMany();
        t += 3_600_000;
        const slots = Array.from({ length: 4 }, () => ({ leases: processOf(count), alive: true }));
        const everyHolding = () => slots.map((s) => held(s.leases));
        for (const s of story) {
          if (s.kind === "advance") t += s.ms;
          else if (s.kind === "together") await Promise.all(slots.filter((x) => x.alive).map((x) => x.leases.balance(now())));
          else {
            const slot = slots[s.who]!;
            if (s.kind === "pass" && slot.alive) await slot.leases.balance(now());
            if (s.kind === "kill") slot.alive = false;
            if (s.kind === "release" && slot.alive) {
              await slot.leases.release();
              slot.alive = false;
            }
            if (s.kind === "restart" && !slot.alive) slots[s.who] = { leases: processOf(count), alive: true };
          }
          // Killed processes count too: nobody may take their shards before their lease ran out.
          const all = everyHolding().flat();
          expect(new Set(all).size, `a shard with two holders: ${JSON.stringify(everyHolding())}`).toBe(all.length);
        }
        // Settle: the dead's leases run out, then the living pass a few times.
        t += TTL_MS;
        const living = slots.filter((s) => s.alive);
        for (let round = 0; round < 4; round++) {
          t += 1_000;
          for (const s of living) await s.leases.balance(now());
        }
        if (living.length === 0) return;
        const holdings = living.map((s) => held(s.leases));
        expect(holdings.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
        const fewest = Math.floor(count / living.length);
        for (const h of holdings) expect([fewest, fewest + (count % living.length ? 1 : 0)]).toContain(h.length);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
