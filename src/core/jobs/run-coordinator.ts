import type { RunCoordinator } from "node-cron";
import type { FiringRecords } from "./catch-up.js";
import type { Db } from "../../db/database.js";
import { PROCESS_HOLDER } from "../../db/lease.js";

/**
 * node-cron's run coordinator backed by the database: every process asks to run a firing
 * (`<job>:<fire time>`), and the row's primary key lets exactly one insert succeed. This
 * works through a connection pool, unlike session advisory locks, and leaves a record of
 * each firing (who ran it, when it finished).
 */
export class DatabaseRunCoordinator implements RunCoordinator, FiringRecords {
  constructor(
    private readonly db: Db,
    private readonly holder = PROCESS_HOLDER,
  ) {}

  async shouldRun(key: string): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO "JobRun" ("key", "holder", "startedAt") VALUES (${key}, ${this.holder}, now())
      ON CONFLICT ("key") DO NOTHING`;
    return inserted === 1;
  }

  async onComplete(key: string): Promise<void> {
    await this.db.jobRun.updateMany({ where: { key, holder: this.holder }, data: { finishedAt: new Date() } });
  }

  async hasRun(key: string): Promise<boolean> {
    return (await this.db.jobRun.count({ where: { key } })) > 0;
  }

  async hasHistory(jobName: string): Promise<boolean> {
    return (await this.db.jobRun.count({ where: { key: { startsWith: `${jobName}:` } }, take: 1 })) > 0;
  }
}
