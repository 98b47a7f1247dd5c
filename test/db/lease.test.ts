// Leases handed back at shutdown (issue 15): a stopping process gives up its named leases and
// its claims on stored work at once, so another process takes them over now, not at expiry;
// what other processes hold is left alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLease, releaseProcessLeases } from "../../src/db/lease.js";
import { ScheduledWorkQueue } from "../../src/core/jobs/scheduled-work.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";

describe.each(backends())("releasing a process's leases (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(async () => database?.dispose());

  it("frees its named leases and its running stored work for others at once, and leaves other processes' alone", async () => {
    const db = database.prisma;
    const now = new Date("2026-12-07T12:00:00Z");
    const hour = 3_600_000;
    expect(await acquireLease(db, "reconcile", "host:1:aaaa:run1", hour, now)).toBe(true); // a reconcile run's own holder
    expect(await acquireLease(db, "digest", "host:1:aaaa", hour, now)).toBe(true);
    expect(await acquireLease(db, "other", "host:2:bbbb", hour, now)).toBe(true);
    const running = { kind: "test.work", runAt: now, payload: {}, status: "running", lockedUntil: new Date(now.getTime() + 5 * 60_000) };
    await db.scheduledWork.create({ data: { ...running, key: "mine", lockedBy: "host:1:aaaa" } });
    await db.scheduledWork.create({ data: { ...running, key: "theirs", lockedBy: "host:2:bbbb" } });

    await releaseProcessLeases(db, "host:1:aaaa", now);

    expect(await acquireLease(db, "reconcile", "host:2:bbbb", hour, now)).toBe(true);
    expect(await acquireLease(db, "digest", "host:2:bbbb", hour, now)).toBe(true);
    expect(await acquireLease(db, "other", "host:3:cccc", hour, now)).toBe(false);
    // Another process's next pass, a moment later, picks up the released work and only that.
    const ran: string[] = [];
    const queue = new ScheduledWorkQueue(db, { now: () => new Date(now.getTime() + 1) }, quietLogger(), { holder: "host:2:bbbb" });
    queue.register({ kind: "test.work", run: async (item) => void ran.push(item.key) });
    await queue.runDue();
    expect(ran).toEqual(["mine"]);
  });
});
