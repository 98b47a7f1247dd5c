import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlaygroundClock } from "../../src/platform/playground/clock.js";
import { PlaygroundScheduler } from "../../src/platform/playground/scheduler.js";
import { quietLogger } from "../support/logger.js";

const HOUR = 3_600_000;
const START = Date.parse("2026-12-07T08:30:00Z");

/**
 * The playground's clock walk (issue 10): whatever the stored work and however the clock is
 * moved, each item runs once, at the moment it was due; a daily 09:00 job runs once per
 * 09:00 passed, at 09:00; the clock never goes back, and ends where it was moved to.
 */
describe("the playground's scheduler", () => {
  it("runs each stored item once at its moment and a 09:00 job at each 09:00 passed, never turning the clock back", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`playground scheduler property: seed ${seed}`);
    const items = fc.array(fc.integer({ min: 1, max: 72 * 60 }), { maxLength: 12 }); // minutes after the start
    const moves = fc.array(fc.integer({ min: 1, max: 40 * 60 }), { minLength: 1, maxLength: 4 }); // minutes per move
    await fc.assert(
      fc.asyncProperty(items, moves, async (dueMinutes, moveMinutes) => {
        let real = START;
        const clock = new PlaygroundClock({ realNow: () => real, start: new Date(START) });
        const pending = new Set(dueMinutes.map((m) => START + m * 60_000));
        const ran: { due: number; at: number }[] = [];
        const fired: { firedAt: number; at: number }[] = [];
        const seen: number[] = [];
        const scheduler = new PlaygroundScheduler({
          clock,
          log: quietLogger(),
          jobs: [{ name: "daily", cron: "0 9 * * *", run: async (firedAt) => void fired.push({ firedAt: firedAt.getTime(), at: clock.now().getTime() }) }],
          runDue: async () => {
            const now = clock.now().getTime();
            seen.push(now);
            for (const due of [...pending].sort((a, b) => a - b)) {
              if (due <= now) {
                pending.delete(due);
                ran.push({ due, at: now });
              }
            }
          },
          nextWorkAfter: async (after) => {
            const next = [...pending].filter((d) => d > after.getTime()).sort((a, b) => a - b)[0];
            return next === undefined ? undefined : new Date(next);
          },
        });
        let target = START;
        for (const minutes of moveMinutes) {
          target = clock.now().getTime() + minutes * 60_000;
          await scheduler.runUntil(new Date(target));
          expect(clock.now().getTime()).toBe(target);
          real += 1000; // a second of real time between moves
          target += 1000;
        }
        const end = target;
        const dueByEnd = dueMinutes.map((m) => START + m * 60_000).filter((d) => d <= end - 1000);
        expect(ran.map((r) => r.due).sort((a, b) => a - b)).toEqual([...new Set(dueByEnd)].sort((a, b) => a - b));
        for (const r of ran) expect(r.at).toBe(r.due);
        const nines = [];
        for (let t = Date.parse("2026-12-07T09:00:00Z"); t <= end - 1000; t += 24 * HOUR) nines.push(t);
        expect(fired.map((f) => f.firedAt)).toEqual(nines);
        for (const f of fired) expect(f.at).toBe(f.firedAt);
        for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
      }),
      { seed, numRuns: 60 },
    );
  });

  it("runs a state sweep once per move, for its last firing, after the walk, while an hourly job runs at each hour", async () => {
    const clock = new PlaygroundClock({ realNow: () => START, start: new Date(START) });
    const runs: { job: string; firedAt: string; at: string }[] = [];
    const record = (job: string) => async (firedAt: Date) => void runs.push({ job, firedAt: firedAt.toISOString(), at: clock.now().toISOString() });
    const scheduler = new PlaygroundScheduler({
      clock,
      log: quietLogger(),
      jobs: [
        { name: "sweep", cron: "*/10 * * * *", sweep: true, run: record("sweep") },
        { name: "hourly", cron: "0 * * * *", run: record("hourly") },
      ],
      runDue: async () => undefined,
      nextWorkAfter: async () => undefined,
    });
    await scheduler.runUntil(new Date("2026-12-07T12:05:00Z")); // from 08:30
    await scheduler.runUntil(new Date("2026-12-07T14:00:00Z"));
    expect(runs).toEqual([
      { job: "hourly", firedAt: "2026-12-07T09:00:00.000Z", at: "2026-12-07T09:00:00.000Z" },
      { job: "hourly", firedAt: "2026-12-07T10:00:00.000Z", at: "2026-12-07T10:00:00.000Z" },
      { job: "hourly", firedAt: "2026-12-07T11:00:00.000Z", at: "2026-12-07T11:00:00.000Z" },
      { job: "hourly", firedAt: "2026-12-07T12:00:00.000Z", at: "2026-12-07T12:00:00.000Z" },
      { job: "sweep", firedAt: "2026-12-07T12:00:00.000Z", at: "2026-12-07T12:05:00.000Z" },
      { job: "hourly", firedAt: "2026-12-07T13:00:00.000Z", at: "2026-12-07T13:00:00.000Z" },
      { job: "hourly", firedAt: "2026-12-07T14:00:00.000Z", at: "2026-12-07T14:00:00.000Z" },
      { job: "sweep", firedAt: "2026-12-07T14:00:00.000Z", at: "2026-12-07T14:00:00.000Z" },
    ]);
  });
});
