// One gateway shard count for every process on a database (issue 15): the first process's count
// holds while any process using it renews it; a new count takes effect once the last of them
// has stopped (released) or stopped renewing (its lease ran out). Manual clock; both backends.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { agreeShardCount } from "../../src/platform/discord/shards/shard-count-agreement.js";
import { ShardLeases } from "../../src/platform/discord/shards/shard-leases.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const TTL_MS = 15_000;

describe.each(backends())("the agreed shard count (%s)", (kind) => {
  let database: TestDatabase;
  let t = Date.parse("2026-12-07T12:00:00Z");
  const now = () => new Date(t);
  let serial = 0;

  /** A process starting now that arrived at `recommended`: it takes the agreed count, then makes its first pass. */
  async function start(recommended: number): Promise<{ count: number; leases: ShardLeases }> {
    const count = await agreeShardCount(database.prisma, recommended, TTL_MS, now());
    const leases = new ShardLeases({ db: database.prisma, holder: `process-${++serial}`, count, ttlMs: TTL_MS });
    await leases.balance(now());
    return { count, leases };
  }

  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(async () => {
    await database.prisma.jobLease.deleteMany();
    t += 3_600_000;
  });
  afterAll(async () => database?.dispose());

  it("a later process takes the running processes' count, however long they run", async () => {
    const a = await start(2);
    expect(a.count).toBe(2);
    for (let i = 0; i < 10; i++) {
      t += 5_000;
      await a.leases.balance(now());
    }
    expect((await start(3)).count).toBe(2);
  });

  it("the count stays while any process using it runs, and is chosen anew after the last one releases", async () => {
    const a = await start(2);
    const b = await start(5);
    expect(b.count).toBe(2);
    await a.leases.release(now());
    const c = await start(3);
    expect(c.count).toBe(2); // b still runs
    await b.leases.release(now());
    expect((await start(4)).count).toBe(2); // c still runs (and now so does this one)
    await database.prisma.jobLease.deleteMany({ where: { holder: `process-${serial}` } }); // that one was killed and forgotten
    await c.leases.release(now());
    expect((await start(4)).count).toBe(4);
  });

  it("a process that stops renewing (killed) lets the count go once its lease has run out", async () => {
    await start(2);
    t += TTL_MS - 1;
    expect((await start(3)).count).toBe(2);
    t += TTL_MS + 1; // neither renews any more
    expect((await start(3)).count).toBe(3);
  });

  it("processes starting at the same moment with different counts all take one of them", async () => {
    const counts = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => agreeShardCount(database.prisma, n, TTL_MS, now())));
    expect(new Set(counts).size).toBe(1);
    expect([1, 2, 3, 4, 5, 6]).toContain(counts[0]);
  });
});
