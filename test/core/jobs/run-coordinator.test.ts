import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/database.js";
import { startJobs } from "../../../src/core/jobs/jobs.js";
import { DatabaseRunCoordinator } from "../../../src/core/jobs/run-coordinator.js";
import { createPostgresDatabase, dropPostgresDatabase, freshDatabase, testDatabaseUrl } from "../../support/databases.js";
import { waitFor } from "../../support/app.js";
import { quietLogger } from "../../support/logger.js";

// node-cron fires on the real clock, once a second here. Rather than sleep a fixed time (too
// short on a loaded machine, too long on an idle one), each test waits for the firings it
// needs: when the last of them has run, every scheduler has also had its turn at the earlier
// slots, so a firing run twice would be among the runs counted.

describe("scheduled jobs run each firing once across schedulers", () => {
  it("three schedulers with their own connections to one PostgreSQL database", { timeout: 30_000 }, async () => {
    if (!testDatabaseUrl()) return;
    const target = await createPostgresDatabase();
    const dbs = await Promise.all([0, 1, 2].map(() => openDatabase(target, quietLogger())));
    const runs: { scheduler: number; firedAt: string }[] = [];
    const schedulers = dbs.map((db, i) =>
      startJobs(
        [{ name: "tick", cron: "* * * * * *", run: async (firedAt) => void runs.push({ scheduler: i, firedAt: firedAt.toISOString() }) }],
        quietLogger(),
        { coordinator: new DatabaseRunCoordinator(db.prisma, `scheduler-${i}-${randomUUID()}`) },
      ),
    );
    try {
      await waitFor(() => runs.length >= 3, 20_000);
    } finally {
      await Promise.all(schedulers.map((s) => s.stop()));
    }
    const slots = runs.map((r) => r.firedAt);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(slots).size).toBe(slots.length); // no firing ran twice
    const recorded = await dbs[0]!.prisma.jobRun.findMany();
    expect(recorded.filter((r) => r.key.startsWith("tick:"))).toHaveLength(runs.length);
    expect(recorded.every((r) => r.finishedAt !== null)).toBe(true);
    await Promise.all(dbs.map((db) => db.close()));
    await dropPostgresDatabase(target.url);
  });

  it("on the embedded database too", { timeout: 30_000 }, async () => {
    const db = await freshDatabase("pglite");
    const runs: string[] = [];
    const schedulers = [0, 1, 2].map((i) =>
      startJobs([{ name: "tick", cron: "* * * * * *", run: async (firedAt) => void runs.push(firedAt.toISOString()) }], quietLogger(), { coordinator: new DatabaseRunCoordinator(db.prisma, `s${i}`) }),
    );
    try {
      await waitFor(() => runs.length >= 2, 20_000);
    } finally {
      await Promise.all(schedulers.map((s) => s.stop()));
      await db.dispose();
    }
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(new Set(runs).size).toBe(runs.length);
  });
});
