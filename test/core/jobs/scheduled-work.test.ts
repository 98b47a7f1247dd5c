import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScheduledWorkQueue, type WorkItem } from "../../../src/core/jobs/scheduled-work.js";
import { ManualClock } from "../../support/community.js";
import { backends, freshDatabase, type TestDatabase } from "../../support/databases.js";
import { quietLogger } from "../../support/logger.js";

const MINUTE = 60_000;

describe.each(backends())("stored one-off work on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => void (database = await freshDatabase(kind)));
  afterAll(() => database.dispose());

  const queue = (clock: ManualClock, ran: WorkItem[], holder: string, fail = false) =>
    new ScheduledWorkQueue(database.prisma, clock, quietLogger(), { holder, maxAttempts: 3 }).register({
      kind: `post-${kind}`,
      run: async (item) => {
        if (fail) throw new Error("platform down");
        ran.push(item);
      },
    });

  it("runs an item once it is due, from a process started after it was stored", async () => {
    const clock = new ManualClock("2026-12-02T17:00:00Z");
    const ran: WorkItem[] = [];
    await queue(clock, [], "before-restart").schedule(database.prisma, { kind: `post-${kind}`, key: `${kind}:announce:1`, runAt: new Date("2026-12-02T18:00:00Z"), payload: { text: "hi" } });
    const after = queue(clock, ran, "after-restart");
    expect(await after.runDue()).toBe(0);
    clock.set("2026-12-02T18:00:05Z");
    expect(await after.runDue()).toBe(1);
    expect(await after.runDue()).toBe(0);
    expect(ran.map((i) => i.payload)).toEqual([{ text: "hi" }]);
  });

  it("delivers each item once when three processes run due work at the same moment", async () => {
    const clock = new ManualClock("2026-12-03T10:00:00Z");
    const ran: WorkItem[] = [];
    const queues = [0, 1, 2].map((i) => queue(clock, ran, `p${i}`));
    for (let n = 0; n < 120; n++) {
      await queues[0]!.schedule(database.prisma, { kind: `post-${kind}`, key: `${kind}:many:${n}`, runAt: new Date("2026-12-03T09:59:00Z"), payload: { n } });
    }
    await Promise.all(queues.map((q) => q.runDue()));
    expect(ran).toHaveLength(120);
    expect(new Set(ran.map((i) => i.key)).size).toBe(120);
  });

  it("moves an item scheduled again under the same key, and cancels by prefix", async () => {
    const clock = new ManualClock("2026-12-04T10:00:00Z");
    const ran: WorkItem[] = [];
    const q = queue(clock, ran, "p");
    await q.schedule(database.prisma, { kind: `post-${kind}`, key: `${kind}:event:7:reminder-24h`, runAt: new Date("2026-12-04T11:00:00Z"), payload: {} });
    await q.schedule(database.prisma, { kind: `post-${kind}`, key: `${kind}:event:7:reminder-24h`, runAt: new Date("2026-12-04T13:00:00Z"), payload: { moved: true } });
    await q.schedule(database.prisma, { kind: `post-${kind}`, key: `${kind}:event:7:reminder-15m`, runAt: new Date("2026-12-04T14:00:00Z"), payload: {} });
    clock.set("2026-12-04T12:00:00Z");
    expect(await q.runDue()).toBe(0);
    expect(await q.cancel(database.prisma, `${kind}:event:7:`)).toBe(2);
    clock.set("2026-12-05T00:00:00Z");
    expect(await q.runDue()).toBe(0);
    expect(ran).toHaveLength(0);
  });

  it("retries a failing item with backoff, then marks it failed with the error", async () => {
    const clock = new ManualClock("2026-12-06T10:00:00Z");
    const q = queue(clock, [], "p", true);
    const key = `${kind}:flaky`;
    await q.schedule(database.prisma, { kind: `post-${kind}`, key, runAt: clock.now(), payload: {} });
    for (let i = 0; i < 3; i++) {
      await q.runDue();
      clock.advance(10 * MINUTE);
    }
    const row = await database.prisma.scheduledWork.findUniqueOrThrow({ where: { key } });
    expect(row).toMatchObject({ status: "failed", attempts: 3, lastError: "platform down" });
  });

  it("takes over an item whose holder died mid-run once the lease ran out", async () => {
    const clock = new ManualClock("2026-12-07T10:00:00Z");
    const key = `${kind}:orphan`;
    await database.prisma.scheduledWork.create({ data: { kind: `post-${kind}`, key, runAt: clock.now(), payload: {}, status: "running", attempts: 1, lockedBy: "dead", lockedUntil: new Date("2026-12-07T10:05:00Z") } });
    const ran: WorkItem[] = [];
    const q = queue(clock, ran, "alive");
    expect(await q.runDue()).toBe(0);
    clock.set("2026-12-07T10:06:00Z");
    expect(await q.runDue()).toBe(1);
    expect(ran[0]?.key).toBe(key);
  });
});
