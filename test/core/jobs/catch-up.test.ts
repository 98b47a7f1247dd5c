import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUp, firingKey, lastFiringBefore } from "../../../src/core/jobs/catch-up.js";
import type { Job } from "../../../src/core/jobs/jobs.js";
import { DatabaseRunCoordinator } from "../../../src/core/jobs/run-coordinator.js";
import { backends, freshDatabase, type TestDatabase } from "../../support/databases.js";
import { memoryLogger, quietLogger } from "../../support/logger.js";

const HOUR = 3_600_000;

describe("the last firing before a moment, in the job's time zone", () => {
  it("finds a daily 09:00 in Berlin in winter and in summer time", () => {
    const daily = { cron: "0 9 * * *", timezone: "Europe/Berlin" };
    expect(lastFiringBefore(daily, new Date("2026-12-02T10:30:00Z"))?.toISOString()).toBe("2026-12-02T08:00:00.000Z");
    expect(lastFiringBefore(daily, new Date("2026-03-30T07:30:00Z"))?.toISOString()).toBe("2026-03-30T07:00:00.000Z");
    // Before today's 09:00 it is yesterday's.
    expect(lastFiringBefore(daily, new Date("2026-12-02T07:59:00Z"))?.toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });

  it("finds a weekly Monday 08:00 in New York across the end of daylight saving time", () => {
    const weekly = { cron: "0 8 * * 1", timezone: "America/New_York" };
    // 2026-11-01 is the switch back to EST: Monday 2026-11-02 08:00 is 13:00 UTC (it was 12:00 UTC the week before).
    expect(lastFiringBefore(weekly, new Date("2026-11-02T15:00:00Z"))?.toISOString()).toBe("2026-11-02T13:00:00.000Z");
    expect(lastFiringBefore(weekly, new Date("2026-10-26T15:00:00Z"))?.toISOString()).toBe("2026-10-26T12:00:00.000Z");
  });

  it("does not count the current minute, which node-cron fires itself", () => {
    expect(lastFiringBefore({ cron: "0 9 * * *" }, new Date("2026-12-02T09:00:00Z"))?.toISOString()).toBe("2026-12-01T09:00:00.000Z");
  });
});

describe.each(backends())("catch-up after downtime on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => void (database = await freshDatabase(kind)));
  afterAll(() => database.dispose());

  function digest(name: string, runs: Date[]): Job {
    return { name, cron: "0 9 * * *", timezone: "UTC", catchUpWithinMs: 6 * HOUR, run: async (at) => void runs.push(at) };
  }

  it("runs a firing missed by less than its window once, even with three processes starting", async () => {
    const runs: Date[] = [];
    const job = digest("digest-a", runs);
    await database.prisma.jobRun.create({ data: { key: firingKey("digest-a", new Date("2026-12-01T09:00:00Z")), holder: "old", finishedAt: new Date() } });
    const now = new Date("2026-12-02T11:00:00Z");
    const outcomes = await Promise.all([0, 1, 2].map((i) => catchUp([job], new DatabaseRunCoordinator(database.prisma, `p${i}`), now, quietLogger())));
    expect(runs.map((d) => d.toISOString())).toEqual(["2026-12-02T09:00:00.000Z"]);
    expect(outcomes.flat().filter((o) => o.action === "ran")).toHaveLength(1);
    // A restart later the same day finds the firing recorded and does nothing.
    await catchUp([job], new DatabaseRunCoordinator(database.prisma, "p3"), new Date("2026-12-02T12:00:00Z"), quietLogger());
    expect(runs).toHaveLength(1);
  });

  it("skips a firing missed by more than its window, with a log line", async () => {
    const runs: Date[] = [];
    await database.prisma.jobRun.create({ data: { key: firingKey("digest-b", new Date("2026-12-01T09:00:00Z")), holder: "old", finishedAt: new Date() } });
    const { log, lines } = memoryLogger();
    const outcomes = await catchUp([digest("digest-b", runs)], new DatabaseRunCoordinator(database.prisma, "p"), new Date("2026-12-02T15:30:00Z"), log);
    expect(runs).toHaveLength(0);
    expect(outcomes).toEqual([{ job: "digest-b", action: "skipped", slot: new Date("2026-12-02T09:00:00Z") }]);
    expect(lines().map((l) => JSON.parse(l) as { msg: string; job?: string }).some((l) => l.msg.includes("outside its catch-up window") && l.job === "digest-b")).toBe(true);
  });

  it("does nothing on a first start, or for jobs without a window", async () => {
    const runs: Date[] = [];
    const coordinator = new DatabaseRunCoordinator(database.prisma, "p");
    const now = new Date("2026-12-02T10:00:00Z");
    await catchUp([digest("digest-new", runs), { name: "no-window", cron: "0 9 * * *", run: async (at: Date) => void runs.push(at) }], coordinator, now, quietLogger());
    expect(runs).toHaveLength(0);
  });
});
