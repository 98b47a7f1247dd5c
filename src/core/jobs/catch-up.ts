/**
 * Catch-up after downtime: a firing that passed while no process was running is run once at
 * start if it is still inside the job's window (a daily digest missed by an hour), and
 * skipped with a log line otherwise (yesterday's digest is no longer news). Whether a firing
 * ran is read from the run coordinator's records, so it works across restarts and replicas.
 */
import cron from "node-cron";
import type { Logger } from "../../log/logger.js";
import type { Job } from "./jobs.js";

const MINUTE = 60_000;
/** How far back to look for a missed firing to report, beyond the catch-up window. */
const LOOKBACK_MS = 8 * 24 * 60 * MINUTE;

/** What catch-up needs from the run coordinator: claim a firing, and whether one was ever recorded. */
export interface FiringRecords {
  shouldRun(key: string): Promise<boolean>;
  onComplete?(key: string): Promise<void>;
  /** Whether this firing has a record (ran, or is running, somewhere). */
  hasRun(key: string): Promise<boolean>;
  /** Whether the job ever ran before: a first start has nothing to catch up. */
  hasHistory(jobName: string): Promise<boolean>;
}

export const firingKey = (jobName: string, slot: Date) => `${jobName}:${slot.toISOString()}`;

/** The latest minute before `now` (and after `now - lookbackMs`) at which the job's cron fires. */
export function lastFiringBefore(job: Pick<Job, "cron" | "timezone">, now: Date, lookbackMs = LOOKBACK_MS): Date | undefined {
  const task = cron.createTask(job.cron, () => undefined, { timezone: job.timezone ?? "UTC" });
  try {
    // Step back minute by minute from the last whole minute before now (node-cron fires "now" itself).
    const start = Math.floor((now.getTime() - 1) / MINUTE) * MINUTE;
    for (let t = start; t > now.getTime() - lookbackMs; t -= MINUTE) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}

export type CatchUpOutcome = { job: string; action: "ran" | "skipped" | "none"; slot?: Date };

/** Runs each job's missed firing once if it is inside the job's window; reports what it did. */
export async function catchUp(jobs: readonly Job[], records: FiringRecords, now: Date, log: Logger): Promise<CatchUpOutcome[]> {
  const outcomes: CatchUpOutcome[] = [];
  for (const job of jobs) {
    if (!job.catchUpWithinMs) continue;
    const slot = lastFiringBefore(job, now);
    if (!slot || !(await records.hasHistory(job.name)) || (await records.hasRun(firingKey(job.name, slot)))) {
      outcomes.push({ job: job.name, action: "none" });
      continue;
    }
    const late = now.getTime() - slot.getTime();
    if (late > job.catchUpWithinMs) {
      log.info({ job: job.name, missed: slot.toISOString(), lateMinutes: Math.round(late / MINUTE) }, "skipping a firing missed while down: outside its catch-up window");
      outcomes.push({ job: job.name, action: "skipped", slot });
      continue;
    }
    const key = firingKey(job.name, slot);
    if (!(await records.shouldRun(key))) {
      outcomes.push({ job: job.name, action: "none" }); // another process is catching up
      continue;
    }
    log.info({ job: job.name, missed: slot.toISOString() }, "running a firing missed while down");
    try {
      await job.run(slot);
    } catch (error) {
      log.error({ err: error, job: job.name }, "catch-up run failed");
    } finally {
      await records.onComplete?.(key);
    }
    outcomes.push({ job: job.name, action: "ran", slot });
  }
  return outcomes;
}
