import { describe, expect, it } from "vitest";
import { startJobs } from "../../../src/core/jobs/jobs.js";
import { memoryLogger } from "../../support/logger.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("graceful shutdown of scheduled jobs", () => {
  it("lets a running job finish and starts no new firing once stopping", { timeout: 10_000 }, async () => {
    const events: string[] = [];
    const jobs = startJobs(
      [{ name: "slow", cron: "* * * * * *", run: async () => {
        events.push("start");
        await wait(1500);
        events.push("end");
      } }],
      memoryLogger({ level: "silent" }).log,
    );
    while (!events.includes("start")) await wait(20);
    await jobs.stop();
    expect(events).toEqual(["start", "end"]);
    await wait(1200);
    expect(events).toEqual(["start", "end"]);
  });

  it("gives up waiting after the grace period and says which job was still running", { timeout: 10_000 }, async () => {
    const { log, lines } = memoryLogger();
    let started = false;
    const jobs = startJobs([{ name: "stuck", cron: "* * * * * *", run: async () => {
      started = true;
      await wait(5000);
    } }], log);
    while (!started) await wait(20);
    const before = Date.now();
    await jobs.stop(300);
    expect(Date.now() - before).toBeLessThan(2000);
    expect(lines().some((l) => l.includes("still running") && l.includes("stuck"))).toBe(true);
  });
});
