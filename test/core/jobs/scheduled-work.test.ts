import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScheduledWorkQueue, type WorkItem } from "../../../src/core/jobs/scheduled-work.js";
import type { RenewalTimer } from "../../../src/core/jobs/work-lease.js";
import { ManualClock } from "../../support/community.js";
import { backends, freshDatabase, type TestDatabase } from "../../support/databases.js";
import { quietLogger } from "../../support/logger.js";

const MINUTE = 60_000;

/** Renewal timers that fire as a manual clock passes them, each tick awaited before the clock moves on. */
class ManualRenewals implements RenewalTimer {
  readonly #timers: { at: number; ms: number; tick: () => Promise<void>; stopped: boolean }[] = [];
  constructor(private readonly clock: ManualClock) {}

  every(ms: number, tick: () => Promise<void>): () => void {
    const timer = { at: this.clock.now().getTime() + ms, ms, tick, stopped: false };
    this.#timers.push(timer);
    return () => void (timer.stopped = true);
  }

  /** Moves the clock `ms` forward, firing every renewal that falls due on the way, at its moment. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now().getTime() + ms;
    for (;;) {
      const due = this.#timers.filter((t) => !t.stopped && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.clock.set(new Date(due.at));
      await due.tick();
      due.at += due.ms;
    }
    this.clock.set(new Date(end));
  }
}

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  return { promise: new Promise<void>((r) => (resolve = r)), resolve };
}

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

  describe("a run longer than its lease", () => {
    const LEASE = 5 * MINUTE;
    /** A process whose handler of `kind` blocks until `finish` resolves; `started` resolves when it begins. */
    function blockingProcess(clock: ManualClock, renewals: ManualRenewals, holder: string, kindName: string) {
      const started = deferred();
      const finish = deferred();
      const runs: { key: string; signal: AbortSignal }[] = [];
      const q = new ScheduledWorkQueue(database.prisma, clock, quietLogger(), { holder, leaseMs: LEASE, renewalTimer: renewals }).register({
        kind: kindName,
        run: async (item, run) => {
          runs.push({ key: item.key, signal: run.signal });
          started.resolve();
          await finish.promise;
        },
      });
      return { q, started: started.promise, finish: finish.resolve, runs };
    }

    it("is renewed while it runs, so a process polling for 30 minutes never takes it over", async () => {
      const clock = new ManualClock("2026-12-08T10:00:00Z");
      const renewals = new ManualRenewals(clock);
      const kindName = `fanout-${kind}`;
      const key = `${kind}:long-fanout`;
      const holder = blockingProcess(clock, renewals, "holder", kindName);
      const other = blockingProcess(clock, renewals, "other", kindName);
      await holder.q.schedule(database.prisma, { kind: kindName, key, runAt: clock.now(), payload: {} });
      const holderRan = holder.q.runDue();
      await holder.started;
      // Six times the lease, a minute at a time; the holder's renewals fire as the clock passes them.
      for (let minute = 1; minute <= 30; minute++) {
        await renewals.advance(MINUTE);
        expect(await other.q.runDue()).toBe(0);
      }
      expect(other.runs).toHaveLength(0);
      expect(holder.runs[0]!.signal.aborted).toBe(false);
      holder.finish();
      expect(await holderRan).toBe(1);
      expect(await database.prisma.scheduledWork.findUniqueOrThrow({ where: { key } })).toMatchObject({ status: "done", attempts: 1, lockedBy: null });
    });

    it("a holder that stalled past its lease and was taken over is told at its next renewal, and its outcome is not recorded", async () => {
      const clock = new ManualClock("2026-12-09T10:00:00Z");
      const stalled = new ManualRenewals(clock); // the holder's timers never fire: its event loop is stuck
      const live = new ManualRenewals(clock);
      const kindName = `stall-${kind}`;
      const key = `${kind}:stalled-fanout`;
      const holder = blockingProcess(clock, stalled, "stuck", kindName);
      const other = blockingProcess(clock, live, "other", kindName);
      await holder.q.schedule(database.prisma, { kind: kindName, key, runAt: clock.now(), payload: {} });
      const holderRan = holder.q.runDue();
      await holder.started;
      await live.advance(LEASE + MINUTE);
      const otherRan = other.q.runDue();
      await other.started;
      expect(other.runs.map((r) => r.key)).toEqual([key]);
      // The stuck holder wakes up: its renewal finds the item held by the other process.
      await stalled.advance(0);
      await stalled.advance(LEASE);
      expect(holder.runs[0]!.signal.aborted).toBe(true);
      expect(other.runs[0]!.signal.aborted).toBe(false);
      holder.finish();
      await holderRan;
      expect(await database.prisma.scheduledWork.findUniqueOrThrow({ where: { key } })).toMatchObject({ status: "running", lockedBy: "other" });
      other.finish();
      expect(await otherRan).toBe(1);
      expect(await database.prisma.scheduledWork.findUniqueOrThrow({ where: { key } })).toMatchObject({ status: "done", lockedBy: null });
    });

    it("keeps the leases of items claimed in the same batch while they wait behind a long one", async () => {
      const clock = new ManualClock("2026-12-10T10:00:00Z");
      const renewals = new ManualRenewals(clock);
      const kindName = `batch-${kind}`;
      const holder = blockingProcess(clock, renewals, "holder", kindName);
      const other = blockingProcess(clock, renewals, "other", kindName);
      for (const n of [1, 2, 3]) await holder.q.schedule(database.prisma, { kind: kindName, key: `${kind}:batch:${n}`, runAt: clock.now(), payload: {} });
      const holderRan = holder.q.runDue(); // claims all three, runs the first, which blocks
      await holder.started;
      for (let minute = 1; minute <= 20; minute++) {
        await renewals.advance(MINUTE);
        expect(await other.q.runDue()).toBe(0);
      }
      holder.finish();
      expect(await holderRan).toBe(3);
      expect(holder.runs.map((r) => r.key).sort()).toEqual([1, 2, 3].map((n) => `${kind}:batch:${n}`));
      expect(other.runs).toHaveLength(0);
    });
  });
});
